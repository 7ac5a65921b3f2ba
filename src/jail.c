/* jail_start, jail_report and jail_end run in: `brig run` and the
 * supervisor. jail_child and what it calls run in: the jail init, PID 1 of
 * the jail's fresh PID namespace, forked (not exec'd) from the caller.
 * service_exec runs in: the service child of the jail init, until exec. */
#include "jail.h"

#include "caps.h"
#include "fdio.h"
#include "reaper.h"
#include "seccomp.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs in: a jail child; never returns. sizeof *e < PIPE_BUF, so the parent
 * reads the whole record or EOF, and EOF means exec succeeded. */
static void child_fail(int errfd, const struct err *e, int code)
{
	(void)fdio_write_all(errfd, e, sizeof *e);
	_exit(code);
}

static int set_line(struct err *e, int line)
{
	e->line = line;
	return -1;
}

static const char *notify_in(const struct jail_cfg *cfg)
{
	if (cfg->dev == DEV_MINIMAL)
		return JAIL_NOTIFY_DEV;
	return cfg->tmp_named ? JAIL_NOTIFY_RUN : JAIL_NOTIFY_TMP;
}

static void unblock_signals(void)
{
	sigset_t none;

	/* Dispositions need no reset: nothing here installs a handler, and the
	 * caller ignores nothing (see jail.h). */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The service's stdio and ready fd; errfd moves out of the way first. */
static int service_fds(const struct jail_cfg *cfg, const struct jail_opts *o, int *errfd,
		       struct err *e)
{
	int nul;

	if (o->stdio_fd >= 0) {
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (nul >= 0 && nul != 0) {
			(void)dup2(nul, 0);
			close(nul);
		}
		if (dup2(o->stdio_fd, 1) < 0 || dup2(o->stdio_fd, 2) < 0)
			return err_set(e, errno, "dup2 stdio");
	}
	if (o->ready_fd < 0)
		return 0;
	if (*errfd == cfg->ready_fd) {
		int moved = fcntl(*errfd, F_DUPFD_CLOEXEC, 3);

		if (moved < 0)
			return err_set(e, errno, "fcntl");
		*errfd = moved;
	}
	if (o->ready_fd == cfg->ready_fd ? fcntl(o->ready_fd, F_SETFD, 0) < 0
					  : dup2(o->ready_fd, cfg->ready_fd) < 0)
		return err_set(e, errno, "ready fd %d", cfg->ready_fd), set_line(e, cfg->line[K_READY]);
	return 0;
}

/* cfg->env plus NOTIFY_SOCKET for ready = notify. */
static char *const *service_env(const struct jail_cfg *cfg, const struct jail_opts *o,
				char **env, size_t n, char *notify, size_t len)
{
	size_t i;

	if (!o->notify_path)
		return cfg->env;
	for (i = 0; i + 2 < n && cfg->env[i]; i++)
		env[i] = cfg->env[i];
	snprintf(notify, len, "NOTIFY_SOCKET=%s", notify_in(cfg));
	env[i++] = notify;
	env[i] = NULL;
	return env;
}

/* Runs in: the service child; never returns. Limits, credentials and
 * capabilities are applied here, after the jail is complete, then exec. */
static void service_exec(const struct jail_cfg *cfg, const struct jail_opts *o,
			 char *const *argv, int errfd)
{
	char *envbuf[CFG_MAX_ENV + 4], notify[64];
	char *const *env = service_env(cfg, o, envbuf, CFG_MAX_ENV + 4, notify, sizeof notify);
	struct creds cr;
	struct err e;
	int saved;

	memset(&e, 0, sizeof e);
	unblock_signals();
	if (service_fds(cfg, o, &errfd, &e) < 0)
		child_fail(errfd, &e, 125);
	if (caps_set_limits(cfg, &e) < 0 || caps_resolve(cfg, &cr, &e) < 0 ||
	    seccomp_apply(cfg, false, &e) < 0 || caps_drop(cfg, &cr, &e) < 0)
		child_fail(errfd, &e, 125);
	/* As the service's user, so its permissions decide; without one the
	 * cwd is already the new "/". */
	if (cfg->workdir && chdir(cfg->workdir) < 0) {
		err_set(&e, errno, "workdir %s", cfg->workdir);
		e.line = cfg->line[K_WORKDIR];
		child_fail(errfd, &e, 125);
	}
	/* The syscall filter last: it may deny anything but the exec. */
	if (seccomp_apply(cfg, true, &e) < 0)
		child_fail(errfd, &e, 125);
	execve(argv[0], argv, env);
	saved = errno;
	err_set(&e, saved, "exec %s", argv[0]);
	e.line = argv == cfg->argv ? cfg->line[K_EXEC] : 0;
	child_fail(errfd, &e, saved == ENOENT || saved == ENOTDIR ? 127 : 126);
}

static int loopback_up(struct err *e)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return err_set(e, errno, "socket");
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (rc < 0)
		err_set(e, errno, "bring up lo");
	close(fd);
	return rc < 0 ? -1 : 0;
}

