/* Runs in: the unit test process (any user; writes only under $TMPDIR).
 * path_open and path_bind_unix against a tree with symlinks in it. */
#include "path.h"

#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[256];

static const char *at(const char *rel)
{
	static char buf[2][PATH_MAX];
	static int k;

	k ^= 1;
	snprintf(buf[k], sizeof buf[k], "%s/%s", top, rel);
	return buf[k];
}

static void t_no_symlinks(void)
{
	int fd;

	mkdir(at("real"), 0755);
	mkdir(at("real/dir"), 0755);
	close(open(at("real/dir/file"), O_CREAT | O_WRONLY, 0644));
	symlink("real", at("link"));
	symlink("dir/file", at("real/flink"));

	fd = path_open(AT_FDCWD, at("real/dir/file"), O_RDONLY, 0);
	ok(fd >= 0, "a path without symlinks opens");
	close(fd);
	errno = 0;
	ok(path_open(AT_FDCWD, at("link/dir/file"), O_RDONLY, 0) < 0 && errno == ELOOP,
	   "a symlink in a middle component is ELOOP");
	errno = 0;
	ok(path_open(AT_FDCWD, at("real/flink"), O_RDONLY, 0) < 0 && errno == ELOOP,
	   "a symlink as the last component is ELOOP");
	errno = 0;
	ok(path_open(AT_FDCWD, at("real/flink"), O_PATH, 0) < 0 && errno == ELOOP,
	   "... with O_PATH too (which would open the link itself)");
	fd = path_open(AT_FDCWD, at("real"), O_RDONLY | O_DIRECTORY, 0);
	ok(fd >= 0 && path_open(fd, "dir//file/", O_RDONLY, 0) >= 0,
	   "relative to a dir fd, extra slashes allowed");
	close(fd);
}

static void t_create(void)
{
	struct stat st;
	int fd;

	umask(0);
	fd = path_open(AT_FDCWD, at("new/a/b"), O_RDONLY | O_DIRECTORY, 0700);
	ok(fd >= 0 && stat(at("new/a/b"), &st) == 0 && (st.st_mode & 07777) == 0700 &&
		   stat(at("new"), &st) == 0 && (st.st_mode & 07777) == 0700,
	   "mode: every missing component is made, with that mode");
	close(fd);
	symlink("/", at("new/a/up"));
	errno = 0;
	ok(path_open(AT_FDCWD, at("new/a/up/tmp"), O_RDONLY | O_DIRECTORY, 0700) < 0 &&
		   errno == ELOOP,
	   "mode: never made through a symlink");
}

static void t_bind_unix(void)
{
	struct stat st;
	int dir = open(top, O_RDONLY | O_DIRECTORY), fd;

	umask(022);
	symlink("/nonexistent-target", at("sock"));
	fd = path_bind_unix(dir, "sock", SOCK_DGRAM, 0666);
	ok(fd >= 0 && lstat(at("sock"), &st) == 0 && S_ISSOCK(st.st_mode) &&
		   (st.st_mode & 0777) == 0666,
	   "a socket replaces what was there (a symlink), with its mode whatever the umask");
	ok(umask(022) == 022, "the umask is the caller's again");
	close(fd);
	close(dir);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[PATH_MAX + 16];

	snprintf(top, sizeof top, "%s/t_path.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(top))
		return 1;
	t_no_symlinks();
	t_create();
	t_bind_unix();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	(void)!system(cmd);
	return done();
}
