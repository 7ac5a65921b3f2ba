/* jail_start, jail_report and jail_end run in: `brig run` and the
 * supervisor. jail_child runs in: the child they clone, inside the jail's
 * new namespaces, until it execs brig again. jail_init_main and init_setup
 * run in: that fresh image, the jail init (PID 1 of the jail's PID
 * namespace). jail_build and service_exec run in: the service child of the
 * jail init, until the service's exec. */
#include "jail.h"

#include "caps.h"
#include "fdio.h"
#include "net.h"
#include "reaper.h"
#include "seccomp.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs in: a jail child; never returns. sizeof *e < PIPE_BUF, so the parent
 * reads the whole record or EOF, and EOF means exec succeeded. */
static void child_fail(int errfd, const struct err *e, int code)
{
	(void)fdio_write_all(errfd, e, sizeof *e);
	_exit(code);
}

static const char *notify_in(const struct jail_cfg *cfg)
{
	if (cfg->dev == DEV_MINIMAL)
		return JAIL_NOTIFY_DEV;
	return cfg->tmp_named ? JAIL_NOTIFY_RUN : JAIL_NOTIFY_TMP;
}

/* ---- the handoff: all the jail init learns of its caller ---- */

#define HANDOFF_MAGIC 0x62726967u

/* Written by the cloned child into a memfd: this struct with every string
 * pointer turned into an offset from its start (0: NULL), then the strings.
 * The reader is the very same binary (/proc/self/exe), so the layout is
 * the same on both sides. */
struct handoff {
	uint32_t magic;
	uint32_t size;                 /* bytes in the memfd */
	int errfd;                     /* the setup report pipe */
	bool ready;                    /* fd cfg.ready_fd is the service's ready fd */
	bool attached;                 /* cloned into the jail's cgroup already */
	char *state_dir, *notify_path, *cgroup, *control_path;
	char *argv[CFG_MAX_ARGS + 1];  /* argv[0] NULL: cfg.argv */
	struct jail_cfg cfg;
};

/* Every string of a handoff. A char * field added to struct jail_cfg must
 * be added here, or the jail init finds its caller's address in it; the
 * lists it never reads (after, [cgroup]) are emptied instead. */
static void each_string(struct handoff *h, void (*fn)(char **, void *), void *ctx)
{
#define AT(f) (uint16_t)offsetof(struct handoff, f)
	static const uint16_t one[] = { AT(state_dir),	 AT(notify_path), AT(cgroup),
					AT(control_path), AT(cfg.file),	  AT(cfg.root),
					AT(cfg.overlay),  AT(cfg.hostname), AT(cfg.user),
					AT(cfg.workdir),  AT(cfg.net_jail), AT(cfg.bridge),
					AT(cfg.address),  AT(cfg.gateway),  AT(cfg.interfaces) };
#undef AT
	struct jail_cfg *c = &h->cfg;
	int i;

	for (i = 0; i < (int)(sizeof one / sizeof one[0]); i++)
		fn((char **)((char *)h + one[i]), ctx);
	for (i = 0; i < CFG_MAX_ARGS && h->argv[i]; i++)
		fn(&h->argv[i], ctx);
	for (i = 0; i < CFG_MAX_ARGS && c->argv[i]; i++)
		fn(&c->argv[i], ctx);
	for (i = 0; i < CFG_MAX_ENV + 2 && c->env[i]; i++)
		fn(&c->env[i], ctx);
	for (i = 0; i < c->ngroups; i++)
		fn(&c->groups[i], ctx);
	for (i = 0; i < c->nmounts; i++) {
		fn(&c->mounts[i].src, ctx);
		fn(&c->mounts[i].dst, ctx);
		fn(&c->mounts[i].data, ctx);
	}
}

struct put {
	char *base;  /* NULL: only count */
	size_t off;
};

static void put(char **slot, void *ctx)
{
	struct put *p = ctx;
	size_t n;

	if (!*slot)
		return;
	n = strlen(*slot) + 1;
	if (p->base) {
		memcpy(p->base + p->off, *slot, n);
		*slot = (char *)(uintptr_t)p->off;
	}
	p->off += n;
}

