/* EINTR-safe whole-buffer I/O on file descriptors. */
#ifndef BRIG_FDIO_H
#define BRIG_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* Reads until len bytes, EOF or an error. Returns the bytes read (short only
 * at EOF), or -1 with errno set. */
ssize_t fdio_read_all(int fd, void *buf, size_t len);

/* Writes all len bytes. Returns 0, or -1 with errno set. */
int fdio_write_all(int fd, const void *buf, size_t len);

/* Opens dirfd/path write-only, writes s, closes. Returns 0, or -1 with errno
 * set (a short write is EIO). For cgroup and /proc interface files, where one
 * write(2) is one command. */
int fdio_write_file(int dirfd, const char *path, const char *s);

/* Reads at most len-1 bytes of dirfd/path into buf and NUL-terminates it.
 * Returns the length, or -1 with errno set. */
ssize_t fdio_read_file(int dirfd, const char *path, char *buf, size_t len);

/* Calls cb once per line of fd, the newline replaced by NUL. A line longer
 * than FDIO_LINE_MAX - 1 bytes is skipped whole, so input is bounded. Stops
 * at the first nonzero return of cb and returns it; 0 at EOF; -1 with errno
 * set on a read error. */
#define FDIO_LINE_MAX 4096
int fdio_lines(int fd, int (*cb)(void *ctx, char *line), void *ctx);

#endif
