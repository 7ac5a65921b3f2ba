/* Runs in: the host's PID 1 (init mode, brig(8)) from the kernel's exec of
 * /init to reboot(2); short-lived children of it (the pivot_root probe, the
 * emergency shell, the reboot(2) caller); and the `poweroff`/`reboot`/`halt`
 * client processes.
 *
 * PID 1 never exits, aborts or asserts: the kernel panics when it ends.
 * Every failure below is logged and boot goes on with what works; only
 * pid1_panic() gives up, and it reboots instead of ending. */
#include "pid1.h"

#include "control.h"

#include "config.h"
#include "fdio.h"
#include "log.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/watchdog.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "unknown"
#endif

#define CGROUP_MNT "/sys/fs/cgroup"
#define KILL_WAIT_MS 2000 /* after KILL: what is still there is stuck in the kernel */

/* The watchdog: the second mutable global of brig, beside log.c's sink.
 * Init mode opens it before the supervisor starts and pets it until
 * reboot(2); the supervisor loop pets it through pid1_watchdog_kick(),
 * and supervisor_run()'s fixed signature has no room to hand it over. */
static struct {
	int fd;               /* -1: no watchdog */
	uint64_t interval_ms; /* keepalive period */
	uint64_t next_ms;     /* CLOCK_MONOTONIC time of the next keepalive */
} wd = { -1, 0, 0 };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- pure parts ---- */

enum pid1_sig pid1_signal_action(int sig, enum sup_end *end)
{
	switch (sig) {
	case SIGHUP:
		return PID1_SIG_RELOAD;
	case SIGTERM:
	case SIGINT: /* Ctrl-Alt-Del, once RB_DISABLE_CAD is set */
		*end = SUP_END_REBOOT;
		return PID1_SIG_SHUTDOWN;
	case SIGUSR1:
		*end = SUP_END_HALT;
		return PID1_SIG_SHUTDOWN;
	case SIGUSR2:
	case SIGPWR:
		*end = SUP_END_POWEROFF;
		return PID1_SIG_SHUTDOWN;
	default:
		return PID1_SIG_OTHER;
	}
}

int pid1_cmdline_config(const char *cmdline, char *out, size_t cap)
{
	static const char key[] = "brig.config=";
	const char *p = cmdline, *w;
	int found = -1;
	bool q;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		for (w = p, q = false; *p && (q || (*p != ' ' && *p != '\t' && *p != '\n')); p++)
			if (*p == '"')
				q = !q;
		/* The kernel takes both "key=value" and key="value". */
		if (*w == '"')
			w++;
		if (strncmp(w, key, sizeof key - 1) == 0) {
			size_t n = 0;

			found = -1;
			for (w += sizeof key - 1; w < p && n + 1 < cap; w++)
				if (*w != '"')
					out[n++] = *w;
			if (w == p && n > 0) {
				out[n] = '\0';
				found = 0;
			}
		}
	}
	return found;
}

/* The file name [b, e) is NAME.ko or NAME.ko.EXT, '-' and '_' alike. */
static bool module_is(const char *b, const char *e, const char *name)
{
	for (; *name && b < e; b++, name++) {
		char c = *b == '-' ? '_' : *b, n = *name == '-' ? '_' : *name;

		if (c != n)
			return false;
	}
	return !*name && e - b >= 3 && !strncmp(b, ".ko", 3) && (e - b == 3 || b[3] == '.');
}