static void get(char **slot, void *ctx)
{
	struct handoff *h = ctx;
	uintptr_t off = (uintptr_t)*slot;

	*slot = off && off < h->size ? (char *)h + off : NULL;
}

/* Runs in: the cloned child. Returns the memfd, left open across exec. */
static int handoff_write(const struct jail_cfg *cfg, const struct jail_opts *o,
			 const struct jail *j, bool attached, int errfd)
{
	struct handoff h;
	struct put p = { NULL, sizeof h };
	char *m, notify[64];
	int fd, i;

	memset(&h, 0, sizeof h);
	h.magic = HANDOFF_MAGIC;
	h.errfd = errfd;
	h.ready = o->ready_fd >= 0;
	h.attached = attached;
	h.state_dir = (char *)o->state_dir;
	h.notify_path = (char *)o->notify_path;
	h.control_path = (char *)o->control_path;
	h.cgroup = (char *)j->cg.path;
	for (i = 0; o->argv && o->argv[i]; i++)
		h.argv[i] = o->argv[i];
	h.cfg = *cfg;
	h.cfg.nafter = h.cfg.ncgroup = 0;
	/* Config loading leaves room for one more entry. */
	if (o->notify_path) {
		snprintf(notify, sizeof notify, "NOTIFY_SOCKET=%s", notify_in(cfg));
		h.cfg.env[h.cfg.nenv++] = notify;
		h.cfg.env[h.cfg.nenv] = NULL;
	}
	each_string(&h, put, &p);
	h.size = (uint32_t)p.off;
	fd = memfd_create("brig-jail", 0);
	if (fd < 0 || ftruncate(fd, p.off) < 0)
		return -1;
	m = mmap(NULL, p.off, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	memcpy(m, &h, sizeof h);
	p.base = m;
	p.off = sizeof h;
	each_string((struct handoff *)m, put, &p);
	return fd;
}

/* Runs in: the jail init. A private copy of the memfd, its strings in place;
 * NULL when FD holds no handoff of this build. */
static struct handoff *handoff_map(const char *arg)
{
	struct handoff *h;
	struct stat st;
	int fd = atoi(arg);

	if (fd < 3 || fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof *h)
		return NULL;
	h = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (h == MAP_FAILED || h->magic != HANDOFF_MAGIC)
		return NULL;
	each_string(h, get, h);
	return h;
}

/* ---- the cloned child: from the clone to the exec of the jail init ---- */

/* The service's stdio and ready fd, in place before the exec so the jail
 * init holds no more of its caller than the service does. */
static int service_fds(const struct jail_cfg *cfg, const struct jail_opts *o, int *errfd,
		       struct err *e)
{
	int nul;

	if (o->stdio_fd >= 0) {
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(o->stdio_fd, 1) < 0 ||
		    dup2(o->stdio_fd, 2) < 0)
			return err_sys(e, "stdio");
	}
	if (o->ready_fd < 0)
		return 0;
	if (*errfd == cfg->ready_fd && (*errfd = fcntl(*errfd, F_DUPFD_CLOEXEC, 3)) < 0)
		return err_sys(e, "fcntl");
	if (o->ready_fd == cfg->ready_fd ? fcntl(o->ready_fd, F_SETFD, 0) < 0
					  : dup2(o->ready_fd, cfg->ready_fd) < 0)
		return err_set_at(e, cfg->line[K_READY], errno, "ready fd %d", cfg->ready_fd);
	return 0;
}

