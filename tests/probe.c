/* Runs in: a jail built by `brig run` (or, for negative controls, on the
 * host). Static, libc only. Prints facts one per line as "KEY VALUE..." so
 * the shell suites in tests/ns can compare them with grep -x.
 *
 *   probe pid                 "pid N", "ppid N", "init NAME" (comm of pid 1)
 *   probe procs               "procs 1 2 ..." every pid visible in /proc
 *   probe caps                "CapInh HEX" ... "CapAmb HEX", "NoNewPrivs N"
 *   probe ids                 "uid R E S", "gid R E S", "groups G..."
 *   probe env                 the environment, one NAME=VALUE a line
 *   probe rlimit NAME         "NAME SOFT HARD" (a number or "unlimited")
 *   probe umask | cwd | hostname | fds
 *   probe mount PATH          "mount PATH FSTYPE OPTS" of the top mount there
 *   probe net                 "if NAME up|down" for each interface
 *   probe write PATH [TEXT]   "write ok" or "write ERRNO"
 *   probe read PATH           "read TEXT" or "read ERRNO"
 *   probe exit N              exit status N
 *   probe die SIG             kill itself with SIG (default disposition)
 *   probe sig [TAG]           "ready", then wait for a signal: "signal NAME",
 *                             exit 128+N
 *   probe sleep [TAG]         "ready", then wait with default dispositions
 *   probe zombies N           N orphaned grandchildren exit; then
 *                             "zombies K" and "others K" once /proc settles
 *   probe escape WHAT ARG...  "escape WHAT RESULT", RESULT being the errno
 *                             name of the kernel's refusal or "ESCAPED"
 *   probe sc WHAT ARG...      a syscall the seccomp filter decides on: "sc WHAT
 *                             OK" or the errno name (see cmd_sc)
 *
 * Jail runtime (the attempts of tests/ns/50-escape.sh on /proc, terminals,
 * keyrings, fds, memory, the notify socket):
 *   probe escape sysctl PATH  open PATH for writing, write back its value
 *   probe escape openw PATH   open PATH for writing only (sysrq-trigger)
 *   probe escape read PATH    ESCAPED when PATH gives bytes, else EMPTY
 *   probe escape exists PATH  ESCAPED when PATH exists
 *   probe escape tiocsti FD   push a blank into FD's terminal input
 *   probe escape devtty       open /dev/tty
 *   probe escape ttyfd DEV:MAJ:MIN  any fd of any visible process on that
 *                             terminal (as stat -L -c %d:%t:%T prints it)
 *   probe escape procfds MARKER [PID]  a directory fd of another process (of
 *                             PID), reached through /proc/PID/fd, leads to
 *                             MARKER
 *   probe escape mem PID TEXT   TEXT in the memory of PID (/proc/PID/mem)
 *   probe escape keyring DESC   a "user" key DESC in the session keyring
 *   probe keysession DESC -- CMD...  a new session keyring holding key DESC,
 *                             then exec CMD in it
 *   probe notify TEXT         send TEXT to $NOTIFY_SOCKET: "notify ok|ERRNO"
 *   probe bindsock PATH MODE  a datagram socket bound at PATH with MODE
 *                             (octal): "bound", then "got TEXT" once
 *   probe pty STEP... -- CMD...  CMD on a new pty (24x80) as its controlling
 *                             terminal, driven by STEPs: "send:TEXT" (^X is
 *                             a control character), "wait:TEXT" (in its
 *                             output, 10 s at most), "size:ROWS:COLS";
 *                             then everything it wrote and "exit N"
 *
 * Output goes through dprintf, never stdio buffers, so forked children
 * cannot duplicate it and a killed probe loses nothing. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define say(...) dprintf(1, __VA_ARGS__)

static const struct {
	int num;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },	{ ESRCH, "ESRCH" },
	{ EINTR, "EINTR" },	{ EIO, "EIO" },		{ ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" },	{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
	{ ECHILD, "ECHILD" },	{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },	{ EFAULT, "EFAULT" },	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },	{ EXDEV, "EXDEV" },	{ ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },	{ EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" },	{ EMFILE, "EMFILE" },	{ ENOTTY, "ENOTTY" },
	{ ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" },	{ ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },	{ EMLINK, "EMLINK" },	{ ENOSYS, "ENOSYS" },
	{ ELOOP, "ELOOP" },	{ ENAMETOOLONG, "ENAMETOOLONG" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },			{ EKEYREJECTED, "EKEYREJECTED" },
	{ ENOKEY, "ENOKEY" },	{ EBADMSG, "EBADMSG" }, { ENOTSUP, "ENOTSUP" },
};

static const char *errname(int e)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
		if (errnames[i].num == e)
			return errnames[i].name;
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

static const struct {
	int num;
	const char *name;
} signames[] = {
	{ SIGHUP, "HUP" },   { SIGINT, "INT" },	  { SIGQUIT, "QUIT" }, { SIGKILL, "KILL" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },
	{ SIGTERM, "TERM" }, { SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGWINCH, "WINCH" },
	{ SIGPWR, "PWR" },   { SIGTSTP, "TSTP" },
};

static const char *signame(int s)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
		if (signames[i].num == s)
			return signames[i].name;
	snprintf(buf, sizeof buf, "%d", s);
	return buf;
}

static int signum(const char *s)
{
	if (isdigit((unsigned char)*s))
		return atoi(s);
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
		if (!strcmp(signames[i].name, s))
			return signames[i].num;
	return -1;
}

static void usage(void)
{
	dprintf(2, "probe: bad arguments (see the comment at the top of tests/probe.c)\n");
	exit(64);
}

static long num_arg(int argc, char **argv, int i)
{
	if (i >= argc)
		usage();
	return strtol(argv[i], NULL, 0);
}

static const char *str_arg(int argc, char **argv, int i)
{
	if (i >= argc)
		usage();
	return argv[i];
}

/* Reads a small file whole; returns its length or -1 with errno set. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return (ssize_t)n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int cmd_pid(void)
{
	char comm[64] = "?";

	if (slurp("/proc/1/comm", comm, sizeof comm) > 0)
		comm[strcspn(comm, "\n")] = 0;
	say("pid %d\nppid %d\ninit %s\n", (int)getpid(), (int)getppid(), comm);
	return 0;
}

static int is_pid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int cmd_procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int pids[4096], n = 0;

	if (!d) {
		say("procs %s\n", errname(errno));
		return 1;
	}
	while ((de = readdir(d)) && n < 4096)
		if (is_pid_name(de->d_name))
			pids[n++] = atoi(de->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)  /* insertion sort: a handful of pids */
		for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
			int t = pids[j];

			pids[j] = pids[j - 1];
			pids[j - 1] = t;
		}
	say("procs");
	for (int i = 0; i < n; i++)
		say(" %d", pids[i]);
	say("\n");
	return 0;
}

