/* Runs in: `brig run` and the supervisor, never in a jail. Every path is
 * bounded by PATH_MAX and every file read by a fixed buffer. */
#include "cgroup.h"

#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CTRL_MAX 16     /* longest controller name we accept, with NUL */
#define LIST_MAX 1024   /* cgroup.controllers, cgroup.subtree_control */
#define REMOVE_WAIT_MS 5000

/* Decodes the \ooo escapes mountinfo uses for blanks in paths. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

struct find_ctx {
	char *out;
	size_t len;
};

/* One mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS] - TYPE ...". */
static int line_is_cgroup2(void *ctx, char *line)
{
	struct find_ctx *f = ctx;
	char *sep = strstr(line, " - cgroup2 ");
	char *p = line, *end;
	int field;

	if (!sep)
		return 0;
	for (field = 0; field < 4 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || p >= sep || !(end = strchr(p, ' ')))
		return 0;
	*end = '\0';
	unescape(p);
	if (strlen(p) >= f->len)
		return 0;
	memcpy(f->out, p, strlen(p) + 1);
	return 1;
}

int cgroup_find_mount(char *buf, size_t len, struct err *e)
{
	struct find_ctx f = { buf, len };
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_sys(e, "open /proc/self/mountinfo");
	rc = fdio_lines(fd, line_is_cgroup2, &f);
	if (rc < 0)
		err_sys(e, "read /proc/self/mountinfo");
	close(fd);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, ENOENT, "no cgroup2 file system in /proc/self/mountinfo");
	return 0;
}

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while ((p = strstr(p, w))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The controllers cfg->cgroup[] needs, each once, with the first entry's line. */
static int controllers(const struct jail_cfg *cfg, char need[][CTRL_MAX], int *line)
{
	int i, j, n = 0;

	for (i = 0; i < cfg->ncgroup; i++) {
		const char *k = cfg->cgroup[i].key;
		size_t len = strcspn(k, ".");

		if (len == 0 || len >= CTRL_MAX)
			continue;
		for (j = 0; j < n; j++)
			if (strlen(need[j]) == len && !memcmp(need[j], k, len))
				break;
		if (j < n)
			continue;
		memcpy(need[n], k, len);
		need[n][len] = '\0';
		line[n++] = cfg->cgroup[i].line;
	}
	return n;
}

/* Makes every controller in need[] available to the children of dir. */
static int enable_at(const char *dir, char need[][CTRL_MAX], const int *line, int n,
		     struct err *e)
{
	char sc[LIST_MAX], av[LIST_MAX], cmd[CTRL_MAX + 1];
	int dfd, i;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_sys(e, "cgroup %s", dir);
	if (fdio_read_file(dfd, "cgroup.subtree_control", sc, sizeof sc) < 0 ||
	    fdio_read_file(dfd, "cgroup.controllers", av, sizeof av) < 0) {
		err_sys(e, "cgroup %s: read controllers", dir);
		close(dfd);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (has_word(sc, need[i]))
			continue;
		if (!has_word(av, need[i])) {
			err_set_at(e, line[i], 0, "cgroup controller '%s' is not available in %s",
				   need[i], dir);
			close(dfd);
			return -1;
		}
		snprintf(cmd, sizeof cmd, "+%s", need[i]);
		if (fdio_write_file(dfd, "cgroup.subtree_control", cmd) < 0) {
			err_set_at(e, line[i], errno, "cgroup %s: enable controller '%s'", dir,
				   need[i]);
			close(dfd);
			return -1;
		}
	}
	close(dfd);
	return 0;
}

/* Enables what the entries need, from the cgroup2 mount down to root. */
static int enable_controllers(const char *root, const struct jail_cfg *cfg, struct err *e)
{
	char need[CFG_MAX_CGROUP][CTRL_MAX], sc[LIST_MAX], mnt[PATH_MAX], dir[PATH_MAX];
	int line[CFG_MAX_CGROUP], n = controllers(cfg, need, line), i;
	size_t ml, pos;

	if (n == 0)
		return 0;
	snprintf(dir, sizeof dir, "%s/cgroup.subtree_control", root);
	if (fdio_read_file(AT_FDCWD, dir, sc, sizeof sc) >= 0) {
		for (i = 0; i < n && has_word(sc, need[i]); i++)
			;
		if (i == n)
			return 0;  /* the common case: one read */
	}
	if (cgroup_find_mount(mnt, sizeof mnt, e) < 0)
		return -1;
	ml = strlen(mnt);
	while (ml > 1 && mnt[ml - 1] == '/')
		mnt[--ml] = '\0';
	if (strncmp(root, mnt, ml) || (root[ml] != '/' && root[ml] != '\0') || ml == 1)
		return enable_at(root, need, line, n, e);  /* not under it: root alone */
	snprintf(dir, sizeof dir, "%s", root);
	for (pos = ml;; pos++) {
		if (dir[pos] != '/' && dir[pos] != '\0')
			continue;
		{
			char c = dir[pos];

			dir[pos] = '\0';
			if (enable_at(dir, need, line, n, e) < 0)
				return -1;
			dir[pos] = c;
			if (!c)
				return 0;
		}
	}
}

static bool populated(int dfd)
{
	char buf[256];

	if (fdio_read_file(dfd, "cgroup.events", buf, sizeof buf) < 0)
		return true;  /* cannot tell: treat as busy */
	return !strstr(buf, "populated 0");
}

static int write_limits(const struct jail_cfg *cfg, const struct cgroup *cg, struct err *e)
{
	int i;

	for (i = 0; i < cfg->ncgroup; i++) {
		const struct cg_ent *c = &cfg->cgroup[i];

		if (fdio_write_file(cg->dirfd, c->key, c->value) < 0)
			return err_set_at(e, c->line, errno, "cgroup %s = %s", c->key, c->value);
	}
	return 0;
}

static int make_dir(const char *root, struct cgroup *cg, bool *existed, struct err *e)
{
	*existed = false;
	if (mkdir(cg->path, 0755) == 0)
		return 0;
	if (errno == ENOENT) {
		if (mkdir(root, 0755) < 0 && errno != EEXIST)
			return err_sys(e, "create cgroup root %s", root);
		if (mkdir(cg->path, 0755) == 0)
			return 0;
	}
	if (errno != EEXIST)
		return err_sys(e, "create cgroup %s", cg->path);
	*existed = true;
	return 0;
}

int cgroup_create(const char *root, const struct jail_cfg *cfg, struct cgroup *cg, struct err *e)
{
	bool existed;
	int n;

	cg->dirfd = -1;
	n = snprintf(cg->path, sizeof cg->path, "%s/%s", root, cfg->name);
	if (n < 0 || (size_t)n >= sizeof cg->path) {
		cg->path[0] = '\0';
		return err_set(e, ENAMETOOLONG, "cgroup root %s", root);
	}
	if (make_dir(root, cg, &existed, e) < 0) {
		cg->path[0] = '\0';
		return -1;
	}
	cg->dirfd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dirfd < 0) {
		err_sys(e, "open cgroup %s", cg->path);
		goto fail;
	}
	if (existed && populated(cg->dirfd)) {
		err_set(e, EBUSY, "cgroup %s is in use (is jail %s already running?)", cg->path,
			cfg->name);
		close(cg->dirfd);
		cg->dirfd = -1;
		cg->path[0] = '\0';  /* not ours: leave it alone */
		return -1;
	}
	if (enable_controllers(root, cfg, e) < 0 || write_limits(cfg, cg, e) < 0)
		goto fail;
	return 0;
fail:
	{
		struct err e2;

		(void)cgroup_remove(cg, &e2);
	}
	return -1;
}

