/* Reading a cgroup's interface files and showing their numbers to a user:
 * shared by `brig status` (in the supervisor) and `brig stats` (a client). */
#ifndef BRIG_CGSTAT_H
#define BRIG_CGSTAT_H

#include <stddef.h>

#define CGSTAT_MAX (~0ULL)  /* the value "max" */

/* The number after "KEY " on a line of DIR/FILE, or with key NULL the
 * file's first word ("max" is CGSTAT_MAX). Returns 0, or -1 when the file
 * or the key is missing (a controller not enabled). */
int cgstat_read(const char *dir, const char *file, const char *key, unsigned long long *v);

/* "512B", "64K", "12.3M", "1.5G", "max". */
void cgstat_size(char *out, size_t len, unsigned long long bytes);
/* "37s", "5m12s", "2h3m7s", "3d2h3m7s". */
void cgstat_duration(char *out, size_t len, unsigned long long secs);
/* CPU time from microseconds: "0.04s", "12.30s". */
void cgstat_cpu_time(char *out, size_t len, unsigned long long usec);

#endif