/* Runs in: the cloned child; never returns. */
static void jail_child(const struct jail_cfg *cfg, const struct jail_opts *o,
		       const struct jail *j, bool attached, int errfd, int syncfd)
{
	char fdname[16], *argv[] = { "brig", "jail-init", fdname, NULL }, *envp[] = { NULL };
	struct err e;
	int fd;
	char go;

	memset(&e, 0, sizeof e);
	/* If the caller dies, so does the jail: PID 1 gone ends the namespace. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syncfd >= 0 && fdio_read_all(syncfd, &go, 1) != 1)
		_exit(125);  /* the caller gave up on this jail and reports it */
	/* Root of the user namespace before the exec, or the fresh image
	 * would start there without capabilities. */
	if ((cfg->namespaces & CLONE_NEWUSER) &&
	    (sys_setgroups(0, NULL) < 0 ||
	     sys_setresgid(cfg->gid_map.inside, cfg->gid_map.inside, cfg->gid_map.inside) < 0 ||
	     sys_setresuid(cfg->uid_map.inside, cfg->uid_map.inside, cfg->uid_map.inside) < 0)) {
		err_set_at(&e, cfg->line[K_UID_MAP] ? cfg->line[K_UID_MAP] : cfg->line[K_NAMESPACES],
			   errno, "become root of the user namespace");
		child_fail(errfd, &e, 125);
	}
	/* Nothing the caller had open reaches the jail but what it hands on. */
	(void)sys_close_range(3, ~0U, SYS_CLOSE_RANGE_CLOEXEC);
	if (service_fds(cfg, o, &errfd, &e) < 0)
		child_fail(errfd, &e, 125);
	fd = handoff_write(cfg, o, j, attached, errfd);
	if (fd >= 0 && fcntl(errfd, F_SETFD, 0) == 0) {
		snprintf(fdname, sizeof fdname, "%d", fd);
		execve("/proc/self/exe", argv, envp);
	}
	err_sys(&e, "exec the jail init");
	child_fail(errfd, &e, 125);
}

/* ---- the jail init and its service child ---- */

static int loopback_up(int line, struct err *e)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	rc = fd < 0 ? -1 : ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (rc < 0)
		err_set_at(e, line, errno, "bring up lo");
	if (fd >= 0)
		close(fd);
	return rc < 0 ? -1 : 0;
}

/* Runs in: the service child; never returns. Limits, credentials and
 * capabilities are applied here, after the jail is complete, then exec. */
static void service_exec(const struct handoff *h)
{
	const struct jail_cfg *cfg = &h->cfg;
	char *const *argv = h->argv[0] ? h->argv : cfg->argv;
	struct err e;
	sigset_t none;
	int saved;

	memset(&e, 0, sizeof e);
	environ = (char **)cfg->env;
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	/* A session of its own: no controlling terminal, so TIOCSTI and
	 * /dev/tty lead nowhere, whatever fds it was given. */
	(void)setsid();
	if (caps_apply(cfg, &e) < 0)
		child_fail(h->errfd, &e, 125);
	if (argv == cfg->argv)
		execve(argv[0], argv, environ);
	else
		execvp(argv[0], argv);  /* -- ARG...: looked up in the jail's PATH */
	saved = errno;
	err_set_at(&e, argv == cfg->argv ? cfg->line[K_EXEC] : 0, saved, "exec %s", argv[0]);
	child_fail(h->errfd, &e, saved == ENOENT || saved == ENOTDIR ? 127 : 126);
}

/* Runs in: the service child, before it becomes the service. What is
 * namespace-wide: the hostname, loopback, and the file system view. */