static int cmd_caps(void)
{
	char buf[8192], *line, *save = NULL;

	if (slurp("/proc/self/status", buf, sizeof buf) < 0) {
		say("caps %s\n", errname(errno));
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[32], val[64];

		if (sscanf(line, "%31[^:]:%*[ \t]%63s", key, val) != 2)
			continue;
		if (!strncmp(key, "Cap", 3) || !strcmp(key, "NoNewPrivs") ||
		    !strcmp(key, "Seccomp"))
			say("%s %s\n", key, val);
	}
	return 0;
}

static int cmd_ids(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[256];
	int n;

	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	say("uid %u %u %u\ngid %u %u %u\ngroups", ru, eu, su, rg, eg, sg);
	n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		say(" %u", groups[i]);
	say("\n");
	return 0;
}

static int cmd_env(void)
{
	for (char **e = environ; *e; e++)
		say("%s\n", *e);
	return 0;
}

static const struct {
	const char *name;
	int res;
} rlimits[] = {
	{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },	  { "core", RLIMIT_CORE },
	{ "memlock", RLIMIT_MEMLOCK }, { "stack", RLIMIT_STACK }, { "as", RLIMIT_AS },
	{ "cpu", RLIMIT_CPU },	     { "fsize", RLIMIT_FSIZE },
};

static void say_lim(rlim_t v)
{
	if (v == RLIM_INFINITY)
		say(" unlimited");
	else
		say(" %llu", (unsigned long long)v);
}

static int cmd_rlimit(const char *name)
{
	for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++) {
		struct rlimit rl;

		if (strcmp(rlimits[i].name, name))
			continue;
		getrlimit(rlimits[i].res, &rl);
		say("%s", name);
		say_lim(rl.rlim_cur);
		say_lim(rl.rlim_max);
		say("\n");
		return 0;
	}
	usage();
	return 64;
}

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[1024], n = 0, self;

	if (!d) {
		say("fds %s\n", errname(errno));
		return 1;
	}
	self = dirfd(d);
	while ((de = readdir(d)) && n < 1024)
		if (is_pid_name(de->d_name) && atoi(de->d_name) != self)
			fds[n++] = atoi(de->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	say("fds");
	for (int i = 0; i < n; i++)
		say(" %d", fds[i]);
	say("\n");
	return 0;
}

/* The mountinfo line whose mount point is PATH, the last one (on top). */
static int cmd_mount(const char *path)
{
	static char buf[1 << 16];
	char *line, *save = NULL, found[512] = "";

	if (slurp("/proc/self/mountinfo", buf, sizeof buf) < 0) {
		say("mount %s %s\n", path, errname(errno));
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mp[256], opts[256], fstype[64], *dash;

		if (sscanf(line, "%*d %*d %*s %*s %255s %255s", mp, opts) != 2)
			continue;
		dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		if (!strcmp(mp, path))
			snprintf(found, sizeof found, "%s %s", fstype, opts);
	}
	say("mount %s %s\n", path, *found ? found : "none");
	return 0;
}

