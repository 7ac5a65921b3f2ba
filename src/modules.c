/* Runs in: PID 1 (init mode), at boot. [init] modules: each module with
 * its dependencies from modules.dep, loaded with finit_module(2). */
#include "pid1.h"

#include "fdio.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

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
			log_msg(LOG_ERROR, "module %s: %s: %m", name, path);
			return NULL;
		}
		r = (int)syscall(SYS_finit_module, fd, "", 0);
		if (r < 0 && errno != EEXIST) {
			log_msg(LOG_ERROR, "module %s: finit_module %s: %m", name, path);
			close(fd);
			return NULL;
		}
		close(fd);
	}
	return r < 0 ? "already loaded" : "loaded";
}

void pid1_modules_load(char *const *mods, int n, struct watchdog *wd)
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
		watchdog_kick(wd, pid1_now());
	}
	free(dep);
	free(bi);
}

