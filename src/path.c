/* Runs in: `brig run`, the supervisor and the jail init before pivot_root
 * (host paths), and brig exec; no allocation, so forked children may call
 * it. */
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* One step down from fd; closes fd. */
static int step(int fd, const char *name, int flags, mode_t mode)
{
	struct stat st;
	int next;

	if (mode && mkdirat(fd, name, mode) < 0 && errno != EEXIST)
		next = -1;
	else
		next = openat(fd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	/* O_PATH | O_NOFOLLOW opens a symlink itself instead of refusing it. */
	if (next >= 0 && (flags & O_PATH) && fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
		close(next);
		next = -1;
		errno = ELOOP;
	}
	close(fd);
	return next;
}

int path_open(int dirfd, const char *path, int flags, mode_t mode)
{
	char buf[PATH_MAX], *p = buf, *end;
	int fd;

	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	fd = openat(dirfd, *p == '/' ? "/" : ".", O_PATH | O_CLOEXEC);
	for (;;) {
		bool last;

		p += strspn(p, "/");
		if (fd < 0 || !*p)  /* "" or "/": the start itself, with flags */
			return fd < 0 ? fd : step(fd, ".", flags, 0);
		end = p + strcspn(p, "/");
		last = !end[strspn(end, "/")];
		*end = '\0';
		/* O_PATH in the middle: a symlink opens as itself, and step()
		 * refuses it by name (ELOOP) rather than with ENOTDIR. */
		fd = step(fd, p, last ? flags : O_PATH, mode);
		if (last)
			return fd;
		p = end + 1;
	}
}

int path_bind_unix(int dirfd, const char *name, int type, mode_t mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc, saved;
	mode_t old;

	if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/%s", dirfd, name) >=
	    sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A new socket's inode is 0777: the umask alone makes the mode. */
	old = umask(~mode & 0777);
	rc = unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -1
							  : bind(fd, (struct sockaddr *)&sa, sizeof sa);
	saved = errno;
	umask(old);
	if (rc < 0) {
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
