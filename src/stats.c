/* Runs in: the `brig stats` client. The supervisor answers one `status
 * --json` per refresh (names, states, restarts, OOM kills, cgroup paths);
 * the client reads every cgroup file itself, so the supervisor's loop does
 * no work for the table beyond that reply. CPU % is the growth of
 * cpu.stat's usage_usec over the wall time between two reads. */
#include "stats.h"

#include "cgstat.h"
#include "config.h"
#include "ctlclient.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATS_CG_MAX 512

struct row {
	char name[CFG_NAME_MAX + 1];
	char state[16];
	char cg[STATS_CG_MAX];
	unsigned restarts;
	unsigned long long oom, usec, prev_usec;
	int pct10;  /* CPU % times 10; -1: not known */
};

static struct row rows[CFG_MAX_JAILS];
static char reply[CFG_MAX_JAILS * 1024];

/* Copies the string value of "KEY":"..." (no escapes: names, states and
 * brig's cgroup paths have none) found at or after p; NULL when absent. */
static const char *str_field(const char *p, const char *key, char *out, size_t len)
{
	char pat[32];
	const char *v, *e;

	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	if (!(v = strstr(p, pat)))
		return NULL;
	v += strlen(pat);
	e = strchr(v, '"');
	if (!e || (size_t)(e - v) >= len || memchr(v, '\\', (size_t)(e - v)))
		return NULL;
	memcpy(out, v, (size_t)(e - v));
	out[e - v] = '\0';
	return e;
}

static unsigned long long num_field(const char *p, const char *key)
{
	char pat[32];
	const char *v;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	v = strstr(p, pat);
	return v ? strtoull(v + strlen(pat), NULL, 10) : 0;
}

static bool wanted(const char *name, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return argc == 0;
}

/* One `status --json` reply into rows; keeps each row's last CPU reading
 * when a jail of that name was there before. Returns the count, -1. */
static int load(const char *sock, int argc, char **argv, int had)
{
	char *req[] = { "status", "--json" };
	static struct row old[CFG_MAX_JAILS];
	const char *p = reply;
	int n = 0, i;

	if (control_query(sock, req, 2, reply, sizeof reply) != 0)
		return -1;
	memcpy(old, rows, sizeof rows[0] * (size_t)had);
	while (n < CFG_MAX_JAILS && (p = strstr(p, "{\"name\":\""))) {
		struct row *r = &rows[n];

		if (!str_field(p, "name", r->name, sizeof r->name) ||
		    !str_field(p, "state", r->state, sizeof r->state)) {
			p++;
			continue;
		}
		r->restarts = (unsigned)num_field(p, "restarts");
		r->oom = num_field(p, "oom_kills");
		if (!str_field(p, "cgroup", r->cg, sizeof r->cg))
			r->cg[0] = '\0';
		p++;
		if (!wanted(r->name, argc, argv))
			continue;
		r->prev_usec = CGSTAT_MAX;
		for (i = 0; i < had; i++)
			if (!strcmp(old[i].name, r->name) && !strcmp(old[i].cg, r->cg))
				r->prev_usec = old[i].usec;
		n++;
	}
	return n;
}

static void sample(struct row *r, unsigned long long wall_us)
{
	r->pct10 = -1;
	if (!r->cg[0] || cgstat_read(r->cg, "cpu.stat", "usage_usec", &r->usec) < 0) {
		r->usec = CGSTAT_MAX;
		return;
	}
	if (r->prev_usec != CGSTAT_MAX && wall_us && r->usec >= r->prev_usec)
		r->pct10 = (int)((r->usec - r->prev_usec) * 1000 / wall_us);
}

/* A size or count from FILE of the row's cgroup; "-" without it. */
static void cg_show(const struct row *r, const char *file, bool size, char *out, size_t len)
{
	unsigned long long v;

	if (!r->cg[0] || cgstat_read(r->cg, file, NULL, &v) < 0)
		snprintf(out, len, "-");
	else if (size)
		cgstat_size(out, len, v);
	else if (v == CGSTAT_MAX)
		snprintf(out, len, "max");
	else
		snprintf(out, len, "%llu", v);
}

static void print_row(const struct row *r)
{
	char cpu[24], mem[24], memmax[24], pids[24], pidsmax[24];

	if (r->pct10 < 0)
		snprintf(cpu, sizeof cpu, "-");
	else
		snprintf(cpu, sizeof cpu, "%d.%d%%", r->pct10 / 10, r->pct10 % 10);
	cg_show(r, "memory.current", true, mem, sizeof mem);
	cg_show(r, "memory.max", true, memmax, sizeof memmax);
	cg_show(r, "pids.current", false, pids, sizeof pids);
	cg_show(r, "pids.max", false, pidsmax, sizeof pidsmax);
	printf("%-20s %-9s %7s %8s %8s %6s %8s %8u %5llu\n", r->name, r->state, cpu, mem, memmax,
	       pids, pidsmax, r->restarts, r->oom);
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000 + (unsigned long long)ts.tv_nsec / 1000;
}

/* Highest CPU first; an insertion sort over at most CFG_MAX_JAILS rows. */
static void sort_rows(int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		struct row r = rows[i];

		for (j = i; j > 0 && rows[j - 1].pct10 < r.pct10; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

static void show(int n, bool live)
{
	int i;

	if (live)
		fputs("\033[H\033[2J", stdout);
	printf("%-20s %-9s %7s %8s %8s %6s %8s %8s %5s\n", "NAME", "STATE", "CPU%", "MEM",
	       "MEM_MAX", "PIDS", "PIDS_MAX", "RESTARTS", "OOM");
	for (i = 0; i < n; i++) {
		print_row(&rows[i]);
	}
}

int stats_main(const char *sock, int argc, char **argv)
{
	struct timespec tick = { 1, 0 };
	bool live = isatty(1);
	unsigned long long t0, t1;
	int n = 0, i;

	if (argc > 0 && !strcmp(argv[0], "--no-stream")) {
		live = false;
		argc--;
		argv++;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '-') {
			fprintf(stderr, "usage: brig stats [--no-stream] [NAME...]\n");
			return 2;
		}
	}
	if ((n = load(sock, argc, argv, 0)) < 0)
		return 1;
	for (i = 0; i < argc; i++) {
		int j = 0;

		while (j < n && strcmp(rows[j].name, argv[i]))
			j++;
		if (j == n) {
			fprintf(stderr, "brig: stats: no jail named '%s'\n", argv[i]);
			return 1;
		}
	}
	t0 = now_us();
	for (i = 0; i < n; i++)
		sample(&rows[i], 0);
	for (;;) {
		nanosleep(&tick, NULL);
		if ((n = load(sock, argc, argv, n)) < 0)
			return 1;
		t1 = now_us();
		for (i = 0; i < n; i++)
			sample(&rows[i], t1 - t0);
		t0 = t1;
		sort_rows(n);
		show(n, live);
		if (!live)
			return 0;
	}
}
