/* Runs in: the host's PID 1 (init mode, brig(8) INIT MODE) from the kernel's exec of
 * /init until the supervisor takes over, and a child of it (the pivot_root
 * probe). The boot: early mounts, a pivotable root, cgroups, the system
 * file, hostname, loopback, modules, the watchdog, the emergency shell;
 * then the supervisor (control_run) and the shutdown (shutdown.c).
 *
 * PID 1 never exits, aborts or asserts: the kernel panics when it ends.
 * Every failure below is logged and boot goes on with what works; only
 * pid1_panic() gives up, and it reboots instead of ending. */
#include "pid1.h"

#include "cfgdir.h"
#include "ctlserver.h"
#include "fdio.h"
#include "log.h"
#include "shell.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include <sys/resource.h>
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

/* ---- pure parts ---- */

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
		return err_sys(e, "bind / on /run");
	if (chdir("/run") < 0)
		return err_sys(e, "chdir /run");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return err_sys(e, "move the bind of / onto /");
	if (chroot(".") < 0 || chdir("/") < 0)
		return err_sys(e, "chroot into the bind of /");
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

/* The early mounts, one word each in the lists below: type, target,
 * mount(2) data ("-": none), flags. nsdelegate: a jail's cgroup namespace
 * is a delegation boundary, as under systemd. */
static const char early_type[] = "proc\0sysfs\0devtmpfs\0devpts\0tmpfs\0tmpfs\0tmpfs\0cgroup2\0";
static const char early_dst[] = "/proc\0/sys\0/dev\0/dev/pts\0/dev/shm\0/run\0/tmp\0" CGROUP_MNT "\0";
static const char early_data[] = "-\0-\0mode=0755\0mode=0620,ptmxmode=0666\0mode=1777\0mode=0755\0"
				 "mode=1777\0nsdelegate\0";
#define NS MS_NOSUID
#define ND MS_NODEV
#define NX MS_NOEXEC
static const unsigned char early_flags[] = { NS | ND | NX, NS | ND | NX, NS, NS | NX,
					     NS | ND,	   NS | ND,	 NS | ND, NS | ND | NX };

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
	const char *type, *dst, *data;
	size_t i;
	int bad = 0, k;

	for (k = 0; (type = value_nth(early_type, k)); k++) {
		dst = value_nth(early_dst, k);
		data = value_nth(early_data, k);
		mkdir(dst, 0755);
		if (is_mounted(dst))
			continue;
		if (mount(type, dst, type, early_flags[k], strcmp(data, "-") ? data : NULL) < 0) {
			log_msg(LOG_ERROR, "mount %s on %s: %m", type, dst);
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
		log_msg(LOG_ERROR, "%s: %m", path);
		return 0;
	}
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	for (s = ctl; (w = strtok_r(s, " \n", &s));) {
		snprintf(req, sizeof req, "+%s", w);
		if (fdio_write_file(AT_FDCWD, path, req) < 0) {
			log_msg(LOG_WARN, "%s: %s: %m", path, req);
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
		log_msg(LOG_ERROR, "mkdir " CGROUP_MNT "/brig: %m");
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
		sup_diag_log(NULL, file, line, warning, msg);
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
	config_load_dir(dir, set, NULL, NULL, &d);
	config_check_graph(set, NULL, NULL, &d);
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
		log_msg(LOG_WARN, "loopback up: %m");
	if (fd >= 0)
		close(fd);
}

/* ---- the emergency shell ---- */

/* Runs in: PID 1 when no jail could be loaded. Keeps the shell running on
 * the console until the config dir yields a jail (checked when the shell
 * exits and on SIGHUP) or a shutdown signal comes. Returns true to go on
 * to the supervisor, false with *end set to shut down. */
static bool emergency(const char *dir, struct config_set *set, struct watchdog *wd,
		      enum sup_end *end)
{
	pid_t pid = shell_start(set->init.emergency_shell, "emergency shell");
	enum pid1_wait r;
	int st;

	for (;;) {
		/* Without a shell, wake each second to start one again: a shell
		 * that cannot start or ends at once is not a busy loop. */
		r = pid1_wait(wd, pid, &st, false, pid > 0 ? UINT64_MAX : pid1_now() + 1000, end);
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
			pid = shell_start(set->init.emergency_shell, "emergency shell");
	}
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

/* The environment of PID 1 and what it starts (the shells): the kernel's
 * own (its unknown command-line words among them) is dropped. */
static char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=linux", NULL };

/* Runs in: PID 1, the whole of init mode. */
static void __attribute__((noreturn)) init(void)
{
	struct config_set *set = calloc(1, sizeof *set);
	struct watchdog wd = { .fd = -1 };
	struct sup_opts o = { .init_mode = true, .wd = &wd };
	enum sup_end end = SUP_END_REBOOT;
	uint64_t deadline = 0;
	char dir[PATH_MAX];
	struct utsname u;
	int bad;

	signals_block();
	/* Ctrl-Alt-Del becomes SIGINT to PID 1 instead of an instant reboot. */
	reboot(RB_DISABLE_CAD);
	/* PID 1 before its children: a jail's setup (and its service) runs at
	 * the default priority (the loop sets it after each spawn), so 200
	 * jails setting up at once cannot starve the loop and its watchdog. */
	setpriority(PRIO_PROCESS, 0, PID1_NICE);
	umask(022);
	environ = env;
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
		log_msg(LOG_ERROR, "sethostname %s: %m", set->init.hostname);
	loopback_up();
	pid1_modules_load(set->init.modules, set->init.nmodules, &wd);
	if (set->init.watchdog)
		watchdog_open(&wd, set->init.watchdog, set->init.watchdog_interval_ms, pid1_now());

	if (set->njails == 0) {
		config_load(dir, set, DIAG_JAILS);
		log_msg(LOG_WARN, "no jail can be loaded from %s/jails", dir);
		if (set->init.emergency_shell[0] && !emergency(dir, set, &wd, &end))
			pid1_shutdown(&wd, end, pid1_now() + set->init.shutdown_timeout_ms);
	}

	o.config_dir = dir;
	end = control_run(&o, &deadline);
	if (end == SUP_END_EXIT) {
		/* Only a supervisor that could not set up (or whose epoll broke)
		 * returns this in init mode. PID 1 still reaps and still shuts
		 * down on request. */
		log_msg(LOG_ERROR, "supervisor ended without a shutdown action; waiting for "
				   "poweroff, reboot or halt");
		while (pid1_wait(&wd, 0, NULL, false, UINT64_MAX, &end) != W_SHUTDOWN)
			;
		deadline = 0;
	}
	if (!deadline)
		deadline = pid1_now() + set->init.shutdown_timeout_ms;
	pid1_shutdown(&wd, end, deadline);
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