static int cmd_net(void)
{
	char buf[8192], *line, *save = NULL;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (slurp("/proc/net/dev", buf, sizeof buf) < 0) {
		say("net %s\n", errname(errno));
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ifreq ifr;
		char name[IFNAMSIZ];
		char *colon = strchr(line, ':');

		if (!colon || sscanf(line, " %15[^:]:", name) != 1)
			continue;
		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
		if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
			say("if %s %s\n", name, errname(errno));
		else
			say("if %s %s\n", name, (ifr.ifr_flags & IFF_UP) ? "up" : "down");
	}
	return 0;
}

static int cmd_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		say("write %s\n", errname(errno));
		return 1;
	}
	close(fd);
	say("write ok\n");
	return 0;
}

static int cmd_read(const char *path)
{
	char buf[4096];

	if (slurp(path, buf, sizeof buf) < 0) {
		say("read %s\n", errname(errno));
		return 1;
	}
	buf[strcspn(buf, "\n")] = 0;
	say("read %s\n", buf);
	return 0;
}

static int cmd_die(int sig)
{
	sigset_t all;

	signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigaddset(&all, sig);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	raise(sig);
	return 99;
}

static int cmd_sig(void)
{
	sigset_t all;
	siginfo_t si;
	int sig;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	say("ready\n");
	do
		sig = sigwaitinfo(&all, &si);
	while (sig < 0 || sig == SIGCHLD || sig == SIGWINCH);
	say("signal %s\n", signame(sig));
	return 128 + sig;
}

static int cmd_sleep(void)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	say("ready\n");
	for (;;)
		pause();
	return 0;
}

/* Counts processes in /proc other than pid 1 and ourselves, and zombies. */
static void count_procs(int *zombies, int *others)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	*zombies = *others = 0;
	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], stat[512], *rp;
		int pid;

		if (!is_pid_name(de->d_name))
			continue;
		pid = atoi(de->d_name);
		if (pid == 1 || pid == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		if (slurp(path, stat, sizeof stat) < 0)
			continue;  /* gone while we looked */
		(*others)++;
		rp = strrchr(stat, ')');
		if (rp && rp[1] == ' ' && rp[2] == 'Z')
			(*zombies)++;
	}
	closedir(d);
}

/* A middle child forks N grandchildren and exits. Each grandchild blocks on a
 * pipe that only the middle child holds open, so all of them exit right after
 * it: orphans (or zombies reparented with it) that only the jail's init can
 * reap. No busy waiting: 1,000 of them stay cheap. */
static int cmd_zombies(long n)
{
	int zombies, others, st, p[2];
	long deadline;
	pid_t mid;

	if (pipe(p) < 0 || (mid = fork()) < 0) {
		say("zombies %s\n", errname(errno));
		return 1;
	}
	if (mid == 0) {
		long forked = 0;

		close(p[0]);
		for (; forked < n; forked++) {
			pid_t c = fork();
			char b;

			if (c < 0)
				break;
			if (c == 0) {
				close(p[1]);
				while (read(p[0], &b, 1) < 0 && errno == EINTR)
					;
				_exit(0);
			}
		}
		say("forked %ld\n", forked);
		_exit(forked == n ? 0 : 1);
	}
	close(p[0]);
	close(p[1]);
	if (waitpid(mid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		say("zombies fork-failed\n");
		return 1;
	}
	deadline = now_ms() + 20000;
	do {
		count_procs(&zombies, &others);
		if (!zombies && !others)
			break;
		sleep_ms(10);
	} while (now_ms() < deadline);
	say("zombies %d\nothers %d\n", zombies, others);
	return zombies || others;
}

/* ---- escape attempts: each prints "escape WHAT RESULT" ---- */

static int result(const char *what, int escaped, int err)
{
	say("escape %s %s\n", what, escaped ? "ESCAPED" : errname(err));
	return escaped;
}

static int esc_kill(const char *pid, const char *sig)
{
	int s = sig ? signum(sig) : SIGTERM;

	if (kill(atoi(pid), s) == 0)
		return result("kill", 1, 0);
	return result("kill", 0, errno);
}

/* Climbs ".." from / far more often than any tree is deep, then looks for a
 * host-only file by its path relative to the host's root. */
static int esc_dotdot(const char *marker)
{
	struct stat st;

	if (chdir("/") < 0)
		return result("dotdot", 0, errno);
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			return result("dotdot", 0, errno);
	if (stat(marker + (*marker == '/'), &st) == 0)
		return result("dotdot", 1, 0);
	return result("dotdot", 0, errno);
}

/* /proc/PID/root of a process whose root is elsewhere leads there. */
static int esc_procroot(const char *pid, const char *marker)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%s/root/%s", pid, marker + (*marker == '/'));
	if (stat(path, &st) == 0)
		return result("procroot", 1, 0);
	return result("procroot", 0, errno);
}

/* Every open fd above 2 is a way out if it names a directory of the host:
 * fchdir to it, climb, look for the marker. "EBADF": nothing inherited. */
