/* The bare-syscall floor for `brig run`: the system calls a default jail
 * needs to run one command, and nothing else. No config parsing, no
 * libcap, no signal plumbing, no logging: what is left is the kernel's own
 * price for the namespaces, the cgroup and the mounts, which no jail tool
 * can go below. tests/bench/jail-start.sh times it next to brig.
 *
 * Usage: floor CGROUP_ROOT NEWROOT [SRC:DST]... -- PROG [ARG...]
 *   Creates CGROUP_ROOT/floor-PID, starts PID 1 of fresh pid, mount, uts,
 *   ipc and cgroup namespaces inside it, builds the jail's view of NEWROOT
 *   (read-only root, /proc, /tmp, a minimal /dev, each SRC, an absolute
 *   host path, bound read-only on DST), pivots into it, drops every
 *   capability, sets no_new_privs, runs PROG as a child of that PID 1, and
 *   exits with PROG's status (125 when the floor itself failed, 126/127
 *   when PROG could not be executed).
 *
 * /dev/shm is a directory on /dev's tmpfs, as bubblewrap makes it; brig
 * mounts a tmpfs of its own there, one superblock more.
 *
 * Build: musl-gcc -static -Os -o floor floor.c (libc only).
 *
 * Runs in: three processes. The caller (creates and removes the cgroup,
 * waits); the jail init, PID 1 of the new pid namespace (builds the mounts,
 * drops privileges, waits); the service, vforked by the init, which only
 * calls execve. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_BINDS 8

/* Kernel ABI of clone3(2), declared here so that the floor needs no kernel
 * headers, only musl's. */
struct clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* Kernel ABI of capset(2), version 3: two 32-bit words per set. */
struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective;
	uint32_t permitted;
	uint32_t inheritable;
};
#define CAP_VERSION_3 0x20080522

struct bind {
	const char *src;
	const char *dst; /* relative to the new root, no leading '/' */
};

struct plan {
	const char *root;
	struct bind binds[MAX_BINDS];
	int nbinds;
	char **argv;
};

/* The six device nodes a minimal /dev carries. */
static const struct {
	const char *path;
	unsigned major, minor;
} devices[] = {
	{ "dev/null", 1, 3 },   { "dev/zero", 1, 5 },    { "dev/full", 1, 7 },
	{ "dev/random", 1, 8 }, { "dev/urandom", 1, 9 }, { "dev/tty", 5, 0 },
};

/* Runs in: jail init or service. Sends one line to the caller through the
 * close-on-exec pipe and ends the process. */