/* Closes every fd from 3 up except the sorted keep[]: what the caller had
 * open is none of the jail's business. */
static void close_others(const int *keep, int n)
{
	unsigned from = 3;
	int i;

	for (i = 0; i < n; i++) {
		if (keep[i] < 3 || (unsigned)keep[i] < from)
			continue;
		if ((unsigned)keep[i] > from)
			(void)sys_close_range(from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	(void)sys_close_range(from, ~0U, 0);
}

static void sort_fds(int *k, int n)
{
	int i, j, t;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (k[j] < k[i]) {
				t = k[i];
				k[i] = k[j];
				k[j] = t;
			}
}


/* Runs in: the jail init, before the service exists. Numbered steps; each
 * failure names the key it came from. */
static int jail_setup(const struct jail_cfg *cfg, const struct jail *j, bool attached, int *sigfd,
		      struct err *e)
{
	sigset_t all;

	/* 1. Not dumpable: the service can neither ptrace the jail init nor
	 *    read its /proc/1/{mem,environ,fd,root}. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return err_set(e, errno, "prctl PR_SET_DUMPABLE");
	/* 2. Every signal arrives through the signalfd, none asynchronously;
	 *    faults stay deliverable. */
	sys_async_signals(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0 ||
	    (*sigfd = signalfd(*sigfd, &all, SFD_CLOEXEC)) < 0)
		return err_set(e, errno, "signalfd");
	umask(0);  /* modes below are meant exactly; the service sets its own */
	/* In a user namespace we still carry the caller's ids, unmapped there:
	 * become the namespace's root so what we create is owned by it. */
	if ((cfg->namespaces & CLONE_NEWUSER) &&
	    (sys_setgroups(0, NULL) < 0 ||
	     sys_setresgid(cfg->gid_map.inside, cfg->gid_map.inside, cfg->gid_map.inside) < 0 ||
	     sys_setresuid(cfg->uid_map.inside, cfg->uid_map.inside, cfg->uid_map.inside) < 0))
		return err_set(e, errno, "become root of the user namespace"),
		       set_line(e, cfg->line[K_UID_MAP] ? cfg->line[K_UID_MAP]
							: cfg->line[K_NAMESPACES]);
	/* 3. Started outside the cgroup (Linux < 5.7), the cgroup namespace
	 *    comes now, rooted at the jail's cgroup, which we are in by now. */
	if (!attached && (cfg->namespaces & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		return err_set(e, errno, "unshare cgroup namespace"), set_line(e, cfg->line[K_NAMESPACES]);
	if ((cfg->namespaces & CLONE_NEWUTS) && cfg->hostname &&
	    sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return err_set(e, errno, "sethostname %s", cfg->hostname),
		       set_line(e, cfg->line[K_HOSTNAME]);
	if (cfg->net == NET_NONE && loopback_up(e) < 0)
		return set_line(e, cfg->line[K_NET_MODE]);
	/* 4. The file system view, entered with pivot_root. */
	return mount_apply(&j->plan, e);
}

struct service_args {
	const struct jail_cfg *cfg;
	const struct jail_opts *o;
	char *const *argv;
	int errfd;
};

/* The service child shares the jail init's memory until its exec
 * (CLONE_VM | CLONE_VFORK: no page tables copied, the jail init waits), so
 * it runs on a stack of its own. */
static char service_stack[64 * 1024] __attribute__((aligned(4096)));

static int service_main(void *arg)
{
	const struct service_args *a = arg;

	service_exec(a->cfg, a->o, a->argv, a->errfd);
	return 125;
}

/* Runs in: the jail init; never returns. */
/* The jail init is a fork of its caller that lives as long as the jail:
 * every page the caller writes later leaves the old copy here. Dropping
 * what the reaper never reads (the caller's state, the service's stack)
 * keeps a jail init at its own few pages. */
static void release_memory(const struct jail_opts *o)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)o->release + pg - 1) & ~(pg - 1);
	uintptr_t b = ((uintptr_t)o->release + o->release_len) & ~(pg - 1);

	uintptr_t sp = (uintptr_t)&pg & ~(pg - 1);

	if (o->release && b > a)
		munmap((void *)a, b - a);
	madvise(service_stack, sizeof service_stack, MADV_DONTNEED);
	/* The stack the setup used, well below this frame: 16 KiB are left
	 * for the frames still to come (madvise's own among them, which must
	 * not lose its return address). The kernel keeps other mappings a
	 * guard gap (1 MiB) below the stack, so the range holds only dead
	 * stack pages or nothing; ENOMEM for the unmapped part. */
	madvise((void *)(sp - 256 * 1024), 256 * 1024 - 16 * 1024, MADV_DONTNEED);
}

static void jail_child(const struct jail_cfg *cfg, const struct jail_opts *o, char *const *argv,
		       const struct jail *j, bool attached, int errfd, int syncfd)
{
	struct err e;
	int sigfd = o->sigfd;
	int keep[5] = { sigfd, errfd, syncfd, o->stdio_fd, o->ready_fd };
	pid_t svc;
	char go;

	memset(&e, 0, sizeof e);
	/* If the caller dies, so does the jail: PID 1 gone ends the namespace. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	sort_fds(keep, 5);
	close_others(keep, 5);
	if (syncfd >= 0 && fdio_read_all(syncfd, &go, 1) != 1)
		_exit(125);  /* the caller gave up on this jail and reports it */
	if (syncfd >= 0)
		close(syncfd);
	if (jail_setup(cfg, j, attached, &sigfd, &e) < 0)
		child_fail(errfd, &e, 125);
	{
		struct service_args a = { cfg, o, argv, errfd };

		svc = clone(service_main, service_stack + sizeof service_stack,
			    CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
	}
	if (svc < 0) {
		err_set(&e, errno, "start the service");
		child_fail(errfd, &e, 125);
	}
	/* The jail init's own filter, now that the service cannot inherit it. */
	if (seccomp_apply_init(&e) < 0) {
		(void)kill(svc, SIGKILL);
		child_fail(errfd, &e, 125);
	}
	close(errfd);
	/* The jail init keeps only CAP_KILL: enough to signal and kill a
	 * service of any uid, nothing a service could borrow. */
	(void)caps_keep_only(1ULL << CAP_KILL, &e);
	release_memory(o);
	_exit(reaper_run(sigfd, svc));
}


static unsigned long clone_flags(const struct jail_cfg *cfg)
{
	unsigned long f = cfg->namespaces | CLONE_NEWPID | CLONE_NEWNS;

	if (cfg->net != NET_HOST)
		f |= CLONE_NEWNET;
	return f;
}

/* 0 in the child, its pid in the caller. *attached is false when the child
 * still has to be moved into the cgroup; then it waits on syncp. */
static pid_t spawn(unsigned long flags, const struct cgroup *cg, int syncp[2], bool *attached,
		   struct err *e)
{
	struct sys_clone_args a;
	pid_t pid;

	memset(&a, 0, sizeof a);
	a.flags = flags | SYS_CLONE_INTO_CGROUP;
	a.exit_signal = SIGCHLD;
	a.cgroup = (uint64_t)cg->dirfd;
	*attached = true;
	pid = sys_clone3(&a);
	if (pid >= 0)
		return pid;
	if (errno != ENOSYS && errno != E2BIG)
		return err_set(e, errno, "clone3");
	/* Linux < 5.7: no CLONE_INTO_CGROUP. Start held, then move it in; the
	 * cgroup namespace waits until then, so its root is the jail's cgroup
	 * (clone3 roots it at the target cgroup already). */
	*attached = false;
	flags &= ~(unsigned long)CLONE_NEWCGROUP;
	if (syncp[0] < 0 && pipe2(syncp, O_CLOEXEC) < 0)
		return err_set(e, errno, "pipe");
	pid = sys_clone(flags | SIGCHLD);
	if (pid < 0)
		return err_set(e, errno, "clone");
	return pid;
}

static int write_map(pid_t pid, const char *file, const struct idmap *m, struct err *e)
{
	char path[48], buf[48];

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	snprintf(buf, sizeof buf, "%u %u %u\n", m->inside, m->outside, m->count);
	if (fdio_write_file(AT_FDCWD, path, buf) < 0)
		return err_set(e, errno, "write %s \"%u %u %u\"", path, m->inside, m->outside,
			       m->count);
	return 0;
}

/* Runs in: the caller, while the child waits on the pipe. */
static int release(const struct jail_cfg *cfg, struct jail *j, bool attached, int syncw,
		   struct err *e)
{
	if (cfg->namespaces & CLONE_NEWUSER) {
		if (write_map(j->pid, "uid_map", &cfg->uid_map, e) < 0)
			return set_line(e, cfg->line[K_UID_MAP] ? cfg->line[K_UID_MAP]
							   : cfg->line[K_NAMESPACES]);
		if (write_map(j->pid, "gid_map", &cfg->gid_map, e) < 0)
			return set_line(e, cfg->line[K_GID_MAP] ? cfg->line[K_GID_MAP]
							   : cfg->line[K_NAMESPACES]);
	}
	if (!attached && cgroup_attach(&j->cg, j->pid, e) < 0)
		return -1;
	if (fdio_write_all(syncw, "g", 1) < 0)
		return err_set(e, errno, "release the jail init");
	return 0;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

int jail_start(const struct jail_cfg *cfg, const struct jail_opts *o, struct jail *j,
	       struct err *e)
{
	char *const *argv = o->argv ? o->argv : cfg->argv;
	int errp[2] = { -1, -1 }, syncp[2] = { -1, -1 };
	bool attached;

	j->pid = 0;
	j->errfd = -1;
	j->cg.dirfd = -1;
	j->cg.path[0] = '\0';
	if (cfg->net == NET_JAIL || cfg->net == NET_VETH)
		return err_set(e, EOPNOTSUPP, "net mode %s needs the supervisor",
			       cfg->net == NET_JAIL ? "jail:" : "veth"),
		       set_line(e, cfg->line[K_NET_MODE]);
	if (!argv[0])
		return err_set(e, EINVAL, "no command"), set_line(e, cfg->line[K_EXEC]);
	if (mount_plan(cfg, o->state_dir, &j->plan, e) < 0 ||
	    (o->notify_path && mount_plan_bind(&j->plan, o->notify_path, notify_in(cfg),
					       MS_NOSUID | MS_NODEV | MS_NOEXEC, e) < 0) ||
	    mount_prepare(&j->plan, e) < 0 || cgroup_create(o->cgroup_root, cfg, &j->cg, e) < 0)
		return -1;
	if (pipe2(errp, O_CLOEXEC) < 0 ||
	    ((cfg->namespaces & CLONE_NEWUSER) && pipe2(syncp, O_CLOEXEC) < 0)) {
		err_set(e, errno, "pipe");
		goto fail;
	}
	j->pid = spawn(clone_flags(cfg), &j->cg, syncp, &attached, e);
	if (j->pid < 0) {
		set_line(e, cfg->line[K_NAMESPACES]);
		goto fail;
	}
	if (j->pid == 0)
		jail_child(cfg, o, argv, j, attached, errp[1], syncp[0]);
	close(errp[1]);
	errp[1] = -1;
	if (syncp[1] >= 0 && release(cfg, j, attached, syncp[1], e) < 0) {
		(void)kill(j->pid, SIGKILL);
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
		goto fail;
	}
	close_pair(syncp);
	j->errfd = errp[0];
	return 0;
fail:
	close_pair(errp);
	close_pair(syncp);
	j->pid = 0;
	{
		struct err e2;

		(void)cgroup_remove(&j->cg, &e2);
	}
	return -1;
}

int jail_report(struct jail *j, struct err *report)
{
	ssize_t n = 0;

	if (j->errfd >= 0) {
		n = fdio_read_all(j->errfd, report, sizeof *report);
		close(j->errfd);
		j->errfd = -1;
	}
	if (n != (ssize_t)sizeof *report)
		return 0;
	report->msg[sizeof report->msg - 1] = '\0';
	return 1;
}

int jail_end(struct jail *j, struct err *e)
{
	j->pid = 0;
	return cgroup_remove(&j->cg, e);
}