static int esc_fds(const char *marker)
{
	int found = 0;

	for (int fd = 3; fd < 1024; fd++) {
		struct stat st;

		if (fcntl(fd, F_GETFD) < 0)
			continue;
		found++;
		dprintf(2, "probe: fd %d is open\n", fd);
		if (fchdir(fd) < 0)
			continue;
		for (int i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		if (stat(marker + (*marker == '/'), &st) == 0)
			return result("fds", 1, 0);
	}
	return result("fds", found, found ? 0 : EBADF);
}

/* The classic: chroot into a subdirectory while keeping the cwd outside it,
 * climb out with "..", chroot to where we landed. */
static int esc_chroot(const char *marker)
{
	struct stat st;

	if (chdir("/tmp") < 0)
		return result("chroot", 0, errno);
	if (mkdir("/tmp/.probe-chroot", 0700) < 0 && errno != EEXIST)
		return result("chroot", 0, errno);
	if (chroot("/tmp/.probe-chroot") < 0)
		return result("chroot", 0, errno);
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			return result("chroot", 0, errno);
	if (chroot(".") < 0)
		return result("chroot", 0, errno);
	if (stat(marker, &st) == 0)
		return result("chroot", 1, 0);
	return result("chroot", 0, errno);
}

static int esc_remount(const char *path)
{
	int err;

	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
		return result("remount", 1, 0);
	err = errno;
	if (mount(NULL, path, NULL, MS_REMOUNT, NULL) == 0)
		return result("remount", 1, 0);
	return result("remount", 0, err);
}

static int esc_mount(const char *path)
{
	if (mount("probe", path, "tmpfs", 0, "size=64k") == 0)
		return result("mount", 1, 0);
	return result("mount", 0, errno);
}

/* A garbage image: a process allowed to load modules gets past the
 * permission check and fails on the ELF header instead (ENOEXEC). */
static int esc_module(void)
{
	static const char junk[64] = "not a module";
	int e1 = 0, e2 = 0, fd;
	char word[64];

	if (syscall(SYS_init_module, junk, sizeof junk, "") == 0)
		return result("module", 1, 0);
	e1 = errno;
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && syscall(SYS_finit_module, fd, "", 0) == 0)
		return result("module", 1, 0);
	e2 = fd < 0 ? EBADF : errno;
	if (e1 == e2)
		return result("module", 0, e1);
	snprintf(word, sizeof word, "%s", errname(e1));
	say("escape module init:%s,finit:%s\n", word, errname(e2));
	return 0;
}

static int esc_mknod(const char *path)
{
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		unlink(path);
		return result("mknod", 1, 0);
	}
	return result("mknod", 0, errno);
}

/* Raw capget/capset (libc only). First clears the effective set while keeping
 * the permitted one, then asks for CAP back in both: that succeeds exactly
 * when CAP is still permitted. */
struct cap_hdr {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};
#define CAP_V3 0x20080522

static int esc_capset(int cap)
{
	struct cap_hdr h = { CAP_V3, 0 };
	struct cap_data d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return result("capset", 0, errno);
	d[0].effective = d[1].effective = 0;
	if (syscall(SYS_capset, &h, d) < 0)
		return result("capset", 0, errno);
	d[cap / 32].effective |= 1u << (cap % 32);
	d[cap / 32].permitted |= 1u << (cap % 32);
	if (syscall(SYS_capset, &h, d) == 0)
		return result("capset", 1, 0);
	return result("capset", 0, errno);
}

/* Every namespace of PID: open its /proc file and setns into it. */
static int esc_setns(const char *pid)
{
	static const char *kinds[] = { "mnt", "net", "uts", "ipc", "pid", "cgroup" };
	int first = 0;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char path[64];
		int fd;

		snprintf(path, sizeof path, "/proc/%s/ns/%s", pid, kinds[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && setns(fd, 0) == 0)
			return result("setns", 1, 0);
		if (!first)
			first = errno;
		dprintf(2, "probe: %s: %s\n", path, errname(errno));
		if (fd >= 0)
			close(fd);
	}
	return result("setns", 0, first);
}

static int esc_write(const char *what, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return result(what, 0, errno);
	if (write(fd, text, strlen(text)) < 0) {
		int e = errno;

		close(fd);
		return result(what, 0, e);
	}
	close(fd);
	return result(what, 1, 0);
}

/* ---- jail runtime: /proc, terminals, keyrings, fds, memory, notify ---- */

#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SEARCH 10
#define KEY_SPEC_SESSION_KEYRING -3

static int said(const char *what, const char *how)
{
	say("escape %s %s\n", what, how);
	return strcmp(how, "ESCAPED") == 0;
}

/* Writes back the value it read: nothing changes, yet the write shows a
 * new value would have passed. */
static int esc_sysctl(const char *path)
{
	char buf[4096];
	ssize_t n = slurp(path, buf, sizeof buf);
	int fd = n < 0 ? -1 : open(path, O_WRONLY | O_CLOEXEC), e;

	if (fd < 0)
		return result("sysctl", 0, errno);
	e = write(fd, buf, (size_t)n) < 0 ? errno : 0;
	close(fd);
	return result("sysctl", !e, e);
}

/* Never writes: for files where any write acts (sysrq-trigger). */
static int esc_openw(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return result("openw", 0, errno);
	close(fd);
	return result("openw", 1, 0);
}