int pid1_module_paths(const char *dep, size_t len, const char *name, char *line, size_t cap,
		      const char **paths, int max)
{
	const char *p = dep, *end = dep + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *colon, *b;
		char *s, *w;
		int n = 0, i;

		eol = eol ? eol : end;
		colon = memchr(p, ':', (size_t)(eol - p));
		b = colon ? colon : eol;
		while (b > p && b[-1] != '/')
			b--;
		if (!module_is(b, colon ? colon : eol, name)) {
			p = eol + 1;
			continue;
		}
		if ((size_t)(eol - p) >= cap || max < 1)
			return -1;
		memcpy(line, p, (size_t)(eol - p));
		line[eol - p] = '\0';
		s = colon ? line + (colon - p) : NULL;
		if (s)
			*s++ = '\0';
		while (s && (w = strtok_r(s, " \t\r", &s)))
			if (n + 1 >= max)
				return -1;
			else
				paths[n++] = w;
		/* modules.dep lists a module's dependencies so that the last one
		 * needs none of the others: load them from the end. */
		for (i = 0; i < n / 2; i++) {
			const char *t = paths[i];

			paths[i] = paths[n - 1 - i];
			paths[n - 1 - i] = t;
		}
		paths[n++] = line;
		return n;
	}
	return 0;
}

/* ---- waiting, reaping, rebooting ---- */

/* Every signal PID 1 acts on; all are blocked and taken synchronously. */
static void init_sigset(sigset_t *s)
{
	static const int sigs[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPWR };
	size_t i;

	sigemptyset(s);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(s, sigs[i]);
}

enum wait_res {
	W_TIMEOUT,  /* timeout_ms passed */
	W_WATCHED,  /* the watched pid was reaped; its status in *status */
	W_NOCHILD,  /* until_empty: no process is left */
	W_SHUTDOWN, /* a shutdown signal: the action in *end */
	W_RELOAD,   /* SIGHUP */
};

/* Runs in: PID 1, outside the supervisor's loop. Reaps every child, pets
 * the watchdog and takes signals until something in enum wait_res happens.
 * timeout_ms < 0: no bound. end NULL: shutdown signals and SIGHUP are
 * ignored (during shutdown itself). */
static enum wait_res wait_for(pid_t watch, int *status, bool until_empty, int64_t timeout_ms,
			      enum sup_end *end)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : now_ms() + (uint64_t)timeout_ms;
	enum sup_end act;
	sigset_t set;
	pid_t pid;
	int st;

	init_sigset(&set);
	for (;;) {
		bool watched = false;
		uint64_t now, until, next;
		struct timespec ts;
		int sig;

		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == watch) {
				watched = true;
				*status = st;
			}
		if (watched)
			return W_WATCHED;
		if (pid < 0 && errno == ECHILD && until_empty)
			return W_NOCHILD;
		now = now_ms();
		if (now >= deadline)
			return W_TIMEOUT;
		next = pid1_watchdog_kick(now);
		until = next && next < deadline ? next : deadline;
		if (until == UINT64_MAX) {
			sig = sigwaitinfo(&set, NULL);
		} else {
			ts.tv_sec = (time_t)((until - now) / 1000);
			ts.tv_nsec = (long)((until - now) % 1000) * 1000000;
			sig = sigtimedwait(&set, NULL, &ts);
		}
		if (sig <= 0 || !end)
			continue;
		switch (pid1_signal_action(sig, &act)) {
		case PID1_SIG_SHUTDOWN:
			*end = act;
			return W_SHUTDOWN;
		case PID1_SIG_RELOAD:
			return W_RELOAD;
		case PID1_SIG_OTHER:
			break;
		}
	}
}

/* Runs in: PID 1, once nothing else can be done. Never returns. */
static void __attribute__((noreturn)) idle_forever(void)
{
	for (;;)
		wait_for(0, NULL, false, -1, NULL);
}

/* Runs in: PID 1. reboot(2) may end its caller (halt and power-off end
 * in do_exit() when the machine does not stop), and PID 1 ending is a
 * panic: a vforked child makes the call. vfork because this also runs
 * from pid1_panic(), when memory may be short. Returns the errno of a
 * failed call. */
static __attribute__((noinline)) int reboot_from_child(int cmd)
{
	pid_t pid;
	int st = 0;

	pid = vfork();
	if (pid == 0) {
		reboot(cmd);
		_exit(errno & 0xff);
	}
	if (pid < 0)
		return errno;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
}

