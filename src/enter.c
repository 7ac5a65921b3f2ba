/* Runs in: the `brig exec` client process, as root on the host. It enters a
 * running jail itself, so the supervisor's loop never waits on a command:
 * the jail's cgroup, then its namespaces (user first, so the others are
 * joined with the jail's own privileges), then a child that takes
 * everything the service gets (a session of its own, credentials,
 * capabilities, no_new_privs, limits, a fresh session keyring) and execs
 * CMD. From a terminal the child gets a pty of the jail's own devpts
 * instead of the caller's terminal, and the client relays between the two,
 * as `docker exec -t` does: nothing in the jail ever holds a descriptor of
 * the caller's terminal. */
#include "enter.h"

#include "caps.h"
#include "config.h"
#include "fdio.h"
#include "path.h"
#include "reaper.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

static const struct {
	const char *name;
	int type;
} ns_order[] = {
	{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },   { "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID },
	{ "mnt", CLONE_NEWNS },
};

#define NNS (sizeof ns_order / sizeof ns_order[0])

/* Opens every namespace first: /proc changes once the mount one is joined. */
static int enter_namespaces(pid_t pid, const struct jail_cfg *c, struct err *e)
{
	int fds[NNS], rc = 0;
	char path[64];
	size_t i;

	for (i = 0; i < NNS; i++) {
		bool want = ns_order[i].type == CLONE_NEWNS ||
			    (c->namespaces & (unsigned long)ns_order[i].type);

		fds[i] = -1;
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns_order[i].name);
		if (want && rc == 0 && (fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			rc = err_sys(e, "open %s", path);
	}
	for (i = 0; i < NNS && rc == 0; i++)
		if (fds[i] >= 0 && setns(fds[i], ns_order[i].type) < 0)
			rc = err_sys(e, "setns %s namespace of pid %d", ns_order[i].name,
				     (int)pid);
	for (i = 0; i < NNS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* Runs in: the exec child, inside the jail; never returns. */
static void exec_child(const struct jail_cfg *c, char **argv, int slave)
{
	struct err e = { 0 };
	char buf[300];
	sigset_t none;
	int fd, code = 125;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* A session of its own; from a terminal, the pty is its controlling
	 * one and takes the place of each terminal fd of the caller's. */
	(void)setsid();
	if (slave >= 0) {
		(void)ioctl(slave, TIOCSCTTY, 0);
		for (fd = 0; fd < 3; fd++)
			if (isatty(fd))
				(void)dup2(slave, fd);
	}
	if (caps_apply(c, &e) == 0) {
		environ = (char **)c->env;
		execvp(argv[0], argv);  /* in the jail's PATH */
		code = errno == ENOENT ? 127 : 126;
		err_sys(&e, "%s", argv[0]);
	}
	fprintf(stderr, "brig: exec %s: %s\n", c->name, err_str(&e, buf, sizeof buf));
	_exit(code);
}

static void copy_winsize(int tty, int master)
{
	struct winsize ws;

	if (ioctl(tty, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(master, TIOCSWINSZ, &ws);
}

/* Moves what one side has to the other; false at its end. */
static bool pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof buf);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	return n > 0 && fdio_write_all(to, buf, (size_t)n) == 0;
}

/* Relays between the caller's terminal and the pty (master >= 0), resizes
 * it with the caller's, and forwards the signals the caller gets, until
 * the child has ended; returns its exit status. Without a pty, only the
 * signals. */
static int relay(int master, int tty, int sigfd, pid_t child)
{
	struct pollfd p[3] = { { sigfd, POLLIN, 0 }, { master, POLLIN, 0 }, { -1, POLLIN, 0 } };
	struct signalfd_siginfo si;
	int st = 0, out = isatty(1) ? 1 : 2;

	if (master >= 0 && isatty(0))
		p[2].fd = 0;
	for (;;) {
		if (poll(p, 3, -1) < 0 && errno != EINTR) {
			(void)waitpid(child, &st, 0);
			break;
		}
		if ((p[1].revents & (POLLIN | POLLHUP)) && !pump(master, out))
			p[1].fd = -1;
		if ((p[2].revents & (POLLIN | POLLHUP)) && !pump(0, master))
			p[2].fd = -1;
		if (!(p[0].revents & POLLIN) || read(sigfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo == SIGWINCH && master >= 0)
			copy_winsize(tty, master);
		else if (si.ssi_signo != SIGCHLD)
			(void)kill(child, (int)si.ssi_signo);
		else if (waitpid(child, &st, WNOHANG) == child)
			break;
	}
	/* What the command wrote just before it ended. */
	if (master >= 0 && fcntl(master, F_SETFL, O_NONBLOCK) == 0)
		while (pump(master, out))
			;
	return reaper_status(st);
}

/* Joins the jail's cgroup and namespaces; from a terminal (*tty: the
 * caller's first, else -1), opens a pty of the jail's own devpts without
 * following any link the jail may have made. */
static int join(pid_t pid, const struct jail_cfg *c, const char *cgroup_root, int pty[2],
		int *tty, struct err *e)
{
	char path[PATH_MAX + 64], me[16];
	int unlock = 0;

	snprintf(path, sizeof path, "%s/%s/cgroup.procs", cgroup_root, c->name);
	snprintf(me, sizeof me, "%d", (int)getpid());
	if (fdio_write_file(AT_FDCWD, path, me) < 0)
		return err_sys(e, "join cgroup %s", path);
	if (enter_namespaces(pid, c, e) < 0)
		return -1;
	for (*tty = 0; *tty < 3 && !isatty(*tty); ++*tty)
		;
	if (*tty == 3) {
		*tty = -1;
		return 0;
	}
	pty[0] = path_open(AT_FDCWD, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, 0);
	if (pty[0] < 0 || ioctl(pty[0], TIOCSPTLCK, &unlock) < 0 ||
	    (pty[1] = ioctl(pty[0], TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return err_sys(e, "pty of the jail: /dev/pts/ptmx");
	copy_winsize(*tty, pty[0]);
	return 0;
}

int jail_exec(pid_t pid, const char *file, const char *cgroup_root, char **argv)
{
	static const int fwd[] = { SIGCHLD, SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGQUIT };
	struct termios saved, raw;
	struct diag d = { 0 };
	struct jail_cfg c;
	struct err e = { 0 };
	char buf[300];
	int pty[2] = { -1, -1 }, tty = -1, sigfd, rc, i;
	bool restore = false;
	sigset_t set;
	pid_t child;

	if (config_load_file(file, &c, &d) > 0) {
		fprintf(stderr, "brig: exec: %s no longer loads; run `brig check %s`\n", file, file);
		return 125;
	}
	/* Nothing the caller had open follows the command into the jail. */
	(void)sys_close_range(3, ~0U, 0);
	if (join(pid, &c, cgroup_root, pty, &tty, &e) < 0)
		goto fail;
	sigemptyset(&set);
	for (i = 0; i < (int)(sizeof fwd / sizeof fwd[0]); i++)
		sigaddset(&set, fwd[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* The child is in the jail's PID namespace from its first instruction
	 * and holds the caller's fds until it has replaced them: not dumpable,
	 * so no process of the jail reads them through /proc/PID/fd. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0 || (child = fork()) < 0) {
		err_sys(&e, "start the command");
		goto fail;
	}
	if (child == 0)
		exec_child(&c, argv, pty[1]);
	if (pty[1] >= 0)
		close(pty[1]);
	if (pty[0] >= 0 && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	rc = relay(pty[0], tty, sigfd, child);
	if (restore)
		(void)tcsetattr(0, TCSANOW, &saved);
	return rc;
fail:
	fprintf(stderr, "brig: exec %s: %s\n", c.name, err_str(&e, buf, sizeof buf));
	return 125;
}