static int esc_read(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);

	if (n < 0)
		return result("read", 0, errno);
	close(fd);
	return said("read", n > 0 ? "ESCAPED" : "EMPTY");
}

static int esc_exists(const char *path)
{
	struct stat st;
	int ok = stat(path, &st) == 0;

	return result("exists", ok, errno);
}

static int esc_tiocsti(int fd)
{
	char c = ' ';
	int ok = ioctl(fd, TIOCSTI, &c) == 0;

	return result("tiocsti", ok, errno);
}

static int esc_devtty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);

	return result("devtty", fd >= 0, errno);
}

/* Calls fn(path, ctx) for every /proc/PID/fd/N of every process, this one
 * included (of pid only, when not NULL); stops at the first nonzero answer
 * and returns it. */
static int each_fd(const char *pid, int (*fn)(const char *, void *), void *ctx)
{
	DIR *d = opendir("/proc"), *f;
	struct dirent *p, *q;
	char dir[300], path[600];
	int hit = 0;

	while (d && !hit && (p = readdir(d))) {
		if (!is_pid_name(p->d_name) || (pid && strcmp(pid, p->d_name)))
			continue;
		snprintf(dir, sizeof dir, "/proc/%s/fd", p->d_name);
		if (!(f = opendir(dir)))
			continue;
		while (!hit && (q = readdir(f)))
			if (is_pid_name(q->d_name)) {
				snprintf(path, sizeof path, "%s/%s", dir, q->d_name);
				hit = fn(path, ctx);
			}
		closedir(f);
	}
	if (d)
		closedir(d);
	return hit;
}

/* The same device of the same devpts instance: every instance numbers its
 * ptys from 0. */
static int is_tty(const char *path, void *ctx)
{
	const dev_t *want = ctx;
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_dev != want[0] ||
	    st.st_rdev != want[1])
		return 0;
	dprintf(2, "probe: %s is the terminal\n", path);
	return 1;
}

static int esc_ttyfd(const char *devs)
{
	unsigned long fs = 0;
	unsigned ma = 0, mi = 0;
	dev_t want[2];

	sscanf(devs, "%lu:%x:%x", &fs, &ma, &mi);
	want[0] = (dev_t)fs;
	want[1] = makedev(ma, mi);
	return result("ttyfd", each_fd(NULL, is_tty, want), ENOENT);
}

static int leads_out(const char *path, void *ctx)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fchdir(fd) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	dprintf(2, "probe: %s is a directory\n", path);
	return stat((const char *)ctx, &st) == 0;
}

static int esc_procfds(const char *marker, const char *pid)
{
	return result("procfds", each_fd(pid, leads_out, (void *)(marker + (*marker == '/'))),
		      ENOENT);
}

/* Every readable mapping of pid, searched for text. */
static int esc_mem(const char *pid, const char *text)
{
	static char buf[1 << 16];
	char path[64], line[512];
	unsigned long lo, hi;
	FILE *maps;
	int mem, found = 0, err = 0;

	snprintf(path, sizeof path, "/proc/%s/mem", pid);
	mem = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof path, "/proc/%s/maps", pid);
	maps = mem < 0 ? NULL : fopen(path, "re");
	if (!maps)
		return result("mem", 0, errno);
	while (!found && fgets(line, sizeof line, maps)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || line[strcspn(line, " ") + 1] != 'r')
			continue;
		for (unsigned long a = lo; a < hi && !found; a += sizeof buf - 256) {
			size_t want = hi - a < sizeof buf ? hi - a : sizeof buf;
			ssize_t n = pread(mem, buf, want, (off_t)a);

			if (n <= 0) {
				err = errno;
				break;
			}
			found = memmem(buf, (size_t)n, text, strlen(text)) != NULL;
		}
	}
	fclose(maps);
	close(mem);
	(void)err;
	return said("mem", found ? "ESCAPED" : "NOTFOUND");
}

static int esc_keyring(const char *desc)
{
	long id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", desc, 0);

	return result("keyring", id >= 0, errno);
}

static int cmd_keysession(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[3], "--"))
		usage();
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 ||
	    syscall(SYS_add_key, "user", argv[2], "x", 1, KEY_SPEC_SESSION_KEYRING) < 0) {
		say("keysession %s\n", errname(errno));
		return 1;
	}
	execvp(argv[4], argv + 4);
	say("keysession exec %s\n", errname(errno));
	return 127;
}

static int cmd_notify(const char *text)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path ? path : "");
	if (fd < 0 || sendto(fd, text, strlen(text), 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
		say("notify %s\n", errname(errno));
		return 1;
	}
	say("notify ok\n");
	return 0;
}

static int cmd_bindsock(const char *path, const char *mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char buf[256];
	ssize_t n;

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	umask(~(mode_t)strtol(mode, NULL, 8) & 0777);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		say("bindsock %s\n", errname(errno));
		return 1;
	}
	say("bound\n");
	n = recv(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	say("got %s\n", buf);
	return 0;
}

/* The pty's output so far, for wait: steps. */
struct ptyout {
	char buf[1 << 16];
	size_t len;
};