static void child_fail(int errfd, const char *what, int errnum, int code)
{
	char msg[256];
	int n = snprintf(msg, sizeof msg, "floor: %s: %s\n", what, strerror(errnum));

	if (n > 0)
		(void)!write(errfd, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
	_exit(code);
}

/* Runs in: jail init, cwd at the new root. A tmpfs with the six nodes
 * made in place (real root in the initial user namespace may mknod, and
 * the tmpfs is not nodev; one call a node where a bind from the host's
 * /dev takes two), devpts, and the links. */
static int make_dev(const char **what)
{
	size_t i;

	*what = "mount tmpfs on /dev";
	if (mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0)
		return -1;
	*what = "mknod in /dev";
	for (i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (mknod(devices[i].path, S_IFCHR | 0666,
			  makedev(devices[i].major, devices[i].minor)) < 0)
			return -1;
	*what = "mount devpts";
	if (mkdir("dev/pts", 0755) < 0 ||
	    mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		return -1;
	*what = "populate /dev";
	if (mkdir("dev/shm", 01777) < 0 || symlink("pts/ptmx", "dev/ptmx") < 0 ||
	    symlink("/proc/self/fd", "dev/fd") < 0 || symlink("/proc/self/fd/0", "dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", "dev/stdout") < 0 ||
	    symlink("/proc/self/fd/2", "dev/stderr") < 0)
		return -1;
	return 0;
}

/* Runs in: jail init, private mount namespace. Each step is one or two
 * system calls; *what names the step for the error line. */
static int make_mounts(const struct plan *p, const char **what)
{
	int i;

	*what = "make / rprivate";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	*what = "bind the new root";
	if (mount(p->root, p->root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	/* After the bind, so that "." is the top mount, the one pivoted to. */
	*what = "chdir to the new root";
	if (chdir(p->root) < 0)
		return -1;
	/* MS_RDONLY is ignored while a bind is created; a remount applies it. */
	*what = "remount the root read-only";
	if (mount(NULL, ".", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return -1;
	*what = "mount /proc";
	if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -1;
	*what = "mount /tmp";
	if (mount("tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16M,mode=1777") < 0)
		return -1;
	if (make_dev(what) < 0)
		return -1;
	for (i = 0; i < p->nbinds; i++) {
		*what = "bind";
		if (mount(p->binds[i].src, p->binds[i].dst, NULL, MS_BIND, NULL) < 0)
			return -1;
		*what = "remount a bind read-only";
		if (mount(NULL, p->binds[i].dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			return -1;
	}
	/* pivot_root(".", ".") stacks the old root on the new one; detaching
	 * it leaves the new root alone, with no put_old directory needed. */
	*what = "pivot_root";
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return -1;
	*what = "detach the old root";
	if (umount2(".", MNT_DETACH) < 0)
		return -1;
	*what = "chdir /";
	return chdir("/");
}

/* Runs in: jail init. Empties the bounding set (the loop ends at the first
 * number past the kernel's last capability), the ambient set, then the
 * other three with one capset. */
static int drop_privileges(const char **what)
{
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];
	int c;

	*what = "drop the bounding set";
	for (c = 0; prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0; c++)
		;
	if (errno != EINVAL || c == 0)
		return -1;
	*what = "clear the ambient set";
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	memset(d, 0, sizeof d);
	*what = "capset";
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	*what = "no_new_privs";
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Runs in: jail init. The service is vforked: its only work is execve,
 * and a failure goes to the pipe; the child never returns from here. */
static pid_t spawn(char **argv, int errfd)
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	pid_t pid = vfork();

	if (pid == 0) {
		execve(argv[0], argv, envp);
		child_fail(errfd, argv[0], errno, errno == ENOENT ? 127 : 126);
	}
	return pid;
}

/* Runs in: jail init, PID 1 of the new pid namespace; never returns. */
static void jail_init(const struct plan *p, int errfd)
{
	const char *what = "?";
	int st, code = 0;
	pid_t svc, pid;

	/* Modes given to mkdir and mount are meant as written (/dev/shm). */
	umask(0);
	if (make_mounts(p, &what) < 0)
		child_fail(errfd, what, errno, 125);
	if (sethostname("bench", 5) < 0)
		child_fail(errfd, "sethostname", errno, 125);
	umask(022);
	if (drop_privileges(&what) < 0)
		child_fail(errfd, what, errno, 125);
	svc = spawn(p->argv, errfd);
	if (svc < 0)
		child_fail(errfd, "vfork", errno, 125);
	close(errfd);

	/* Reap everything; the service's status is the jail's status. */
	while ((pid = wait(&st)) != -1 || errno == EINTR) {
		if (pid == svc)
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	_exit(code);
}

static int parse(int argc, char **argv, struct plan *p)
{
	int i;

	if (argc < 5)
		return -1;
	p->root = argv[2];
	for (i = 3; i < argc && strcmp(argv[i], "--") != 0; i++) {
		char *colon = strchr(argv[i], ':');

		/* Sources are resolved after the chdir into the new root. */
		if (!colon || argv[i][0] != '/' || p->nbinds == MAX_BINDS)
			return -1;
		*colon = '\0';
		p->binds[p->nbinds].src = argv[i];
		p->binds[p->nbinds].dst = colon[1] == '/' ? colon + 2 : colon + 1;
		p->nbinds++;
	}
	if (i + 1 >= argc)
		return -1;
	p->argv = argv + i + 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct plan p = { 0 };
	char cg[4096], msg[256];
	int fds[2], cgfd, st;
	ssize_t n;
	long pid;

	if (parse(argc, argv, &p) < 0) {
		fputs("usage: floor CGROUP_ROOT NEWROOT [SRC:DST]... -- PROG [ARG...]\n", stderr);
		return 125;
	}
	snprintf(cg, sizeof cg, "%s/floor-%d", argv[1], (int)getpid());
	if (mkdir(cg, 0755) < 0 || (cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror(cg);
		return 125;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		perror("pipe2");
		return 125;
	}

	struct clone_args ca = {
		.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP |
			 CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgfd,
	};
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0) {
		close(fds[0]);
		jail_init(&p, fds[1]);
	}
	if (pid < 0) {
		perror("clone3");
		rmdir(cg);
		return 125;
	}
	close(fds[1]);
	close(cgfd);

	/* EOF: the service was exec'd. A line: the jail failed; say why. */
	n = read(fds[0], msg, sizeof msg);
	if (n > 0)
		(void)!write(2, msg, (size_t)n);
	while (waitpid((pid_t)pid, &st, 0) < 0 && errno == EINTR)
		;
	if (rmdir(cg) < 0)
		perror(cg);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
