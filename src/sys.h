/* Raw system calls libc does not wrap (musl has none of these; glibc only
 * some), with our own names for their constants so this header never clashes
 * with <sys/mount.h> or <linux/mount.h>. Numbers come from the target's own
 * <sys/syscall.h> alone: they are not the same everywhere (MIPS o32 adds
 * 4000 to every one), so a libc without one is a build error, never a guess. */
#ifndef BRIG_SYS_H
#define BRIG_SYS_H

#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#if !defined(SYS_pivot_root) || !defined(SYS_open_tree) || !defined(SYS_move_mount) || \
	!defined(SYS_fsopen) || !defined(SYS_fsconfig) || !defined(SYS_fsmount) || \
	!defined(SYS_clone3) || !defined(SYS_close_range) || !defined(SYS_mount_setattr)
#error "libc headers without the Linux 5.12 system calls (musl >= 1.2.2 has them)"
#endif

#define SYS_CLONE_INTO_CGROUP 0x200000000ULL /* clone3: start in args.cgroup */
#define SYS_CLOSE_RANGE_CLOEXEC (1U << 2)
#define SYS_AT_RECURSIVE 0x8000          /* mount_setattr, open_tree: whole subtree */
#define SYS_AT_EMPTY_PATH 0x1000
#define SYS_OPEN_TREE_CLONE 1            /* a detached copy, like a bind source */
#define SYS_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define SYS_FSOPEN_CLOEXEC 1
#define SYS_FSMOUNT_CLOEXEC 1
#define SYS_FSCONFIG_CMD_CREATE 6
#define SYS_MOUNT_ATTR_RDONLY 0x1
#define SYS_MOUNT_ATTR_NOSUID 0x2
#define SYS_MOUNT_ATTR_NODEV 0x4
#define SYS_MOUNT_ATTR_NOEXEC 0x8

/* struct clone_args up to CLONE_ARGS_SIZE_VER2 (Linux 5.7). */
struct sys_clone_args {
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

struct sys_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* Fork-like: no stack given, so the child runs on a copy of ours. */
static inline pid_t sys_clone3(struct sys_clone_args *a)
{
	return (pid_t)syscall(SYS_clone3, a, sizeof *a);
}

/* clone(2) used as fork(2) with namespace flags; the argument order past
 * flags differs between architectures, but all are zero here. */
static inline pid_t sys_clone(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags, 0, 0, 0, 0);
}

static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static inline int sys_open_tree(int dirfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

static inline int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to,
				 unsigned flags)
{
	return (int)syscall(SYS_move_mount, from_dirfd, from, to_dirfd, to, flags);
}

static inline int sys_mount_setattr(int dirfd, const char *path, unsigned flags,
				    struct sys_mount_attr *a)
{
	return (int)syscall(SYS_mount_setattr, dirfd, path, flags, a, sizeof *a);
}

static inline int sys_fsopen(const char *fstype, unsigned flags)
{
	return (int)syscall(SYS_fsopen, fstype, flags);
}

static inline int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int sys_fsmount(int fd, unsigned flags, unsigned attr)
{
	return (int)syscall(SYS_fsmount, fd, flags, attr);
}

/* Credentials for the calling thread only. libc's wrappers make every thread
 * of the process follow (musl signals each one), which a jail child, with one
 * thread, does not need. 32-bit ABIs keep 16-bit ids under the plain names. */
#ifdef SYS_setresuid32
#define SYS_SETRESUID SYS_setresuid32
#define SYS_SETRESGID SYS_setresgid32
#define SYS_SETGROUPS SYS_setgroups32
#else
#define SYS_SETRESUID SYS_setresuid
#define SYS_SETRESGID SYS_setresgid
#define SYS_SETGROUPS SYS_setgroups
#endif

static inline int sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	return (int)syscall(SYS_SETRESUID, r, e, s);
}

static inline int sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	return (int)syscall(SYS_SETRESGID, r, e, s);
}

static inline int sys_setgroups(size_t n, const gid_t *list)
{
	return (int)syscall(SYS_SETGROUPS, n, list);
}

static inline int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

/* Every signal but the faults, which stay deliverable so a bug shows
 * instead of spinning: what PID 1, the jail init and the supervisor block
 * and take through a signalfd. */
static inline void sys_async_signals(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGABRT);
	sigdelset(set, SIGTRAP);
	sigdelset(set, SIGSYS);
}

#endif