int cgroup_attach(const struct cgroup *cg, pid_t pid, struct err *e)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%d", (int)pid);
	if (fdio_write_file(cg->dirfd, "cgroup.procs", buf) < 0)
		return err_sys(e, "move pid %d into cgroup %s", (int)pid, cg->path);
	return 0;
}

/* long long: a 32-bit long of milliseconds wraps after 24.8 days up. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000L;
}

/* cgroup.events changes (POLLPRI) whenever "populated" flips. */
static int wait_empty(const struct cgroup *cg, struct err *e)
{
	long long deadline = now_ms() + REMOVE_WAIT_MS;
	char buf[256];
	int fd = openat(cg->dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_sys(e, "open %s/cgroup.events", cg->path);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		long long left = deadline - now_ms();

		if (n < 0 && errno != EINTR)
			break;
		buf[n > 0 ? n : 0] = '\0';
		if (n > 0 && strstr(buf, "populated 0")) {
			close(fd);
			return 0;
		}
		if (left <= 0) {
			errno = ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			break;
	}
	err_sys(e, "cgroup %s does not empty", cg->path);
	close(fd);
	return -1;
}

int cgroup_remove(struct cgroup *cg, struct err *e)
{
	int rc = 0;

	if (!cg->path[0])
		return 0;
	if (rmdir(cg->path) < 0 && errno != ENOENT) {
		if (errno == EBUSY && cg->dirfd < 0)
			cg->dirfd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (errno != EBUSY || cg->dirfd < 0) {
			rc = err_sys(e, "remove cgroup %s", cg->path);
		} else {
			/* Linux < 5.14 has no cgroup.kill; the jail's PID namespace
			 * is gone by now anyway, so only the wait matters. */
			(void)fdio_write_file(cg->dirfd, "cgroup.kill", "1");
			if (wait_empty(cg, e) < 0)
				rc = -1;
			else if (rmdir(cg->path) < 0 && errno != ENOENT)
				rc = err_sys(e, "remove cgroup %s", cg->path);
		}
	}
	if (cg->dirfd >= 0)
		close(cg->dirfd);
	cg->dirfd = -1;
	cg->path[0] = '\0';
	return rc;
}
