/* Runs in: the unit test process (any user; writes only under $TMPDIR).
 * cgstat: reading cgroup interface files, and the units `brig status` and
 * `brig stats` print. */
#include "cgstat.h"

#include "tap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[64];

static const char *size(unsigned long long b)
{
	cgstat_size(buf, sizeof buf, b);
	return buf;
}

static const char *dur(unsigned long long s)
{
	cgstat_duration(buf, sizeof buf, s);
	return buf;
}

static void put(const char *dir, const char *file, const char *text)
{
	char path[512];
	int fd;

	/* Plain fds: in the musl builds brig's own stdio knows only stdout
	 * and stderr (src/fmt.c). */
	snprintf(path, sizeof path, "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
}

int main(void)
{
	char tmpl[] = "/tmp/t_cgstat.XXXXXX", *dir = mkdtemp(tmpl);
	unsigned long long v = 0;

	ok(!strcmp(size(0), "0B") && !strcmp(size(512), "512B"), "bytes: %s", size(512));
	ok(!strcmp(size(65536), "64K"), "64K: %s", size(65536));
	ok(!strcmp(size(8912896), "8.5M"), "8.5M: %s", size(8912896));
	ok(!strcmp(size(8912895), "8.4M"), "tenths are cut, not rounded: %s", size(8912895));
	ok(!strcmp(size(33554432), "32M"), "32M: %s", size(33554432));
	ok(!strcmp(size(150ULL << 20), "150M"), "three digits, no tenth: %s", size(150ULL << 20));
	ok(!strcmp(size(CGSTAT_MAX), "max"), "max: %s", size(CGSTAT_MAX));
	ok(!strcmp(dur(37), "37s"), "37s: %s", dur(37));
	ok(!strcmp(dur(312), "5m12s"), "5m12s: %s", dur(312));
	ok(!strcmp(dur(7387), "2h3m7s"), "2h3m7s: %s", dur(7387));
	ok(!strcmp(dur(266587), "3d2h3m7s"), "3d2h3m7s: %s", dur(266587));
	cgstat_cpu_time(buf, sizeof buf, 12345678);
	ok(!strcmp(buf, "12.34s"), "cpu time: %s", buf);
	if (!ok(dir != NULL, "scratch dir"))
		return done();
	put(dir, "cpu.stat", "usage_usec 4711\nuser_usec 11\nsystem_usec 4700\n");
	put(dir, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n");
	put(dir, "memory.max", "max\n");
	put(dir, "pids.current", "17\n");
	ok(cgstat_read(dir, "cpu.stat", "usage_usec", &v) == 0 && v == 4711, "a key's value (%llu)", v);
	ok(cgstat_read(dir, "memory.events", "oom_kill", &v) == 0 && v == 2,
	   "a key that another key starts with (%llu)", v);
	ok(cgstat_read(dir, "memory.events", "oom_", &v) < 0, "a key's prefix is not the key");
	ok(cgstat_read(dir, "memory.max", NULL, &v) == 0 && v == CGSTAT_MAX, "max");
	ok(cgstat_read(dir, "pids.current", NULL, &v) == 0 && v == 17, "the first word (%llu)", v);
	ok(cgstat_read(dir, "memory.current", NULL, &v) < 0, "a missing file (no controller)");
	put(dir, "cpu.stat", "");
	ok(cgstat_read(dir, "cpu.stat", "usage_usec", &v) < 0, "an empty file");
	snprintf(buf, sizeof buf, "rm -rf %s", dir);
	(void)!system(buf);
	return done();
}