static int jail_build(const struct handoff *h, struct err *e)
{
	const struct jail_cfg *cfg = &h->cfg;
	struct mount_plan plan;

	umask(0);  /* modes below are meant exactly; the service sets its own */
	if ((cfg->namespaces & CLONE_NEWUTS) && cfg->hostname &&
	    sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return err_set_at(e, cfg->line[K_HOSTNAME], errno, "sethostname %s", cfg->hostname);
	if (cfg->net == NET_NONE && !net_needs_hold(cfg) && loopback_up(cfg->line[K_NET_MODE], e) < 0)
		return -1;
	/* The jail's own cgroup, read-only, is its /sys/fs/cgroup. */
	if (mount_plan(cfg, h->state_dir, &plan, e) < 0 ||
	    (h->notify_path && mount_plan_bind(&plan, h->notify_path, notify_in(cfg),
					       MS_NOSUID | MS_NODEV | MS_NOEXEC, e) < 0) ||
	    (h->control_path && mount_plan_bind(&plan, h->control_path, JAIL_CONTROL,
						MS_NOSUID | MS_NODEV | MS_NOEXEC, e) < 0) ||
	    (h->cgroup && mount_plan_bind(&plan, h->cgroup, "/sys/fs/cgroup",
					  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, e) < 0))
		return -1;
	return mount_apply(&plan, e);
}

/* Runs in: the jail init, before the service child exists. */
static int init_setup(const struct handoff *h, int *sigfd, struct err *e)
{
	sigset_t all;
	int sig;

	/* 1. Not dumpable (the exec made it so again): the service can neither
	 *    ptrace the jail init nor read its /proc/1/{mem,environ,fd}. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return err_sys(e, "prctl PR_SET_DUMPABLE");
	(void)prctl(PR_SET_NAME, "brig", 0, 0, 0);  /* not "exe", from /proc/self/exe */
	/* 2. Every signal arrives through the signalfd; a standard signal
	 *    the caller ignored is back to the default for the service. */
	for (sig = 1; sig < SIGRTMIN; sig++)
		(void)signal(sig, SIG_DFL);
	sys_async_signals(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0 || (*sigfd = signalfd(-1, &all, SFD_CLOEXEC)) < 0)
		return err_sys(e, "signalfd");
	/* 3. A session of its own: no terminal of the caller's controls it. */
	(void)setsid();
	(void)fcntl(h->errfd, F_SETFD, FD_CLOEXEC);
	/* 4. Started outside the cgroup (Linux < 5.7), the cgroup namespace
	 *    comes now, rooted at the jail's cgroup, which we are in by now. */
	if (!h->attached && (h->cfg.namespaces & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		return err_set_at(e, h->cfg.line[K_NAMESPACES], errno, "unshare cgroup namespace");
	/* 5. On the old root, so pivot_root moves our root and cwd along. */
	if (chdir("/") < 0)
		return err_sys(e, "chdir /");
	return 0;
}

#define SERVICE_STACK (256 * 1024)

static int service_main(void *arg)
{
	const struct handoff *h = arg;
	struct err e;

	memset(&e, 0, sizeof e);
	if (jail_build(h, &e) < 0)
		child_fail(h->errfd, &e, 125);
	service_exec(h);
	return 125;
}

int jail_init_main(int argc, char **argv)
{
	struct handoff *h = handoff_map(argc == 3 ? argv[2] : "");
	struct err e;
	int sigfd = -1;
	void *stack;
	pid_t svc;

	if (!h)
		return 125;
	memset(&e, 0, sizeof e);
	if (init_setup(h, &sigfd, &e) < 0)
		child_fail(h->errfd, &e, 125);
	/* The setup runs in the service child, on a stack of its own that
	 * goes once it has exec'd (CLONE_VM | CLONE_VFORK: no page tables
	 * copied, the jail init waits): the jail init stays a few pages. */
	stack = mmap(NULL, SERVICE_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	svc = stack == MAP_FAILED ? -1
				  : clone(service_main, (char *)stack + SERVICE_STACK,
					  CLONE_VM | CLONE_VFORK | SIGCHLD, h);
	if (svc < 0) {
		err_sys(&e, "start the service");
		child_fail(h->errfd, &e, 125);
	}
	munmap(stack, SERVICE_STACK);
	/* The jail init's own filter, now that the service cannot inherit it. */
	if (seccomp_apply_init(&e) < 0) {
		(void)kill(svc, SIGKILL);
		child_fail(h->errfd, &e, 125);
	}
	close(h->errfd);
	if (h->ready)
		close(h->cfg.ready_fd);
	munmap(h, h->size);
	/* The jail init keeps only CAP_KILL: enough to signal and kill a
	 * service of any uid, nothing a service could borrow. */
	(void)caps_keep_only(1ULL << CAP_KILL);
	return reaper_run(sigfd, svc);
}

/* ---- the caller ---- */

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
		   int line, struct err *e)
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
		return err_set_at(e, line, errno, "clone3");
	/* Linux < 5.7: no CLONE_INTO_CGROUP. Start held, then move it in; the
	 * cgroup namespace waits until then, so its root is the jail's cgroup
	 * (clone3 roots it at the target cgroup already). */
	*attached = false;
	flags &= ~(unsigned long)CLONE_NEWCGROUP;
	if (syncp[0] < 0 && pipe2(syncp, O_CLOEXEC) < 0)
		return err_sys(e, "pipe");
	pid = sys_clone(flags | SIGCHLD);
	if (pid < 0)
		return err_set_at(e, line, errno, "clone");
	return pid;
}

static int write_map(pid_t pid, const char *file, const struct idmap *m, int line, struct err *e)
{
	char path[48], buf[48];

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	snprintf(buf, sizeof buf, "%u %u %u\n", m->inside, m->outside, m->count);
	if (fdio_write_file(AT_FDCWD, path, buf) < 0)
		return err_set_at(e, line, errno, "write %s \"%u %u %u\"", path, m->inside,
				  m->outside, m->count);
	return 0;
}

/* Runs in: the caller, while the child waits on the pipe. */
static int release(const struct jail_cfg *cfg, struct jail *j, bool attached, int syncw,
		   struct err *e)
{
	int ns = cfg->line[K_NAMESPACES];

	if ((cfg->namespaces & CLONE_NEWUSER) &&
	    (write_map(j->pid, "uid_map", &cfg->uid_map,
		       cfg->line[K_UID_MAP] ? cfg->line[K_UID_MAP] : ns, e) < 0 ||
	     write_map(j->pid, "gid_map", &cfg->gid_map,
		       cfg->line[K_GID_MAP] ? cfg->line[K_GID_MAP] : ns, e) < 0))
		return -1;
	if (!attached && cgroup_attach(&j->cg, j->pid, e) < 0)
		return -1;
	if (fdio_write_all(syncw, "g", 1) < 0)
		return err_sys(e, "release the jail init");
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

/* What jail_start checks before it makes anything. */
static int check_start(const struct jail_cfg *cfg, const struct jail_opts *o, struct err *e)
{
	int n = 0;

	if (cfg->net == NET_JAIL && o->netns_fd < 0)
		return err_set_at(e, cfg->line[K_NET_MODE], EOPNOTSUPP,
				  "net mode 'jail:NAME' needs the supervisor");
	if (net_needs_hold(cfg) && o->netns_fd < 0)
		return BUG(e);
	while (o->argv && o->argv[n])
		n++;
	if (n > CFG_MAX_ARGS)
		return err_set(e, E2BIG, "more than %d arguments", CFG_MAX_ARGS);
	return 0;
}

int jail_start(const struct jail_cfg *cfg, const struct jail_opts *o, struct jail *j,
	       struct err *e)
{
	int errp[2] = { -1, -1 }, syncp[2] = { -1, -1 }, host = -1;
	bool attached;

	j->pid = 0;
	j->errfd = -1;
	j->cg.dirfd = -1;
	j->cg.path[0] = '\0';
	if (check_start(cfg, o, e) < 0 || mount_plan(cfg, o->state_dir, &j->plan, e) < 0 ||
	    mount_prepare(&j->plan, e) < 0 || cgroup_create(o->cgroup_root, cfg, &j->cg, e) < 0)
		return -1;
	if (pipe2(errp, O_CLOEXEC) < 0 ||
	    ((cfg->namespaces & CLONE_NEWUSER) && pipe2(syncp, O_CLOEXEC) < 0)) {
		err_sys(e, "pipe");
		goto fail;
	}
	/* A namespace the caller holds is entered by the caller: the child
	 * may be in a new user namespace, with no power over it, at once. */
	if (o->netns_fd >= 0 && net_enter(o->netns_fd, &host) < 0) {
		err_set_at(e, cfg->line[K_NET_MODE], errno, "enter the network namespace");
		goto fail;
	}
	j->pid = spawn(clone_flags(cfg) & ~(o->netns_fd >= 0 ? (unsigned long)CLONE_NEWNET : 0UL),
		       &j->cg, syncp, &attached, cfg->line[K_NAMESPACES], e);
	if (j->pid == 0)
		jail_child(cfg, o, j, attached, errp[1], syncp[0]);
	net_back(&host);
	if (j->pid < 0)
		goto fail;
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
	mount_tidy(&j->plan);
	return cgroup_remove(&j->cg, e);
}

void jail_tidy(const struct jail_cfg *cfg, const char *state_dir, struct jail *scratch)
{
	struct err e;

	if (cfg->root && !cfg->readonly_root && mount_plan(cfg, state_dir, &scratch->plan, &e) == 0)
		mount_tidy(&scratch->plan);
}
