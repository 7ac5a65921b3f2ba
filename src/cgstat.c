/* Runs in: the supervisor (status replies) and the `brig stats` client;
 * nothing here allocates or blocks on more than one small file read. */
#include "cgstat.h"

#include "fdio.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cgstat_read(const char *dir, const char *file, const char *key, unsigned long long *v)
{
	char path[PATH_MAX], buf[1024], *p = buf;
	size_t klen = key ? strlen(key) : 0;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path ||
	    fdio_read_file(AT_FDCWD, path, buf, sizeof buf) <= 0)
		return -1;
	while (key && p && (strncmp(p, key, klen) || p[klen] != ' '))
		if ((p = strchr(p, '\n')))
			p++;
	if (!p)
		return -1;
	p += key ? klen + 1 : 0;
	if (!strncmp(p, "max", 3)) {
		*v = CGSTAT_MAX;
		return 0;
	}
	if (*p < '0' || *p > '9')
		return -1;
	*v = strtoull(p, NULL, 10);
	return 0;
}

void cgstat_size(char *out, size_t len, unsigned long long b)
{
	static const char unit[] = "BKMGT";
	unsigned long long whole = b, tenth;
	unsigned u = 0;

	if (b == CGSTAT_MAX) {
		snprintf(out, len, "max");
		return;
	}
	while (whole >= 1024 && u < 4) {
		whole >>= 10;
		u++;
	}
	tenth = ((b - (whole << (10 * u))) * 10) >> (10 * u);
	if (u && whole < 100 && tenth)
		snprintf(out, len, "%llu.%llu%c", whole, tenth, unit[u]);
	else
		snprintf(out, len, "%llu%c", whole, unit[u]);
}

void cgstat_duration(char *out, size_t len, unsigned long long s)
{
	unsigned long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;

	if (d)
		snprintf(out, len, "%llud%lluh%llum%llus", d, h, m, s % 60);
	else if (h)
		snprintf(out, len, "%lluh%llum%llus", h, m, s % 60);
	else if (m)
		snprintf(out, len, "%llum%llus", m, s % 60);
	else
		snprintf(out, len, "%llus", s);
}

void cgstat_cpu_time(char *out, size_t len, unsigned long long usec)
{
	snprintf(out, len, "%llu.%02llus", usec / 1000000, usec / 10000 % 100);
}