void pid1_panic(const char *fmt, ...)
{
	char line[300];
	va_list ap;
	int n, fd;

	n = snprintf(line, sizeof line, "<2>brig: panic: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* Both sinks opened afresh: this may run before, or instead of,
	 * whatever log.c holds. */
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		(void)!write(fd, line, (size_t)n);
		close(fd);
	}
	(void)!write(2, line + 3, (size_t)n - 3);
	sync();
	reboot_from_child(RB_AUTOBOOT);
	idle_forever();
}

/* ---- the root filesystem ---- */

/* Runs in: a child of PID 1 in a mount namespace of its own, so nothing
 * it does is seen outside. Returns 0 when pivot_root(2) works from the
 * current root, else its errno. */
static int pivot_probe(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", "/run", "tmpfs", 0, "size=16k") < 0 ||
		    mkdir("/run/old", 0700) < 0 || sys_pivot_root("/run", "/run/old") < 0)
			_exit(errno & 0xff);
		_exit(0);
	}
	if (pid < 0)
		return errno;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
}

/* Runs in: PID 1, before any other mount. pivot_root(2) refuses a root
 * mount without a parent (EINVAL), and the initramfs (rootfs) has none.
 * A bind mount of the same tree, moved onto "/" with the process chrooted
 * into it, does have one (rootfs), like switch_root's MS_MOVE does it,
 * without copying a byte. /run serves as the bind's first mount point and
 * gets its tmpfs right after. */
static int root_rebind(struct err *e)
{
	if (mount("/", "/run", NULL, MS_BIND, NULL) < 0)
		return err_set(e, errno, "bind / on /run");
	if (chdir("/run") < 0)
		return err_set(e, errno, "chdir /run");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return err_set(e, errno, "move the bind of / onto /");
	if (chroot(".") < 0 || chdir("/") < 0)
		return err_set(e, errno, "chroot into the bind of /");
	return 0;
}

static void root_make_pivotable(void)
{
	char buf[300];
	struct err e;
	int r;

	mkdir("/run", 0755);
	r = pivot_probe();
	if (r == 0) {
		log_msg(LOG_INFO, "root is pivotable");
		return;
	}
	if (r == EINVAL) {
		if (root_rebind(&e) < 0) {
			log_msg(LOG_ERROR, "root: %s", err_str(&e, buf, sizeof buf));
			return;
		}
		r = pivot_probe();
		if (r == 0) {
			log_msg(LOG_INFO, "root is pivotable (initramfs rebound onto itself)");
			return;
		}
	}
	log_msg(LOG_ERROR, "root is not pivotable: pivot_root: %s; jails cannot start",
		strerror(r));
}

/* ---- early mounts, console, cgroups ---- */

static const struct early_mount {
	const char *type, *dst;
	unsigned long flags;
	const char *data;
} early[] = {
	{ "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", MS_NOSUID, "mode=0755" },
	{ "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666" },
	{ "tmpfs", "/dev/shm", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "tmpfs", "/run", MS_NOSUID | MS_NODEV, "mode=0755" },
	{ "tmpfs", "/tmp", MS_NOSUID | MS_NODEV, "mode=1777" },
	/* nsdelegate: a jail's cgroup namespace is a delegation boundary,
	 * as under systemd. */
	{ "cgroup2", CGROUP_MNT, MS_NOSUID | MS_NODEV | MS_NOEXEC, "nsdelegate" },
};

/* dst is a mount point already: another device than its parent's. */
static bool is_mounted(const char *dst)
{
	char parent[64];
	struct stat a, b;
	char *slash;

	snprintf(parent, sizeof parent, "%s", dst);
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	return stat(dst, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

/* Returns the number of mounts that failed. */
static int mounts_early(void)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof early / sizeof early[0]; i++) {
		const struct early_mount *m = &early[i];

		mkdir(m->dst, 0755);
		if (is_mounted(m->dst))
			continue;
		if (mount(m->type, m->dst, m->type, m->flags, m->data) < 0) {
			log_msg(LOG_ERROR, "mount %s on %s: %s", m->type, m->dst, strerror(errno));
			bad++;
		}
	}
	for (i = 0; i < sizeof links / sizeof links[0]; i++)
		(void)symlink(links[i][0], links[i][1]);
	return bad;
}

