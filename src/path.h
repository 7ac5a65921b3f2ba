/* Paths where a jail may have written (bind sources, volumes, anything
 * brig makes under its state dir): resolved one component at a time from a
 * directory fd brig opened itself, never through a symlink. Syscall-like:
 * -1 with errno set, so the caller names the path and its config line. */
#ifndef BRIG_PATH_H
#define BRIG_PATH_H

#include <sys/types.h>

/* Opens path (absolute, or relative to dirfd) component by component with
 * O_NOFOLLOW; the last component with flags | O_NOFOLLOW | O_CLOEXEC (with
 * O_PATH, a symlink there is refused too). mode != 0: a missing component,
 * the last one included, is made a directory of that mode first. A symlink
 * anywhere fails with ELOOP. Returns the fd. */
int path_open(int dirfd, const char *path, int flags, mode_t mode);

/* A unix socket of type (SOCK_DGRAM, SOCK_STREAM, | SOCK_NONBLOCK) bound
 * at dirfd/name with mode, replacing whatever was there; name is one
 * component. Needs /proc (the bind goes through /proc/self/fd/DIRFD).
 * Returns the socket, O_CLOEXEC. */
int path_bind_unix(int dirfd, const char *name, int type, mode_t mode);

#endif