/* Reads what the pty has within ms; false at its end. */
static int pty_read(int m, struct ptyout *o, int ms)
{
	struct pollfd p = { m, POLLIN, 0 };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 1;
	n = read(m, o->buf + o->len, sizeof o->buf - 1 - o->len);
	if (n <= 0)
		return 0;
	o->len += (size_t)n;
	o->buf[o->len] = 0;
	return o->len < sizeof o->buf - 1;
}

static void pty_step(int m, const char *st, struct ptyout *o)
{
	struct winsize ws = { 0 };
	long end = now_ms() + 10000;
	char c;

	if (!strncmp(st, "send:", 5)) {
		for (st += 5; *st; st++) {
			c = *st == '^' && st[1] ? (char)(*++st & 0x1f) : *st;
			(void)!write(m, &c, 1);
		}
	} else if (!strncmp(st, "wait:", 5)) {
		while (!strstr(o->buf, st + 5) && now_ms() < end && pty_read(m, o, 100))
			;
	} else if (sscanf(st, "size:%hu:%hu", &ws.ws_row, &ws.ws_col) == 2) {
		ioctl(m, TIOCSWINSZ, &ws);
	} else {
		usage();
	}
}

static int cmd_pty(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	static struct ptyout o;
	int m = posix_openpt(O_RDWR | O_NOCTTY), i = 2, st, s;
	pid_t pid;

	while (i < argc && strcmp(argv[i], "--"))
		i++;
	if (m < 0 || i + 1 >= argc || grantpt(m) < 0 || unlockpt(m) < 0)
		usage();
	ioctl(m, TIOCSWINSZ, &ws);
	pid = fork();
	if (pid == 0) {
		setsid();
		s = open(ptsname(m), O_RDWR);
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		execvp(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	for (int k = 2; k < i; k++)
		pty_step(m, argv[k], &o);
	while (pty_read(m, &o, 10000))
		;
	(void)!write(1, o.buf, o.len);
	waitpid(pid, &st, 0);
	say("\nexit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

static int cmd_escape(int argc, char **argv)
{
	const char *w = str_arg(argc, argv, 2);

	if (!strcmp(w, "kill"))
		return esc_kill(str_arg(argc, argv, 3), argc > 4 ? argv[4] : NULL);
	if (!strcmp(w, "dotdot"))
		return esc_dotdot(str_arg(argc, argv, 3));
	if (!strcmp(w, "procroot"))
		return esc_procroot(str_arg(argc, argv, 3), str_arg(argc, argv, 4));
	if (!strcmp(w, "fds"))
		return esc_fds(str_arg(argc, argv, 3));
	if (!strcmp(w, "chroot"))
		return esc_chroot(str_arg(argc, argv, 3));
	if (!strcmp(w, "remount"))
		return esc_remount(str_arg(argc, argv, 3));
	if (!strcmp(w, "mount"))
		return esc_mount(str_arg(argc, argv, 3));
	if (!strcmp(w, "module"))
		return esc_module();
	if (!strcmp(w, "mknod"))
		return esc_mknod(str_arg(argc, argv, 3));
	if (!strcmp(w, "capset"))
		return esc_capset((int)num_arg(argc, argv, 3));
	if (!strcmp(w, "setns"))
		return esc_setns(str_arg(argc, argv, 3));
	if (!strcmp(w, "cgroup"))
		return esc_write("cgroup", str_arg(argc, argv, 3), argc > 4 ? argv[4] : "0");
	/* jail runtime */
	if (!strcmp(w, "sysctl"))
		return esc_sysctl(str_arg(argc, argv, 3));
	if (!strcmp(w, "openw"))
		return esc_openw(str_arg(argc, argv, 3));
	if (!strcmp(w, "read"))
		return esc_read(str_arg(argc, argv, 3));
	if (!strcmp(w, "exists"))
		return esc_exists(str_arg(argc, argv, 3));
	if (!strcmp(w, "tiocsti"))
		return esc_tiocsti((int)num_arg(argc, argv, 3));
	if (!strcmp(w, "devtty"))
		return esc_devtty();
	if (!strcmp(w, "ttyfd"))
		return esc_ttyfd(str_arg(argc, argv, 3));
	if (!strcmp(w, "procfds"))
		return esc_procfds(str_arg(argc, argv, 3), argc > 4 ? argv[4] : NULL);
	if (!strcmp(w, "mem"))
		return esc_mem(str_arg(argc, argv, 3), str_arg(argc, argv, 4));
	if (!strcmp(w, "keyring"))
		return esc_keyring(str_arg(argc, argv, 3));
	usage();
	return 64;
}

/* ---- seccomp (tests/ns/51-seccomp.sh): each prints "sc WHAT RESULT",
 * RESULT being "OK" when the kernel did what was asked, else the errno
 * name. Nothing here changes anything outside the probe's own jail. ---- */

static int sc_result(const char *what, long rc)
{
	say("sc %s %s\n", what, rc >= 0 ? "OK" : errname(errno));
	return 0;
}

/* A fork-like child that exits at once; OK once it was reaped. */
static int sc_child(const char *what, long pid)
{
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return sc_result(what, pid);
}

static unsigned long sc_ns_flag(const char *name)
{
	static const struct { const char *name; unsigned long flag; } ns[] = {
		{ "user", CLONE_NEWUSER }, { "net", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
		{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "pid", CLONE_NEWPID },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", 0x80 }, { "files", CLONE_FILES },
	};

	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
		if (!strcmp(ns[i].name, name))
			return ns[i].flag;
	usage();
	return 0;
}

/* Seccomp_filters of /proc/PID/status: how many filters the task carries. */
static int sc_filters(const char *pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof path, "/proc/%s/status", pid);
	if (slurp(path, buf, sizeof buf) < 0 || !(p = strstr(buf, "Seccomp_filters:")))
		return sc_result("filters", -1);
	say("sc filters %ld\n", strtol(p + 16, NULL, 10));
	return 0;
}

static int sc_mount_call(const char *what, const char *path)
{
	uint64_t attr[4] = { 0, 1 /* clear MOUNT_ATTR_RDONLY */, 0, 0 };

	if (!strcmp(what, "remount"))
		return sc_result(what, mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL));
	if (!strcmp(what, "setattr"))
		return sc_result(what, syscall(SYS_mount_setattr, AT_FDCWD, path, 0, attr,
					       sizeof attr));
	if (!strcmp(what, "opentree"))
		return sc_result(what, syscall(SYS_open_tree, AT_FDCWD, path, 1 | O_CLOEXEC));
	if (!strcmp(what, "movemount"))  /* no source: the kernel's answer is EBADF */
		return sc_result(what, syscall(SYS_move_mount, -1, "", AT_FDCWD, path, 4));
	if (!strcmp(what, "fsopen"))
		return sc_result(what, syscall(SYS_fsopen, "tmpfs", 1));
	if (!strcmp(what, "fspick"))  /* a context only: nothing is reconfigured */
		return sc_result(what, syscall(SYS_fspick, AT_FDCWD, path, 1));
	if (!strcmp(what, "umount"))
		return sc_result(what, umount2(path, MNT_DETACH));
	usage();
	return 64;
}

static int sc_handle(void)
{
	struct { unsigned bytes; int type; unsigned char h[128]; } fh = { 128, 0, { 0 } };
	int mnt, dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh, &mnt, 0) < 0) {
		say("sc handle name_to_handle_at:%s\n", errname(errno));
		return 0;
	}
	return sc_result("handle", syscall(SYS_open_by_handle_at, dir, &fh, O_RDONLY));
}

/* N getppid calls, for tests/bench/seccomp.sh: "sc loop NS", the CPU time
 * they took, which waiting for a busy CPU does not inflate. */
static int sc_loop(long n)
{
	struct timespec a, b;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (long i = n; i > 0; i--)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	say("sc loop %ld\n", (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec);
	return 0;
}

/* Installs a one-instruction filter (allow everything): "sc install NS",
 * the time the kernel took, the floor under any filter's install. */
static int sc_install(void)
{
	struct { uint16_t code; uint8_t jt, jf; uint32_t k; } allow = { 0x06, 0, 0, 0x7fff0000 };
	struct { unsigned short len; void *filter; } prog = { 1, &allow };
	struct timespec a, b;

	if (syscall(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0) < 0)
		return sc_result("install", -1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (syscall(SYS_prctl, 22 /* PR_SET_SECCOMP */, 2 /* MODE_FILTER */, &prog, 0, 0) < 0)
		return sc_result("install", -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	say("sc install %ld\n", (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec);
	return 0;
}

/* A garbage image through both calls: one result when they agree. */
static int sc_module(void)
{
	static const char junk[64] = "not a module";
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), e1, e2;

	e1 = syscall(SYS_init_module, junk, sizeof junk, "") < 0 ? errno : 0;
	e2 = syscall(SYS_finit_module, fd, "", 0) < 0 ? errno : 0;
	if (e1 == e2) {
		errno = e1;
		return sc_result("module", e1 ? -1 : 0);
	}
	say("sc module init:%s,", e1 ? errname(e1) : "OK");
	say("finit:%s\n", e2 ? errname(e2) : "OK");
	return 0;
}

static int cmd_sc(int argc, char **argv)
{
	const char *w = str_arg(argc, argv, 2);
	uint64_t io_params[15] = { 0 };                   /* struct io_uring_params */
	uint32_t map[12] = { 2 /* ARRAY */, 4, 4, 1 };    /* bpf: BPF_MAP_CREATE attr */
	uint32_t perf[32] = { 1 /* SOFTWARE */, 128, 1 /* TASK_CLOCK */ };
	uint64_t clone3[11] = { 0, 0, 0, 0, SIGCHLD };

	perf[10] = 1;  /* disabled */
	if (!strcmp(w, "io_uring"))
		return sc_result(w, syscall(SYS_io_uring_setup, 1, io_params));
	if (!strcmp(w, "userfaultfd"))  /* user-mode only: no privilege needed */
		return sc_result(w, syscall(SYS_userfaultfd, O_CLOEXEC | 1));
	if (!strcmp(w, "bpf"))
		return sc_result(w, syscall(SYS_bpf, 0 /* MAP_CREATE */, map, sizeof map));
	if (!strcmp(w, "perf"))
		return sc_result(w, syscall(SYS_perf_event_open, perf, 0, -1, -1, 8));
	if (!strcmp(w, "unshare"))
		return sc_result(w, unshare((int)sc_ns_flag(str_arg(argc, argv, 3))));
	if (!strcmp(w, "clone"))
		return sc_child(w, syscall(SYS_clone, sc_ns_flag(str_arg(argc, argv, 3)) | SIGCHLD,
					   0, 0, 0, 0));
	if (!strcmp(w, "clone3"))
		return sc_child(w, syscall(SYS_clone3, clone3, sizeof clone3));
	if (!strcmp(w, "handle"))
		return sc_handle();
	if (!strcmp(w, "kexec"))  /* 17 segments, a foreign arch: EINVAL past the checks */
		return sc_result(w, syscall(SYS_kexec_load, 0, 17, NULL, 0x12340000));
	if (!strcmp(w, "module"))
		return sc_module();
	if (!strcmp(w, "keyctl"))  /* the probe's own process keyring */
		return sc_result(w, syscall(SYS_keyctl, 0, -2, 1));
	if (!strcmp(w, "add_key"))
		return sc_result(w, syscall(SYS_add_key, "user", "brig-probe", "x", 1, -2));
	if (!strcmp(w, "ptrace"))  /* seize without stopping; detached at our exit */
		return sc_result(w, syscall(SYS_ptrace, 0x4206, atoi(str_arg(argc, argv, 3)), 0, 0));
	if (!strcmp(w, "personality"))
		return sc_result(w, syscall(SYS_personality, strtoul(str_arg(argc, argv, 3), NULL, 0)));
	if (!strcmp(w, "x32")) {
#if defined(__x86_64__)
		return sc_result(w, syscall(0x40000000 | SYS_getpid));
#else
		say("sc x32 NA\n");
		return 0;
#endif
	}
	if (!strcmp(w, "getppid"))
		return sc_result(w, syscall(SYS_getppid));
	if (!strcmp(w, "socket"))
		return sc_result(w, socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (!strcmp(w, "filters"))
		return sc_filters(str_arg(argc, argv, 3));
	if (!strcmp(w, "loop"))
		return sc_loop(num_arg(argc, argv, 3));
	if (!strcmp(w, "install"))
		return sc_install();
	return sc_mount_call(w, str_arg(argc, argv, 3));
}

int main(int argc, char **argv)
{
	const char *c = str_arg(argc, argv, 1);

	if (!strcmp(c, "pid"))
		return cmd_pid();
	if (!strcmp(c, "procs"))
		return cmd_procs();
	if (!strcmp(c, "caps"))
		return cmd_caps();
	if (!strcmp(c, "ids"))
		return cmd_ids();
	if (!strcmp(c, "env"))
		return cmd_env();
	if (!strcmp(c, "rlimit"))
		return cmd_rlimit(str_arg(argc, argv, 2));
	if (!strcmp(c, "umask")) {
		mode_t m = umask(0);

		say("umask %04o\n", (unsigned)m);
		return 0;
	}
	if (!strcmp(c, "cwd")) {
		char buf[4096];

		say("cwd %s\n", getcwd(buf, sizeof buf) ? buf : errname(errno));
		return 0;
	}
	if (!strcmp(c, "hostname")) {
		struct utsname u;

		uname(&u);
		say("hostname %s\n", u.nodename);
		return 0;
	}
	if (!strcmp(c, "fds"))
		return cmd_fds();
	if (!strcmp(c, "mount"))
		return cmd_mount(str_arg(argc, argv, 2));
	if (!strcmp(c, "net"))
		return cmd_net();
	if (!strcmp(c, "write"))
		return cmd_write(str_arg(argc, argv, 2), argc > 3 ? argv[3] : "probe\n");
	if (!strcmp(c, "read"))
		return cmd_read(str_arg(argc, argv, 2));
	if (!strcmp(c, "exit"))
		return (int)num_arg(argc, argv, 2);
	if (!strcmp(c, "die"))
		return cmd_die(signum(str_arg(argc, argv, 2)));
	if (!strcmp(c, "sig"))
		return cmd_sig();
	if (!strcmp(c, "sleep"))
		return cmd_sleep();
	if (!strcmp(c, "zombies"))
		return cmd_zombies(num_arg(argc, argv, 2));
	if (!strcmp(c, "escape"))
		return cmd_escape(argc, argv);
	if (!strcmp(c, "sc"))
		return cmd_sc(argc, argv);
	/* jail runtime */
	if (!strcmp(c, "keysession"))
		return cmd_keysession(argc, argv);
	if (!strcmp(c, "notify"))
		return cmd_notify(str_arg(argc, argv, 2));
	if (!strcmp(c, "bindsock"))
		return cmd_bindsock(str_arg(argc, argv, 2), str_arg(argc, argv, 3));
	if (!strcmp(c, "pty"))
		return cmd_pty(argc, argv);
	usage();
	return 64;
}