/* Gives PID 1 stdin, stdout and stderr on /dev/console when the kernel
 * could not (an initramfs without /dev/console). They are inherited on
 * purpose: no O_CLOEXEC on these three. */
static void console_fds(void)
{
	int fd, i;

	for (i = 0; i < 3 && fcntl(i, F_GETFD) >= 0; i++)
		;
	if (i == 3 || (fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return;
	for (i = 0; i < 3; i++)
		if (i == fd)
			fcntl(fd, F_SETFD, 0);
		else if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* Enables every controller of DIR/cgroup.controllers in its
 * cgroup.subtree_control, one at a time so one refusal costs only itself.
 * Returns the count enabled; the names go to list. */
static int cgroup_enable_all(const char *dir, char *list, size_t cap)
{
	char path[128], ctl[256], req[40], *w, *s;
	int n = 0;

	list[0] = '\0';
	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	if (fdio_read_file(AT_FDCWD, path, ctl, sizeof ctl) < 0) {
		log_msg(LOG_ERROR, "%s: %s", path, strerror(errno));
		return 0;
	}
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	for (s = ctl; (w = strtok_r(s, " \n", &s));) {
		snprintf(req, sizeof req, "+%s", w);
		if (fdio_write_file(AT_FDCWD, path, req) < 0) {
			log_msg(LOG_WARN, "%s: %s: %s", path, req, strerror(errno));
			continue;
		}
		n++;
		if (strlen(list) + strlen(w) + 2 < cap)
			strcat(strcat(list, " "), w);
	}
	return n;
}

/* The cgroup v2 "no internal processes" rule binds non-root cgroups only:
 * brig itself stays in the root, which may enable controllers for its
 * children, and the jails live under brig/, which holds no process. */
static void cgroups_setup(void)
{
	char list[256];

	cgroup_enable_all(CGROUP_MNT, list, sizeof list);
	if (mkdir(CGROUP_MNT "/brig", 0755) < 0 && errno != EEXIST) {
		log_msg(LOG_ERROR, "mkdir " CGROUP_MNT "/brig: %s", strerror(errno));
		return;
	}
	cgroup_enable_all(CGROUP_MNT "/brig", list, sizeof list);
	log_msg(LOG_INFO, "cgroup2 controllers for " CGROUP_MNT "/brig:%s", list);
}

/* ---- config, hostname, network, modules, watchdog ---- */

/* Which config problems init reports: brig.ini's are init's; the jail
 * files' are the supervisor's, which loads them again, except when no jail
 * loads and no supervisor will run. */
enum diag_scope {
	DIAG_NONE,  /* a re-check from the emergency shell loop */
	DIAG_INIT,  /* brig.ini only */
	DIAG_JAILS, /* the jail files only */
};

static void diag_log(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	enum diag_scope scope = *(const enum diag_scope *)ctx;
	const char *b = strrchr(file, '/');
	bool init_file = strcmp(b ? b + 1 : file, "brig.ini") == 0;

	if ((scope == DIAG_INIT && init_file) || (scope == DIAG_JAILS && !init_file))
		log_msg(warning ? LOG_WARN : LOG_ERROR, "%s:%d: %s: %s", file, line,
			warning ? "warning" : "error", msg);
}

/* Fills dir with the config dir: brig.config= on the kernel command line,
 * else /etc/brig. */
static void config_dir(char *dir, size_t cap)
{
	char cmdline[4096];

	snprintf(dir, cap, "/etc/brig");
	if (fdio_read_file(AT_FDCWD, "/proc/cmdline", cmdline, sizeof cmdline) < 0)
		return;
	if (pid1_cmdline_config(cmdline, dir, cap) < 0 || dir[0] != '/') {
		if (strstr(cmdline, "brig.config="))
			log_msg(LOG_WARN,
				"brig.config= must name an absolute path; using /etc/brig");
		snprintf(dir, cap, "/etc/brig");
		return;
	}
	log_msg(LOG_INFO, "config dir %s (kernel command line)", dir);
}

/* Returns the number of loadable jails. */
static int config_load(const char *dir, struct config_set *set, enum diag_scope scope)
{
	struct diag d = { .emit = diag_log, .ctx = &scope };

	config_free_set(set);
	config_load_dir(dir, set, &d);
	return set->njails;
}

static void loopback_up(void)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&r, 0, sizeof r);
	strcpy(r.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &r) < 0 ||
	    (r.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &r) < 0))
		log_msg(LOG_WARN, "loopback up: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* The whole of a small file, NUL-terminated, or NULL. */
static char *read_whole(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size < max &&
	    (buf = malloc((size_t)st.st_size + 1))) {
		n = fdio_read_all(fd, buf, (size_t)st.st_size);
		if (n < 0) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	close(fd);
	return buf;
}

/* Loads one module and its dependencies. Returns the status word for the
 * progress line, or NULL after logging an error. */
static const char *module_load(const char *dir, const char *dep, size_t dlen, const char *bi,
			       size_t blen, const char *name)
{
	char line[4096], path[PATH_MAX];
	const char *paths[64];
	int n, i, fd, r = 0;

	n = dep ? pid1_module_paths(dep, dlen, name, line, sizeof line, paths, 64) : 0;
	if (n == 0 && bi && pid1_module_paths(bi, blen, name, line, sizeof line, paths, 1) > 0)
		return "built in";
	if (n <= 0) {
		log_msg(LOG_ERROR, "module %s: %s in %s/modules.dep", name,
			n ? "line too long" : "not found", dir);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		fd = -1;
		errno = ENAMETOOLONG;
		if (snprintf(path, sizeof path, "%s/%s", dir, paths[i]) < (int)sizeof path)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_msg(LOG_ERROR, "module %s: %s: %s", name, path, strerror(errno));
			return NULL;
		}
		r = (int)syscall(SYS_finit_module, fd, "", 0);
		if (r < 0 && errno != EEXIST) {
			log_msg(LOG_ERROR, "module %s: finit_module %s: %s", name, path,
				strerror(errno));
			close(fd);
			return NULL;
		}
		close(fd);
	}
	return r < 0 ? "already loaded" : "loaded";
}

static void modules_load(char *const *mods, int n)
{
	char dir[128], path[160];
	size_t dlen = 0, blen = 0;
	struct utsname u;
	char *dep, *bi;
	const char *how;
	int i;

	if (n == 0 || uname(&u) < 0)
		return;
	snprintf(dir, sizeof dir, "/lib/modules/%s", u.release);
	snprintf(path, sizeof path, "%s/modules.dep", dir);
	dep = read_whole(path, 64 << 20, &dlen);
	snprintf(path, sizeof path, "%s/modules.builtin", dir);
	bi = read_whole(path, 64 << 20, &blen);
	for (i = 0; i < n; i++) {
		if ((how = module_load(dir, dep, dlen, bi, blen, mods[i])))
			log_msg(LOG_INFO, "module %s: %s", mods[i], how);
		pid1_watchdog_kick(now_ms());
	}
	free(dep);
	free(bi);
}

uint64_t pid1_watchdog_kick(uint64_t now)
{
	if (wd.fd < 0)
		return 0;
	if (now >= wd.next_ms) {
		if (ioctl(wd.fd, WDIOC_KEEPALIVE, 0) < 0 && write(wd.fd, "k", 1) != 1)
			log_msg(LOG_ERROR, "watchdog keepalive: %s", strerror(errno));
		wd.next_ms = now + wd.interval_ms;
	}
	return wd.next_ms;
}

static void watchdog_open(const char *dev, uint64_t interval_ms)
{
	int i, timeout = 0;

	/* A watchdog module loaded just before may still be probing. */
	for (i = 0; i < 20 && (wd.fd = open(dev, O_WRONLY | O_CLOEXEC)) < 0 && errno == ENOENT; i++)
		usleep(50000);
	if (wd.fd < 0) {
		log_msg(LOG_ERROR, "watchdog %s: %s", dev, strerror(errno));
		return;
	}
	wd.interval_ms = interval_ms;
	wd.next_ms = 0;
	pid1_watchdog_kick(now_ms());
	if (ioctl(wd.fd, WDIOC_GETTIMEOUT, &timeout) == 0 &&
	    (uint64_t)timeout * 1000 <= interval_ms)
		log_msg(LOG_WARN, "watchdog %s: watchdog_interval is not below the device's %d s",
			dev, timeout);
	log_msg(LOG_INFO, "watchdog %s: keepalive every %llu ms, device timeout %d s", dev,
		(unsigned long long)interval_ms, timeout);
}

/* Before reboot(2): a halted or powered-off machine must not be reset by
 * its watchdog, so those disarm it (the magic close, where the driver
 * allows it); a reboot keeps it armed, in case reboot(2) hangs. */
static void watchdog_finish(enum sup_end end)
{
	if (wd.fd < 0)
		return;
	if (end == SUP_END_REBOOT) {
		ioctl(wd.fd, WDIOC_KEEPALIVE, 0);
		return;
	}
	(void)!write(wd.fd, "V", 1);
	close(wd.fd);
	wd.fd = -1;
}

/* ---- the emergency shell ---- */

/* The tty behind /dev/console (the last one named in
 * /sys/class/tty/console/active), so the shell gets job control. */
static void console_tty(char *out, size_t cap)
{
	char act[128], *w;

	snprintf(out, cap, "/dev/console");
	if (fdio_read_file(AT_FDCWD, "/sys/class/tty/console/active", act, sizeof act) <= 0)
		return;
	act[strcspn(act, "\n")] = '\0';
	w = strrchr(act, ' ');
	w = w ? w + 1 : act;
	if (*w)
		snprintf(out, cap, "/dev/%.32s", w);
	if (access(out, R_OK | W_OK) < 0)
		snprintf(out, cap, "/dev/console");
}

/* Runs in: PID 1; the child becomes the shell, in a session of its own
 * with the console as its controlling terminal. */
pid_t pid1_shell_start(char *const *argv, const char *what)
{
	char tty[64];
	sigset_t none;
	pid_t pid;
	int fd;

	console_tty(tty, sizeof tty);
	log_msg(LOG_WARN, "starting %s %s on %s", what, argv[0], tty);
	pid = fork();
	if (pid != 0) {
		if (pid < 0)
			log_msg(LOG_ERROR, "fork: %s", strerror(errno));
		return pid;
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	/* dup2 clears O_CLOEXEC on the copies 0, 1 and 2. */
	if ((fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)) >= 0) {
		ioctl(fd, TIOCSCTTY, 1);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/* Signals ignored by PID 1 would stay ignored across exec. */
	for (fd = 1; fd < NSIG; fd++)
		signal(fd, SIG_DFL);
	execv(argv[0], argv);
	fprintf(stderr, "brig: %s %s: %s\n", what, argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Runs in: PID 1 when no jail could be loaded. Keeps the shell running on
 * the console until the config dir yields a jail (checked when the shell
 * exits and on SIGHUP) or a shutdown signal comes. Returns true to go on
 * to the supervisor, false with *end set to shut down. */
static bool emergency(const char *dir, struct config_set *set, enum sup_end *end)
{
	pid_t pid = pid1_shell_start(set->init.emergency_shell, "emergency shell");
	enum wait_res r;
	int st;

	for (;;) {
		/* Without a shell, wake each second to start one again: a shell
		 * that cannot start or ends at once is not a busy loop. */
		r = wait_for(pid, &st, false, pid > 0 ? -1 : 1000, end);
		if (r == W_SHUTDOWN)
			return false;
		if (r == W_WATCHED) {
			log_msg(LOG_WARN, "emergency shell ended (wait status %#x)", (unsigned)st);
			pid = -1;
		}
		if (config_load(dir, set, DIAG_NONE) > 0) {
			log_msg(LOG_INFO, "%d jails in %s now", set->njails, dir);
			return true;
		}
		if (pid < 0 && r == W_TIMEOUT)
			pid = pid1_shell_start(set->init.emergency_shell, "emergency shell");
	}
}

/* ---- shutdown ---- */

/* Unescapes mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	*d = '\0';
}

/* Every mount but "/", newest first; busy ones lazily. */
static void unmount_all(void)
{
	char *info = malloc(1 << 16), *mp[256], *s, *l;
	int n = 0, ok = 0, i;

	/* stat gives mountinfo no size: read_whole() would see it empty. */
	if (info && fdio_read_file(AT_FDCWD, "/proc/self/mountinfo", info, 1 << 16) < 0) {
		free(info);
		info = NULL;
	}
	for (s = info; info && n < 256 && (l = strtok_r(s, "\n", &s));) {
		char *f = l;

		for (i = 0; i < 4 && f; i++)
			f = strchr(f + 1, ' ');
		if (!f)
			continue;
		mp[n] = f + 1;
		if ((f = strchr(f + 1, ' ')))
			*f = '\0';
		unescape(mp[n]);
		if (strcmp(mp[n], "/") != 0)
			n++;
	}
	for (i = n - 1; i >= 0; i--)
		if (umount2(mp[i], 0) == 0 || umount2(mp[i], MNT_DETACH) == 0)
			ok++;
	log_msg(LOG_INFO, "unmounted %d of %d filesystems", ok, n);
	free(info);
}

static const char *end_name(enum sup_end end)
{
	return end == SUP_END_HALT ? "halt" : end == SUP_END_POWEROFF ? "poweroff" : "reboot";
}

/* Runs in: PID 1 after every jail stopped (brig(8), INIT MODE). Never returns. */
static void __attribute__((noreturn)) shutdown_all(enum sup_end end, uint64_t timeout_ms)
{
	int cmd = end == SUP_END_HALT       ? RB_HALT_SYSTEM
		  : end == SUP_END_POWEROFF ? RB_POWER_OFF
					    : RB_AUTOBOOT;
	int r;

	log_msg(LOG_INFO, "shutdown (%s): TERM to every process", end_name(end));
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	if (wait_for(0, NULL, true, (int64_t)timeout_ms, NULL) == W_TIMEOUT) {
		log_msg(LOG_WARN, "processes left after %llu ms: KILL",
			(unsigned long long)timeout_ms);
		kill(-1, SIGKILL);
		if (wait_for(0, NULL, true, KILL_WAIT_MS, NULL) == W_TIMEOUT)
			log_msg(LOG_WARN, "processes left after KILL; going on");
	}
	sync();
	unmount_all();
	sync();
	watchdog_finish(end);
	log_msg(LOG_INFO, "%s", end == SUP_END_HALT       ? "halting"
			       : end == SUP_END_POWEROFF ? "powering off"
							 : "rebooting");
	r = reboot_from_child(cmd);
	log_msg(LOG_ERROR, "reboot(2) for %s: %s; PID 1 idles", end_name(end), strerror(r));
	idle_forever();
}

/* ---- init ---- */

/* Blocks every asynchronous signal; they are taken with sigtimedwait()
 * here and through the supervisor's signalfd later. Faults stay unblocked
 * so a bug shows instead of spinning. */
static void signals_block(void)
{
	sigset_t all;

	sys_async_signals(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* Runs in: PID 1, the whole of init mode. */
static void __attribute__((noreturn)) init(void)
{
	struct config_set *set = calloc(1, sizeof *set);
	struct sup_opts o = { .init_mode = true };
	enum sup_end end = SUP_END_REBOOT;
	char dir[PATH_MAX];
	struct utsname u;
	int bad;

	signals_block();
	/* Ctrl-Alt-Del becomes SIGINT to PID 1 instead of an instant reboot. */
	reboot(RB_DISABLE_CAD);
	umask(022);
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 0);
	setenv("HOME", "/", 0);
	setenv("TERM", "linux", 0);
	if (!set)
		pid1_panic("out of memory");
	log_msg(LOG_INFO, "brig %s: init on Linux %s", BRIG_VERSION,
		uname(&u) == 0 ? u.release : "?");

	root_make_pivotable();
	bad = mounts_early();
	console_fds();
	log_init(2, 1);
	if (!bad)
		log_msg(LOG_INFO, "mounted /proc /sys /dev /dev/pts /dev/shm /run /tmp " CGROUP_MNT);
	cgroups_setup();

	config_dir(dir, sizeof dir);
	config_load(dir, set, DIAG_INIT);
	if (set->init.hostname && sethostname(set->init.hostname, strlen(set->init.hostname)) < 0)
		log_msg(LOG_ERROR, "sethostname %s: %s", set->init.hostname, strerror(errno));
	loopback_up();
	modules_load(set->init.modules, set->init.nmodules);
	if (set->init.watchdog)
		watchdog_open(set->init.watchdog, set->init.watchdog_interval_ms);

	if (set->njails == 0) {
		config_load(dir, set, DIAG_JAILS);
		log_msg(LOG_WARN, "no jail can be loaded from %s/jails", dir);
		if (set->init.emergency_shell[0] && !emergency(dir, set, &end))
			shutdown_all(end, set->init.shutdown_timeout_ms);
	}

	o.config_dir = dir;
	end = supervisor_run(&o);
	if (end == SUP_END_EXIT) {
		/* Only a supervisor that could not set up returns this in init
		 * mode. PID 1 still reaps and still shuts down on request. */
		log_msg(LOG_ERROR, "supervisor ended without a shutdown action; waiting for "
				   "poweroff, reboot or halt");
		while (wait_for(0, NULL, false, -1, &end) != W_SHUTDOWN)
			;
	}
	shutdown_all(end, set->init.shutdown_timeout_ms);
}

int pid1_main(int argc, char **argv)
{
	(void)argc;
	(void)argv; /* the kernel passes unknown command-line words: ignored */
	if (getpid() != 1) {
		fprintf(stderr, "brig: init: not PID 1 (for a supervisor under another init, "
				"use brig supervise)\n");
		return 2;
	}
	init();
}

/* ---- poweroff, reboot, halt ---- */

/* PID 1 runs this very program (or there is no /proc to tell). The
 * busybox signals mean something else to other inits: to systemd, TERM
 * is "re-execute" and USR1 "reconnect to D-Bus". */
static bool pid1_is_brig(void)
{
	struct stat a, b;

	if (stat("/proc/1/exe", &a) < 0)
		return errno == ENOENT;
	return stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int pid1_client_main(int argc, char **argv)
{
	const char *action = argv[0], *sock = getenv("BRIG_SOCKET");
	int sig = !strcmp(action, "poweroff") ? SIGUSR2
		  : !strcmp(action, "reboot") ? SIGTERM
		  : !strcmp(action, "halt")   ? SIGUSR1
					      : 0;
	int i;

	if (!sig) {
		fprintf(stderr, "brig: unknown action '%s' (poweroff, reboot, halt)\n", action);
		return 2;
	}
	/* The supervisor's socket first: it reaches PID 1 from inside a jail
	 * (whose own PID 1 is its jail init) when /run/brig is bound in. */
	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--socket"))
			sock = argv[i + 1];
	if (!sock || !*sock)
		sock = "/run/brig/control.sock";
	if (access(sock, F_OK) == 0)
		return control_client_main(argc, argv);
	if (!pid1_is_brig()) {
		fprintf(stderr,
			"brig: %s: no control socket at %s and PID 1 is not brig (in a jail, "
			"bind /run/brig in)\n", action, sock);
		return 1;
	}
	if (kill(1, sig) < 0) {
		fprintf(stderr, "brig: %s: kill(1, SIG%s): %s\n", action, config_signal_name(sig),
			strerror(errno));
		return 1;
	}
	return 0;
}
