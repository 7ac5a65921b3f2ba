/* Runs in: check, run, the supervisor and PID 1, whenever config loads.
 * The key table: every key of a jail file and of [init], the handler that
 * parses its value into struct jail_cfg (or struct init_cfg), and the
 * suggestions for a key that is not there. Input is untrusted text: every
 * value is bounded and validated here, so runtime code never sees a
 * malformed one. Allocation happens only while config loads. */
#include "config.h"

#include "cfgkeys.h"
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>

const char *config_section_name(enum section sec)
{
	const char *n = sec > SEC_NONE ? value_nth("jail\0restart\0mounts\0cgroup\0security\0net\0"
						   "init\0", sec - SEC_JAIL) : NULL;

	return n ? n : "";
}

/* A handler returns 0, or -1 with x->err set by BAD(). */
typedef int (*handler)(struct pctx *x, const char *v, void *field);

#define BAD(...) bad(x, __VA_ARGS__)

/* err_set_at on x's error and line: one call of few arguments at each of
 * the handlers' many failures. */
__attribute__((format(printf, 2, 3))) static int bad(struct pctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(&x->err, x->line, 0, fmt, ap);
	va_end(ap);
	return -1;
}

static int h_str(struct pctx *x, const char *v, void *field)
{
	char **p = field;

	if (!*v)
		return BAD("empty value");
	free(*p);
	*p = strdup(v);
	return *p ? 0 : BAD("out of memory");
}

static int h_abspath(struct pctx *x, const char *v, void *field)
{
	if (v[0] != '/')
		return BAD("'%s' is not an absolute path", v);
	return h_str(x, v, field);
}

static int h_bool(struct pctx *x, const char *v, void *field)
{
	if (value_bool(v, field) < 0)
		return BAD("'%s' is not a boolean (yes/no, true/false, on/off, 1/0)", v);
	return 0;
}

/* The key's maximum (x->max) keeps every deadline sane and far from
 * overflowing when added to the clock. */
static int h_duration(struct pctx *x, const char *v, void *field)
{
	uint64_t *ms = field, m = x->max;

	if (value_duration_ms(v, ms) < 0)
		return BAD("'%s' is not a duration (e.g. 250ms, 5s, 2m, 1h)", v);
	if (m && *ms > m)
		return BAD("'%s' is too long: at most %llu%s", v,
			   (unsigned long long)(m % 3600000 ? m % 60000 ? m / 1000 : m / 60000
							    : m / 3600000),
			   m % 3600000 ? m % 60000 ? "s" : "m" : "h");
	return 0;
}

static int h_signal(struct pctx *x, const char *v, void *field)
{
	if (value_signal(v, field) < 0)
		return BAD("unknown signal '%s'", v);
	return 0;
}

static int h_burst(struct pctx *x, const char *v, void *field)
{
	const char *end;
	uint64_t n;

	if (value_number(v, &n, &end) < 0 || *end || n > CFG_MAX_BURST)
		return BAD("'%s' is not a number from 0 to %d", v, CFG_MAX_BURST);
	*(unsigned *)field = (unsigned)n;
	return 0;
}

/* Picks one of a NULL-terminated list of words, by index. */
/* Picks one of a list of words ("a\0b\0"), by index. */
static int choose(struct pctx *x, const char *v, const char *words, int *out)
{
	char list[120] = "";
	const char *w;
	int i;

	for (i = 0; (w = value_nth(words, i)); i++) {
		if (!strcmp(v, w))
			return *out = i, 0;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", w);
	}
	return BAD("'%s' is not one of: %s", v, list);
}

#define CHOOSER(fn, type, words)                                           \
	static int fn(struct pctx *x, const char *v, void *field)          \
	{                                                                  \
		int i;                                                     \
		if (choose(x, v, words, &i) < 0)                           \
			return -1;                                         \
		*(type *)field = (type)i;                                  \
		return 0;                                                  \
	}

CHOOSER(h_type, enum jail_type, "service\0oneshot\0")
CHOOSER(h_log, enum log_mode, "buffer\0quiet\0")
CHOOSER(h_policy, enum restart_policy, "always\0on-failure\0never\0")
CHOOSER(h_failact, enum failure_action, "none\0reboot\0poweroff\0")
CHOOSER(h_control, enum control_grant, "no\0status\0full\0")
CHOOSER(h_dev, enum dev_mode, "minimal\0none\0")

static int h_exec(struct pctx *x, const char *v, void *field)
{
	struct jail_cfg *c = x->c;

	(void)field;
	if (value_split(v, c->argv, CFG_MAX_ARGS, &c->argc, &x->err) < 0)
		return -1;
	if (c->argc == 0)
		return BAD("empty command");
	if (c->argv[0][0] != '/')
		return BAD("'%s' is not an absolute path inside the jail", c->argv[0]);
	return 0;
}

static int h_overlay(struct pctx *x, const char *v, void *field)
{
	if (strcmp(v, "tmpfs") && v[0] != '/')
		return BAD("'%s' is neither 'tmpfs' nor an absolute host directory", v);
	return h_str(x, v, field);
}

static int h_hostname(struct pctx *x, const char *v, void *field)
{
	const char *p;

	if (!*v || strlen(v) > 64)
		return BAD("hostname must be 1 to 64 characters");
	for (p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return BAD("hostname '%s' has character '%c'", v, *p);
	return h_str(x, v, field);
}

/* Splits a list value on blanks and commas; calls fn for each word. */
static int each_word(struct pctx *x, const char *v, int (*fn)(struct pctx *, const char *))
{
	char buf[INI_MAX_LINE + 1];
	char *save = NULL, *w;

	snprintf(buf, sizeof buf, "%s", v);
	for (w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save))
		if (fn(x, w) < 0)
			return -1;
	return 0;
}

static int ns_word(struct pctx *x, const char *w)
{
	static const unsigned flags[] = { CLONE_NEWPID,	 CLONE_NEWNS,	CLONE_NEWUTS,
					  CLONE_NEWIPC,	 CLONE_NEWNET,	CLONE_NEWUSER,
					  CLONE_NEWCGROUP };
	const char *n;
	int i;

	for (i = 0; (n = value_nth("pid\0mount\0uts\0ipc\0net\0user\0cgroup\0", i)); i++)
		if (!strcmp(w, n)) {
			x->c->namespaces |= flags[i];
			return 0;
		}
	return BAD("unknown namespace '%s' (pid mount uts ipc net user cgroup)", w);
}

static int h_namespaces(struct pctx *x, const char *v, void *field)
{
	(void)field;
	x->c->namespaces = 0;
	if (each_word(x, v, ns_word) < 0)
		return -1;
	if (!(x->c->namespaces & CLONE_NEWPID) || !(x->c->namespaces & CLONE_NEWNS))
		return BAD("namespaces must include 'pid' and 'mount'");
	return 0;
}

static bool valid_user_word(const char *w)
{
	if (!*w || strlen(w) > 32)
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && !strchr("._-", *w))
			return false;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 10)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	{
		uint64_t v;
		const char *end;

		return value_number(s, &v, &end) == 0 && end == s + n && v < UINT32_MAX;
	}
}

static int h_user(struct pctx *x, const char *v, void *field)
{
	const char *colon = strchr(v, ':');

	if (isdigit((unsigned char)v[0])) {
		size_t n = colon ? (size_t)(colon - v) : strlen(v);

		if (!all_digits(v, n) || (colon && !all_digits(colon + 1, strlen(colon + 1))))
			return BAD("'%s' is neither UID[:GID] nor a name", v);
	} else if (!valid_user_word(v)) {
		return BAD("'%s' is neither UID[:GID] nor a name", v);
	}
	return h_str(x, v, field);
}

/* Appends a copy of v to the list arr of *n entries, at most max. */
static int push(struct pctx *x, char **arr, int *n, int max, const char *what, const char *v)
{
	if (*n >= max)
		return BAD("more than %d %s", max, what);
	if (!(arr[*n] = strdup(v)))
		return BAD("out of memory");
	(*n)++;
	return 0;
}

static int group_word(struct pctx *x, const char *w)
{
	struct jail_cfg *c = x->c;

	if (isdigit((unsigned char)w[0]) ? !all_digits(w, strlen(w)) : !valid_user_word(w))
		return BAD("group '%s' is neither a number nor a name", w);
	return push(x, c->groups, &c->ngroups, CFG_MAX_GROUPS, "groups", w);
}

static int h_groups(struct pctx *x, const char *v, void *field)
{
	(void)field;
	return each_word(x, v, group_word);
}

static int h_env(struct pctx *x, const char *v, void *field)
{
	struct jail_cfg *c = x->c;
	const char *eq = strchr(v, '=');
	const char *p;
	int i;

	(void)field;
	if (!eq || eq == v)
		return BAD("env entry '%s' is not NAME=VALUE", v);
	for (p = v; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return BAD("env name '%.*s' has character '%c'", (int)(eq - v), v, *p);
	if (isdigit((unsigned char)v[0]))
		return BAD("env name '%.*s' starts with a digit", (int)(eq - v), v);
	for (i = 0; i < c->nenv; i++)
		if (!strncmp(c->env[i], v, (size_t)(eq - v) + 1))
			return BAD("env '%.*s' already set on line %d", (int)(eq - v), v,
				   c->env_line[i]);
	if (push(x, c->env, &c->nenv, CFG_MAX_ENV, "env entries", v) < 0)
		return -1;
	c->env_line[c->nenv - 1] = x->line;
	return 0;
}

static int h_umask(struct pctx *x, const char *v, void *field)
{
	unsigned m = 0;
	const char *p;

	for (p = v; *p >= '0' && *p <= '7' && m <= 0777; p++)
		m = m * 8 + (unsigned)(*p - '0');
	if (p == v || *p || m > 0777)
		return BAD("'%s' is not an octal mode from 0 to 0777", v);
	*(mode_t *)field = (mode_t)m;
	return 0;
}

static int after_word(struct pctx *x, const char *w)
{
	struct jail_cfg *c = x->c;

	if (!value_valid_name(w))
		return BAD("'%s' is not a jail name", w);
	if (!strcmp(w, c->name))
		return BAD("jail '%s' cannot start after itself", w);
	return push(x, c->after, &c->nafter, CFG_MAX_AFTER, "names in 'after'", w);
}

static int h_after(struct pctx *x, const char *v, void *field)
{
	(void)field;
	return each_word(x, v, after_word);
}

static int h_ready(struct pctx *x, const char *v, void *field)
{
	const char *end;
	uint64_t fd;

	(void)field;
	if (!strcmp(v, "exec"))
		x->c->ready = READY_EXEC;
	else if (!strcmp(v, "notify"))
		x->c->ready = READY_NOTIFY;
	else if (!strncmp(v, "fd:", 3) && value_number(v + 3, &fd, &end) == 0 && !*end && fd >= 3 &&
		 fd < 1024)
		x->c->ready = READY_FD, x->c->ready_fd = (int)fd;
	else
		return BAD("'%s' is not one of: exec, notify, fd:N (N from 3 to 1023)", v);
	return 0;
}

static int h_log_size(struct pctx *x, const char *v, void *field)
{
	uint64_t n;

	if (value_size(v, &n) < 0 || n < 1024 || n > 16 * 1024 * 1024)
		return BAD("'%s' is not a size from 1K to 16M", v);
	*(uint64_t *)field = n;
	return 0;
}

/* ---- [mounts] ---- */

static int mount_slot(struct pctx *x, struct mount_ent **m)
{
	if (x->c->nmounts >= CFG_MAX_MOUNTS)
		return BAD("more than %d mounts", CFG_MAX_MOUNTS);
	*m = &x->c->mounts[x->c->nmounts];
	memset(*m, 0, sizeof **m);
	(*m)->line = x->line;
	return 0;
}

static int mount_dst(struct pctx *x, struct mount_ent *m, const char *dst, size_t n)
{
	int i;

	if (n == 0 || dst[0] != '/')
		return BAD("mount target '%.*s' is not an absolute path", (int)n, dst);
	for (i = 0; i + 3 <= (int)n; i++)
		if (!memcmp(dst + i, "/..", 3) && (i + 3 == (int)n || dst[i + 3] == '/'))
			return BAD("mount target '%.*s' contains '..'", (int)n, dst);
	m->dst = strndup(dst, n);
	if (!m->dst)
		return BAD("out of memory");
	while (strlen(m->dst) > 1 && m->dst[strlen(m->dst) - 1] == '/')
		m->dst[strlen(m->dst) - 1] = '\0';
	for (i = 0; i < x->c->nmounts; i++)
		if (!strcmp(x->c->mounts[i].dst, m->dst)) {
			int first = x->c->mounts[i].line;

			free(m->dst);
			m->dst = NULL;
			return BAD("mount target '%.*s' already used on line %d", (int)n, dst,
				   first);
		}
	if (!strcmp(m->dst, "/tmp"))
		x->c->tmp_named = true;
	return 0;
}

static void mount_drop(struct mount_ent *m)
{
	free(m->src);
	free(m->dst);
	free(m->data);
	memset(m, 0, sizeof *m);
}

static int bind_opt(struct pctx *x, const char *w)
{
	/* "rw" clears MS_RDONLY; each other sets its flag. */
	static const unsigned flags[] = { MS_RDONLY, MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC,
					  MS_REC };
	struct mount_ent *m = &x->c->mounts[x->c->nmounts];
	const char *n;
	int i;

	for (i = 0; (n = value_nth("ro\0rw\0nosuid\0nodev\0noexec\0rec\0", i)); i++)
		if (!strcmp(w, n)) {
			m->flags = i == 1 ? m->flags & ~(unsigned long)MS_RDONLY : m->flags | flags[i];
			return 0;
		}
	return BAD("unknown bind option '%s' (ro rw nosuid nodev noexec rec)", w);
}

static int h_bind(struct pctx *x, const char *v, void *field)
{
	const char *c1 = strchr(v, ':'), *c2;
	struct mount_ent *m;

	(void)field;
	if (!c1)
		return BAD("'%s' is not SRC:DST[:OPTS]", v);
	c2 = strchr(c1 + 1, ':');
	if (c2 && !c2[1])
		return BAD("bind '%s' has an empty option list", v);
	if (v[0] != '/')
		return BAD("bind source '%.*s' is not an absolute path", (int)(c1 - v), v);
	if (mount_slot(x, &m) < 0)
		return -1;
	m->kind = MNT_BIND;
	m->flags = MS_RDONLY;
	if (mount_dst(x, m, c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1)) < 0)
		return -1;
	m->src = strndup(v, (size_t)(c1 - v));
	if (!m->src || (c2 && each_word(x, c2 + 1, bind_opt) < 0)) {
		if (!m->src)
			BAD("out of memory");
		mount_drop(m);
		return -1;
	}
	x->c->nmounts++;
	return 0;
}

/* tmpfs options: size= and mode= become mount(2) data, each at most once;
 * flag words become flags. */
static int tmpfs_opts(struct pctx *x, struct mount_ent *m, const char *opts)
{
	char buf[INI_MAX_LINE + 1], data[64];
	const char *mode = NULL;
	char *save = NULL, *w;
	uint64_t size = 0;

	snprintf(buf, sizeof buf, "%s", opts);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "nosuid"))
			m->flags |= MS_NOSUID;
		else if (!strcmp(w, "nodev"))
			m->flags |= MS_NODEV;
		else if (!strcmp(w, "noexec"))
			m->flags |= MS_NOEXEC;
		else if ((!strncmp(w, "size=", 5) && size) || (!strncmp(w, "mode=", 5) && mode))
			return BAD("tmpfs option '%.5s' given twice", w);
		else if (!strncmp(w, "size=", 5) && value_size(w + 5, &size) == 0 && size > 0)
			;
		else if (!strncmp(w, "mode=", 5) && w[5] && strlen(w + 5) <= 4 &&
			 strspn(w + 5, "01234567") == strlen(w + 5))
			mode = w + 5;
		else
			return BAD("bad tmpfs option '%s' (size=SIZE mode=OCTAL nosuid nodev noexec)",
				   w);
	}
	if (size && mode)
		snprintf(data, sizeof data, "size=%llu,mode=%s", (unsigned long long)size, mode);
	else if (size)
		snprintf(data, sizeof data, "size=%llu", (unsigned long long)size);
	else if (mode)
		snprintf(data, sizeof data, "mode=%s", mode);
	if ((size || mode) && !(m->data = strdup(data)))
		return BAD("out of memory");
	return 0;
}

static int h_tmpfs(struct pctx *x, const char *v, void *field)
{
	const char *colon = strchr(v, ':');
	struct mount_ent *m;

	(void)field;
	if (mount_slot(x, &m) < 0)
		return -1;
	m->kind = MNT_TMPFS;
	if (mount_dst(x, m, v, colon ? (size_t)(colon - v) : strlen(v)) < 0 ||
	    (colon && tmpfs_opts(x, m, colon + 1) < 0)) {
		mount_drop(m);
		return -1;
	}
	x->c->nmounts++;
	return 0;
}

static int h_volume(struct pctx *x, const char *v, void *field)
{
	const char *colon = strchr(v, ':');
	struct mount_ent *m;
	char name[CFG_NAME_MAX + 2];

	(void)field;
	if (!colon)
		return BAD("'%s' is not NAME:DST", v);
	snprintf(name, sizeof name, "%.*s", (int)(colon - v), v);
	if ((size_t)(colon - v) > CFG_NAME_MAX || !value_valid_name(name))
		return BAD("volume name '%.*s' must be letters, digits, '-', '_' (at most %d)",
			   (int)(colon - v), v, CFG_NAME_MAX);
	if (mount_slot(x, &m) < 0)
		return -1;
	m->kind = MNT_VOLUME;
	if (mount_dst(x, m, colon + 1, strlen(colon + 1)) < 0)
		return -1;
	if (!(m->src = strdup(name))) {
		mount_drop(m);
		return BAD("out of memory");
	}
	x->c->nmounts++;
	return 0;
}

/* ---- [cgroup] ---- */

static int cg_size_or_max(struct pctx *x, const char *v, char *out, size_t n)
{
	uint64_t b;

	if (!strcmp(v, "max"))
		return snprintf(out, n, "max"), 0;
	if (value_size(v, &b) < 0)
		return BAD("'%s' is not a size (e.g. 4096, 64K, 16M, 1G) or 'max'", v);
	snprintf(out, n, "%llu", (unsigned long long)b);
	return 0;
}

static int cg_pids(struct pctx *x, const char *v, char *out, size_t n)
{
	const char *end;
	uint64_t p;

	if (!strcmp(v, "max"))
		return snprintf(out, n, "max"), 0;
	if (value_number(v, &p, &end) < 0 || *end || p > INT32_MAX)
		return BAD("'%s' is not a number of processes or 'max'", v);
	snprintf(out, n, "%llu", (unsigned long long)p);
	return 0;
}

/* "QUOTA PERIOD", "max [PERIOD]", or "N%" of one CPU at a 100ms period. */
static int cg_cpu_max(struct pctx *x, const char *v, char *out, size_t n)
{
	const char *end;
	uint64_t q, p = 100000;
	bool period = false;

	if (value_number(v, &q, &end) == 0 && !strcmp(end, "%")) {
		if (q < 1 || q > 100000)
			return BAD("'%s' must be from 1%% upwards", v);
		snprintf(out, n, "%llu 100000", (unsigned long long)(q * 1000));
		return 0;
	}
	if (!strncmp(v, "max", 3)) {
		end = v + 3;
		q = 0;
	} else if (value_number(v, &q, &end) < 0 || q < 1000) {
		return BAD("'%s' is not 'QUOTA PERIOD', 'max' or 'N%%' (quota >= 1000us)",
			   v);
	}
	if (*end == ' ') {
		period = true;
		while (*end == ' ')
			end++;
		if (value_number(end, &p, &end) < 0 || *end || p < 1000 || p > 1000000)
			return BAD("period in '%s' must be 1000 to 1000000 us", v);
	} else if (*end) {
		return BAD("'%s' is not 'QUOTA PERIOD', 'max' or 'N%%'", v);
	}
	if (q)
		snprintf(out, n, "%llu %llu", (unsigned long long)q, (unsigned long long)p);
	else if (period)
		snprintf(out, n, "max %llu", (unsigned long long)p);
	else
		snprintf(out, n, "max");
	return 0;
}

static int cg_weight(struct pctx *x, const char *v, char *out, size_t n)
{
	const char *end, *s = v;
	uint64_t w;

	if (!strncmp(s, "default ", 8))
		s += 8;
	if (value_number(s, &w, &end) < 0 || *end || w < 1 || w > 10000)
		return BAD("weight '%s' is not a number from 1 to 10000", v);
	snprintf(out, n, "%s%llu", s != v ? "default " : "", (unsigned long long)w);
	return 0;
}

/* cpuset lists: "0-3,5". */
static int cg_cpuset(struct pctx *x, const char *v, char *out, size_t n)
{
	const char *s = v, *end;
	uint64_t a, b;

	do {
		if (value_number(s, &a, &end) < 0)
			return BAD("'%s' is not a list like 0-3,5", v);
		if (*end == '-') {
			if (value_number(end + 1, &b, &end) < 0 || b < a)
				return BAD("'%s' is not a list like 0-3,5", v);
		}
		s = end + 1;
	} while (*end == ',');
	if (*end)
		return BAD("'%s' is not a list like 0-3,5", v);
	snprintf(out, n, "%s", v);
	return 0;
}

/* "MAJ:MIN key=value..." with rbps wbps riops wiops. */
static int cg_io_max(struct pctx *x, const char *v, char *out, size_t n)
{
	const char *end;
	uint64_t num;
	char buf[INI_MAX_LINE + 1];
	char *save = NULL, *w;

	if (value_number(v, &num, &end) < 0 || *end != ':' || value_number(end + 1, &num, &end) < 0 ||
	    *end != ' ')
		return BAD("'%s' is not 'MAJ:MIN rbps=N wbps=N riops=N wiops=N'", v);
	snprintf(buf, sizeof buf, "%s", end);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *eq = strchr(w, '=');
		uint64_t sz;

		if (!eq || (strncmp(w, "rbps=", 5) && strncmp(w, "wbps=", 5) &&
			    strncmp(w, "riops=", 6) && strncmp(w, "wiops=", 6)) ||
		    (strcmp(eq + 1, "max") && value_size(eq + 1, &sz) < 0))
			return BAD("field '%s' is not rbps|wbps|riops|wiops=N|max", w);
	}
	snprintf(out, n, "%s", v);
	return 0;
}

static const struct cg_key {
	const char *name;
	int (*parse)(struct pctx *x, const char *v, char *out, size_t n);
} cg_keys[] = {
	{ "memory.max", cg_size_or_max }, { "memory.high", cg_size_or_max },
	{ "memory.swap.max", cg_size_or_max }, { "pids.max", cg_pids },
	{ "cpu.max", cg_cpu_max }, { "cpu.weight", cg_weight },
	{ "cpuset.cpus", cg_cpuset }, { "cpuset.mems", cg_cpuset },
	{ "io.max", cg_io_max }, { "io.weight", cg_weight },
};

#define N_CG_KEYS (sizeof cg_keys / sizeof cg_keys[0])

/* ---- [security] ---- */

/* The kernel's capability names (capability.h), by number: the names
 * libcap knows, so `capabilities` reads the same as in other tools. */
static const char cap_names[] =
	"chown\0dac_override\0dac_read_search\0fowner\0fsetid\0kill\0setgid\0setuid\0"
	"setpcap\0linux_immutable\0net_bind_service\0net_broadcast\0net_admin\0net_raw\0"
	"ipc_lock\0ipc_owner\0sys_module\0sys_rawio\0sys_chroot\0sys_ptrace\0sys_pacct\0"
	"sys_admin\0sys_boot\0sys_nice\0sys_resource\0sys_time\0sys_tty_config\0mknod\0"
	"lease\0audit_write\0audit_control\0setfcap\0mac_override\0mac_admin\0syslog\0"
	"wake_alarm\0block_suspend\0audit_read\0perfmon\0bpf\0checkpoint_restore\0";

static int cap_word(struct pctx *x, const char *w)
{
	const char *n = strncasecmp(w, "cap_", 4) ? w : w + 4, *c;
	int i;

	if (!strcasecmp(w, "none"))
		return 0;
	for (i = 0; (c = value_nth(cap_names, i)); i++)
		if (!strcasecmp(n, c)) {
			x->c->caps |= 1ULL << i;
			return 0;
		}
	return BAD("unknown capability '%s'", w);
}

static int h_caps(struct pctx *x, const char *v, void *field)
{
	(void)field;
	x->c->caps = 0;
	return each_word(x, v, cap_word);
}

/* Reads a decimal number and the blanks after it. */
static int number_ws(const char **s, uint64_t *out)
{
	if (value_number(*s, out, s) < 0)
		return -1;
	while (**s == ' ' || **s == '\t')
		(*s)++;
	return 0;
}

static int h_idmap(struct pctx *x, const char *v, void *field)
{
	struct idmap *m = field;
	uint64_t a, b, n;
	const char *s = v;

	if (number_ws(&s, &a) < 0 || number_ws(&s, &b) < 0 || number_ws(&s, &n) < 0 || *s ||
	    n == 0 || a > UINT32_MAX || b > UINT32_MAX || n > UINT32_MAX ||
	    a + n > 1ULL + UINT32_MAX || b + n > 1ULL + UINT32_MAX)
		return BAD("'%s' is not 'INSIDE OUTSIDE COUNT'", v);
	m->inside = (uint32_t)a;
	m->outside = (uint32_t)b;
	m->count = (uint32_t)n;
	return 0;
}

/* "N" or "unlimited"; the rest of s goes to *end. */
static int rlim_value(const char *s, rlim_t *out, const char **end)
{
	uint64_t n;

	if (!strncmp(s, "unlimited", 9)) {
		*end = s + 9;
		return *out = RLIM_INFINITY, 0;
	}
	if (value_number(s, &n, end) < 0 || n >= (uint64_t)RLIM_INFINITY)
		return -1;
	*out = (rlim_t)n;
	return 0;
}

static const char rlimit_names[] = "rlimit.nofile\0rlimit.nproc\0rlimit.core\0"
				   "rlimit.memlock\0rlimit.stack\0rlimit.as\0rlimit.cpu\0"
				   "rlimit.fsize\0";
static const unsigned char rlimit_res[] = { RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE,
					    RLIMIT_MEMLOCK, RLIMIT_STACK, RLIMIT_AS,
					    RLIMIT_CPU, RLIMIT_FSIZE };

#define N_RLIMITS sizeof rlimit_res

static int rlimit_entry(struct pctx *x, size_t i, const char *v)
{
	struct jail_cfg *c = x->c;
	struct rlimit_ent *e;
	const char *end;
	int j;

	for (j = 0; j < c->nrlimits; j++)
		if (c->rlimits[j].resource == rlimit_res[i])
			return BAD("'%s' already set on line %d", value_nth(rlimit_names, (int)i),
				   c->rlimits[j].line);
	e = &c->rlimits[c->nrlimits];
	if (rlim_value(v, &e->lim.rlim_cur, &end) < 0 ||
	    (*end == ':' ? rlim_value(end + 1, &e->lim.rlim_max, &end) < 0 || *end
			 : (e->lim.rlim_max = e->lim.rlim_cur, *end != '\0')))
		return BAD("'%s' is not SOFT[:HARD] or 'unlimited'", v);
	if (e->lim.rlim_cur > e->lim.rlim_max)
		return BAD("soft limit above hard limit in '%s'", v);
	e->resource = rlimit_res[i];
	e->line = x->line;
	c->nrlimits++;
	return 0;
}

/* [security] seccomp: the words are resolved in config_seccomp.c. */
CHOOSER(h_seccomp, enum seccomp_mode, "default\0allowlist\0none\0")
CHOOSER(h_seccomp_action, enum seccomp_action, "eperm\0kill\0")

static int h_seccomp_list(struct pctx *x, const char *v, void *field)
{
	int *first = &x->c->line[field == x->c->seccomp.allow ? K_SECCOMP_ALLOW : K_SECCOMP_DENY];
	char msg[sizeof x->err.msg];

	if (!*first)
		*first = x->line;
	if (config_seccomp_list(x->c, field, v, x->d, x->file, x->line, msg, sizeof msg) < 0)
		return BAD("%s", msg);
	return 0;
}

/* ---- [net] ---- */

static int h_net_mode(struct pctx *x, const char *v, void *field)
{
	struct jail_cfg *c = x->c;

	(void)field;
	if (!strcmp(v, "host"))
		c->net = NET_HOST;
	else if (!strcmp(v, "none"))
		c->net = NET_NONE;
	else if (!strcmp(v, "veth"))
		c->net = NET_VETH;
	else if (!strncmp(v, "jail:", 5) && value_valid_name(v + 5)) {
		c->net = NET_JAIL;
		free(c->net_jail);
		if (!(c->net_jail = strdup(v + 5)))
			return BAD("out of memory");
	} else
		return BAD("'%s' is not one of: host, none, jail:NAME, veth", v);
	return 0;
}

static int h_ifname(struct pctx *x, const char *v, void *field)
{
	if (!*v || strlen(v) > 15 || strchr(v, '/') || strchr(v, ' '))
		return BAD("'%s' is not an interface name (1 to 15 characters)", v);
	return h_str(x, v, field);
}

/* Appends v to the space-separated list *field, at most max words: the
 * runtime walks lists of a few words, so they stay one string. */
static int add_word(struct pctx *x, const char *v, void *field, int key, int max)
{
	char **p = field, *n;
	size_t old = *p ? strlen(*p) + 1 : 0;
	int words = 1;

	if (!x->c->line[key])  /* the first entry's line, even when it is bad */
		x->c->line[key] = x->line;
	for (n = *p; n && *n; n++)
		words += *n == ' ';
	if (*p && words >= max)
		return BAD("more than %d entries", max);
	if (!(n = malloc(old + strlen(v) + 1)))
		return BAD("out of memory");
	if (old) {
		memcpy(n, *p, old);
		n[old - 1] = ' ';
	}
	strcpy(n + old, v);
	free(*p);
	*p = n;
	return 0;
}

static int h_address(struct pctx *x, const char *v, void *field)
{
	unsigned char bin[16];
	const char *end;
	int prefix;

	if (value_ip(v, bin, &prefix, &end) < 0 || prefix < 0 || *end) {
		x->c->line[K_ADDRESS] = x->c->line[K_ADDRESS] ? x->c->line[K_ADDRESS] : x->line;
		return BAD("'%s' is not an IPv4 or IPv6 ADDR/PREFIX", v);
	}
	return add_word(x, v, field, K_ADDRESS, CFG_MAX_ADDRS);
}

static int h_gateway(struct pctx *x, const char *v, void *field)
{
	unsigned char bin[16];
	const char *end;
	int prefix;

	if (value_ip(v, bin, &prefix, &end) < 0 || prefix >= 0 || *end)
		return BAD("'%s' is not an IPv4 or IPv6 address", v);
	return h_str(x, v, field);
}

static int h_interface(struct pctx *x, const char *v, void *field)
{
	if (!*v || strlen(v) > 15 || strpbrk(v, "/: \t"))
		return BAD("'%s' is not an interface name (1 to 15 characters)", v);
	return add_word(x, v, field, K_INTERFACE, CFG_MAX_IFACES);
}

/* ---- [init] ---- */

static int h_modules(struct pctx *x, const char *v, void *field)
{
	struct init_cfg *ic = x->ic;
	int n;

	(void)field;
	if (value_split(v, ic->modules, CFG_MAX_MODULES, &ic->nmodules, &x->err) < 0)
		return -1;
	for (n = 0; n < ic->nmodules; n++)
		if (strchr(ic->modules[n], '/') || strlen(ic->modules[n]) > 60)
			return BAD("'%s' is not a module name", ic->modules[n]);
	return 0;
}

/* bridge = NAME [ADDR/PREFIX...], kept as written */
static int h_bridge(struct pctx *x, const char *v, void *field)
{
	struct init_cfg *ic = x->ic;
	size_t n = strcspn(v, " ");
	unsigned char bin[16];
	const char *p = v + n, *end;
	int prefix, i;

	(void)field;
	for (i = 0; *(p += strspn(p, " ")); i++, p = end)
		if (i >= CFG_MAX_ADDRS || value_ip(p, bin, &prefix, &end) < 0 || prefix < 0)
			break;
	if (n > 15 || memchr(v, '/', n) || memchr(v, ':', n) || *p ||
	    ic->nbridges >= CFG_MAX_BRIDGES)
		return BAD("'%s' is not NAME [ADDR/PREFIX...] (at most %d bridges, %d addresses)",
			   v, CFG_MAX_BRIDGES, CFG_MAX_ADDRS);
	ic->bridge_line[ic->nbridges] = x->line;
	return h_str(x, v, &ic->bridges[ic->nbridges++]);
}

static int h_command(struct pctx *x, const char *v, void *field)
{
	char **argv = field;
	int n;

	if (value_split(v, argv, CFG_MAX_ARGS, &n, &x->err) < 0)
		return -1;
	if (n == 0 || argv[0][0] != '/')
		return BAD("the command must start with an absolute path");
	return 0;
}

/* ---- key table ---- */

#define JF(f) offsetof(struct jail_cfg, f)
#define IF(f) offsetof(struct init_cfg, f)
#define LIST (-1)
#define SEC 1000ULL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

/* Every key: its section, the handler and the field it fills (an offset
 * into struct jail_cfg, or struct init_cfg in [init]), and the slot of
 * cfg->line[] (init: x->init_line[]) that catches a second setting. */
static const struct key_def {
	unsigned char sec;  /* enum section */
	handler fn;
	unsigned short off;
	signed char key;    /* K_*, or LIST for repeatable entries */
} __attribute__((packed)) keys[] = {
	{ SEC_JAIL, h_exec, 0, K_EXEC },
	{ SEC_JAIL, h_type, JF(type), K_TYPE },
	{ SEC_JAIL, h_abspath, JF(root), K_ROOT },
	{ SEC_JAIL, h_bool, JF(readonly_root), K_READONLY_ROOT },
	{ SEC_JAIL, h_overlay, JF(overlay), K_OVERLAY },
	{ SEC_JAIL, h_hostname, JF(hostname), K_HOSTNAME },
	{ SEC_JAIL, h_namespaces, 0, K_NAMESPACES },
	{ SEC_JAIL, h_user, JF(user), K_USER },
	{ SEC_JAIL, h_groups, 0, K_GROUPS },
	{ SEC_JAIL, h_abspath, JF(workdir), K_WORKDIR },
	{ SEC_JAIL, h_env, 0, LIST },
	{ SEC_JAIL, h_umask, JF(umask), K_UMASK },
	{ SEC_JAIL, h_after, 0, K_AFTER },
	{ SEC_JAIL, h_ready, 0, K_READY },
	{ SEC_JAIL, h_duration, JF(ready_timeout_ms), K_READY_TIMEOUT },
	{ SEC_JAIL, h_bool, JF(autostart), K_AUTOSTART },
	{ SEC_JAIL, h_log, JF(log), K_LOG },
	{ SEC_JAIL, h_log_size, JF(log_size), K_LOG_SIZE },
	{ SEC_RESTART, h_policy, JF(policy), K_POLICY },
	{ SEC_RESTART, h_duration, JF(delay_ms), K_DELAY },
	{ SEC_RESTART, h_duration, JF(max_delay_ms), K_MAX_DELAY },
	{ SEC_RESTART, h_duration, JF(reset_after_ms), K_RESET_AFTER },
	{ SEC_RESTART, h_burst, JF(burst), K_BURST },
	{ SEC_RESTART, h_duration, JF(interval_ms), K_INTERVAL },
	{ SEC_RESTART, h_failact, JF(failure_action), K_FAILURE_ACTION },
	{ SEC_RESTART, h_signal, JF(stop_signal), K_STOP_SIGNAL },
	{ SEC_RESTART, h_duration, JF(stop_timeout_ms), K_STOP_TIMEOUT },
	{ SEC_MOUNTS, h_bind, 0, LIST },
	{ SEC_MOUNTS, h_tmpfs, 0, LIST },
	{ SEC_MOUNTS, h_volume, 0, LIST },
	{ SEC_MOUNTS, h_bool, JF(proc), K_PROC },
	{ SEC_MOUNTS, h_dev, JF(dev), K_DEV },
	{ SEC_SECURITY, h_caps, 0, K_CAPABILITIES },
	{ SEC_SECURITY, h_bool, JF(no_new_privs), K_NO_NEW_PRIVS },
	{ SEC_SECURITY, h_idmap, JF(uid_map), K_UID_MAP },
	{ SEC_SECURITY, h_idmap, JF(gid_map), K_GID_MAP },
	{ SEC_SECURITY, h_seccomp, JF(seccomp.mode), K_SECCOMP },
	{ SEC_SECURITY, h_seccomp_list, JF(seccomp.allow), LIST },
	{ SEC_SECURITY, h_seccomp_list, JF(seccomp.deny), LIST },
	{ SEC_SECURITY, h_seccomp_action, JF(seccomp.action), K_SECCOMP_ACTION },
	{ SEC_SECURITY, h_control, JF(control), K_CONTROL },
	{ SEC_NET, h_net_mode, 0, K_NET_MODE },
	{ SEC_NET, h_ifname, JF(bridge), K_BRIDGE },
	{ SEC_NET, h_address, JF(address), LIST },
	{ SEC_NET, h_gateway, JF(gateway), K_GATEWAY },
	{ SEC_NET, h_interface, JF(interfaces), LIST },
	{ SEC_INIT, h_hostname, IF(hostname), 0 },
	{ SEC_INIT, h_modules, 0, 1 },
	{ SEC_INIT, h_abspath, IF(watchdog), 2 },
	{ SEC_INIT, h_duration, IF(watchdog_interval_ms), 3 },
	{ SEC_INIT, h_duration, IF(shutdown_timeout_ms), 4 },
	{ SEC_INIT, h_command, IF(emergency_shell), 5 },
	{ SEC_INIT, h_command, IF(console), 6 },
	{ SEC_INIT, h_bridge, 0, LIST },
};

/* The names of the rows of keys[], in the same order (the walks stop at
 * the list's end; a name out of step fails t_config's key tests). */
static const char key_names[] =
	"exec\0type\0root\0readonly_root\0overlay\0hostname\0namespaces\0user\0"
	"groups\0workdir\0env\0umask\0after\0ready\0ready_timeout\0autostart\0"
	"log\0log_size\0policy\0delay\0max_delay\0reset_after\0burst\0interval\0"
	"failure_action\0stop_signal\0stop_timeout\0bind\0tmpfs\0volume\0proc\0"
	"dev\0capabilities\0no_new_privs\0uid_map\0gid_map\0seccomp\0seccomp.allow\0"
	"seccomp.deny\0seccomp.action\0control\0mode\0bridge\0address\0gateway\0"
	"interface\0hostname\0modules\0watchdog\0watchdog_interval\0shutdown_timeout\0"
	"emergency_shell\0console\0bridge\0";

#define N_KEYS (sizeof keys / sizeof keys[0])

/* The largest value of a duration key, in minutes: every deadline stays
 * sane and far from overflowing when added to the clock. */
static const char max_keys[] = "ready_timeout\0delay\0max_delay\0reset_after\0interval\0"
			       "stop_timeout\0watchdog_interval\0shutdown_timeout\0";
static const unsigned short max_min[] = { 60, 60, 60, 24 * 60, 24 * 60, 10, 10, 10 };

/* Edit distance, bounded to short keys; used only for suggestions. */
unsigned config_distance(const char *a, const char *b)
{
	unsigned row[48], i, j, la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 47 || lb >= 47)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned prev = row[0], tmp;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

static void consider(const char *key, const char *cand, const char **best, unsigned *bd)
{
	unsigned d = config_distance(key, cand);

	if (d < *bd) {
		*bd = d;
		*best = cand;
	}
}

/* The nearest known key of any section of the same kind of file, if it is
 * near enough to be a typo. */
static const char *suggest(const char *key, enum section sec)
{
	const char *best = NULL;
	unsigned bd = 99, limit;
	const char *n;
	size_t i;

	for (i = 0, n = key_names; i < N_KEYS && *n; i++, n += strlen(n) + 1)
		if ((keys[i].sec == SEC_INIT) == (sec == SEC_INIT))
			consider(key, n, &best, &bd);
	for (i = 0; sec != SEC_INIT && i < N_CG_KEYS; i++)
		consider(key, cg_keys[i].name, &best, &bd);
	for (i = 0; sec != SEC_INIT && i < N_RLIMITS; i++)
		consider(key, value_nth(rlimit_names, (int)i), &best, &bd);
	limit = strlen(key) < 6 ? 2 : (unsigned)strlen(key) / 3 + 1;
	return bd <= limit ? best : NULL;
}

/* Where a key that is not in this section does belong, for the message. */
static const char *home_section(const char *key)
{
	const char *n;
	size_t i;

	for (i = 0, n = key_names; i < N_KEYS && *n; i++, n += strlen(n) + 1)
		if (keys[i].sec != SEC_INIT && !strcmp(key, n))
			return config_section_name(keys[i].sec);
	for (i = 0; i < N_CG_KEYS; i++)
		if (!strcmp(key, cg_keys[i].name))
			return "cgroup";
	for (i = 0; i < N_RLIMITS; i++)
		if (!strcmp(key, value_nth(rlimit_names, (int)i)))
			return "security";
	return NULL;
}

static void unknown_key(struct pctx *x, const char *key)
{
	const char *home = x->sec == SEC_INIT ? NULL : home_section(key);
	const char *sec = config_section_name(x->sec), *s;

	if (home && strcmp(home, sec))
		diag_error(x->d, x->file, x->line, "key '%s' belongs in [%s], not [%s]", key, home,
			   sec);
	else if ((s = suggest(key, x->sec)))
		diag_error(x->d, x->file, x->line, "unknown key '%s' in [%s]; did you mean '%s'?",
			   key, sec, s);
	else
		diag_error(x->d, x->file, x->line, "unknown key '%s' in [%s]", key, sec);
}

static int cgroup_key(struct pctx *x, size_t i, const char *v)
{
	struct jail_cfg *c = x->c;
	const char *key = cg_keys[i].name;
	char out[INI_MAX_LINE + 1];
	int j;

	for (j = 0; j < c->ncgroup; j++)
		if (!strcmp(c->cgroup[j].key, key))
			return BAD("'%s' already set on line %d", key, c->cgroup[j].line);
	if (c->ncgroup >= CFG_MAX_CGROUP)
		return BAD("more than %d cgroup keys", CFG_MAX_CGROUP);
	if (cg_keys[i].parse(x, v, out, sizeof out) < 0)
		return -1;
	c->cgroup[c->ncgroup].key = strdup(key);
	c->cgroup[c->ncgroup].value = strdup(out);
	c->cgroup[c->ncgroup].line = x->line;
	c->ncgroup++;
	if (!c->cgroup[c->ncgroup - 1].key || !c->cgroup[c->ncgroup - 1].value)
		return BAD("out of memory");
	return 0;
}

/* The index of name in a table of n rows whose rows start with the name. */
#define FIND(table, n, what)                                                   \
	({                                                                     \
		size_t i_ = 0;                                                 \
		while (i_ < (n) && strcmp((what), (table)[i_].name))          \
			i_++;                                                  \
		i_;                                                            \
	})

/* The index of word in a list of words, or past its end. */
static size_t nth_of(const char *list, const char *word)
{
	const char *n;
	size_t i;

	for (i = 0; (n = value_nth(list, (int)i)) && strcmp(n, word); i++)
		;
	return i;
}

/* One setting of a row of keys[]. */
static int table_key(struct pctx *x, const struct key_def *k, const char *key, const char *v)
{
	int *lines = x->sec == SEC_INIT ? x->init_line : x->c->line;
	char *base = x->sec == SEC_INIT ? (char *)x->ic : (char *)x->c;
	const char *n;
	int i;

	if (k->key != LIST && lines[k->key]) {
		diag_error(x->d, x->file, x->line, "'%s' already set on line %d", key,
			   lines[k->key]);
		return 0;
	}
	if (k->key != LIST)
		lines[k->key] = x->line;
	x->max = 0;
	for (i = 0; k->fn == h_duration && (n = value_nth(max_keys, i)); i++)
		if (!strcmp(n, key))
			x->max = max_min[i] * MIN;
	return k->fn(x, v, base + k->off);
}

void config_key(struct pctx *x, const char *key, const char *v)
{
	const struct key_def *k = NULL;
	const char *n;
	size_t i;
	int rc;

	for (i = 0, n = key_names; i < N_KEYS && *n && !k; i++, n += strlen(n) + 1)
		if (keys[i].sec == x->sec && !strcmp(n, key))
			k = &keys[i];
	if (x->sec == SEC_CGROUP && (i = FIND(cg_keys, N_CG_KEYS, key)) < N_CG_KEYS)
		rc = cgroup_key(x, i, v);
	else if (x->sec == SEC_SECURITY && (i = nth_of(rlimit_names, key)) < N_RLIMITS)
		rc = rlimit_entry(x, i, v);
	else if (k)
		rc = table_key(x, k, key, v);
	else
		return unknown_key(x, key);
	if (rc < 0)
		diag_error(x->d, x->file, x->line, "%s: %s", key, x->err.msg);
}

/* ---- whole-jail validation ---- */

/* mode = jail:NAME implies after = NAME. */
static void finish_net_jail(struct pctx *x)
{
	struct jail_cfg *c = x->c;
	int i;

	if (!strcmp(c->net_jail, c->name)) {
		diag_error(x->d, x->file, c->line[K_NET_MODE], "mode: a jail cannot share its own network");
		return;
	}
	for (i = 0; i < c->nafter && strcmp(c->after[i], c->net_jail); i++)
		;
	if (i < c->nafter)
		return;
	if (c->nafter >= CFG_MAX_AFTER || !(c->after[c->nafter] = strdup(c->net_jail)))
		diag_error(x->d, x->file, c->line[K_NET_MODE], "mode: more than %d names in 'after'",
			   CFG_MAX_AFTER);
	else
		c->nafter++;
}

void config_finish(struct pctx *x)
{
	struct jail_cfg *c = x->c;
	int i;
	bool has_path = false;

	if (!c->line[K_EXEC])
		diag_error(x->d, x->file, 0, "[jail] needs 'exec'");
	if ((c->interfaces || (c->namespaces & CLONE_NEWNET)) && !c->line[K_NET_MODE])
		c->net = NET_NONE;
	if (c->line[K_NET_MODE] && c->net == NET_HOST && (c->namespaces & CLONE_NEWNET))
		diag_error(x->d, x->file, c->line[K_NET_MODE],
			   "mode: 'host' conflicts with the 'net' namespace");
	if (c->net != NET_HOST)
		c->namespaces |= CLONE_NEWNET;
	if (c->net == NET_VETH && !c->line[K_BRIDGE])
		diag_error(x->d, x->file, c->line[K_NET_MODE], "mode: 'veth' needs 'bridge'");
	if (c->net == NET_VETH && !c->line[K_ADDRESS])
		diag_error(x->d, x->file, c->line[K_NET_MODE], "mode: 'veth' needs 'address'");
	if (c->net != NET_VETH && c->bridge)
		diag_warn(x->d, x->file, c->line[K_BRIDGE], "bridge: used only with mode = veth");
	if (c->net != NET_VETH && !c->interfaces && (c->address || c->gateway))
		diag_warn(x->d, x->file, c->line[K_ADDRESS] ? c->line[K_ADDRESS] : c->line[K_GATEWAY],
			  "address/gateway are used only with mode = veth or an interface");
	if (c->interfaces && (c->net == NET_HOST || c->net == NET_JAIL))
		diag_error(x->d, x->file, c->line[K_INTERFACE],
			   "interface: needs a network namespace of the jail's own (mode = none or veth)");
	if (c->net == NET_JAIL)
		finish_net_jail(x);
	if (!(c->namespaces & CLONE_NEWUSER) && (c->line[K_UID_MAP] || c->line[K_GID_MAP]))
		diag_warn(x->d, x->file, c->line[K_UID_MAP] ? c->line[K_UID_MAP] : c->line[K_GID_MAP],
			  "uid_map/gid_map are used only with the 'user' namespace");
	if (c->overlay && !c->readonly_root && c->line[K_READONLY_ROOT])
		diag_warn(x->d, x->file, c->line[K_READONLY_ROOT],
			  "readonly_root = no has no effect with overlay");
	if (c->max_delay_ms < c->delay_ms && c->line[K_MAX_DELAY])
		diag_error(x->d, x->file, c->line[K_MAX_DELAY], "max_delay: below delay");
	if (c->ready == READY_NOTIFY && c->type == JAIL_ONESHOT)
		diag_error(x->d, x->file, c->line[K_READY],
			   "ready: a oneshot is ready when it exits 0; use the default");
	for (i = 0; i < c->nenv; i++)
		has_path |= !strncmp(c->env[i], "PATH=", 5);
	if (!has_path && !(c->env[c->nenv] = strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin")))
		diag_error(x->d, x->file, 0, "out of memory");
	else if (!has_path)
		c->nenv++;
	c->env[c->nenv] = NULL;
	if (!c->hostname && !(c->hostname = strdup(c->name[0] ? c->name : "jail")))
		diag_error(x->d, x->file, 0, "out of memory");
	config_seccomp_finish(c, x->d, x->file);
}

void config_init_defaults(struct init_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->shutdown_timeout_ms = 10000;
	c->watchdog_interval_ms = 10000;
}

void config_defaults(struct jail_cfg *c, const char *name)
{
	memset(c, 0, sizeof *c);
	if (name)
		snprintf(c->name, sizeof c->name, "%s", name);
	c->readonly_root = true;
	c->namespaces = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
	c->umask = 022;
	c->ready_timeout_ms = 30000;
	c->autostart = true;
	c->log_size = 16 * 1024;
	c->delay_ms = 100;
	c->max_delay_ms = 30000;
	c->reset_after_ms = 10000;
	c->burst = 10;
	c->interval_ms = 60000;
	c->stop_signal = SIGTERM;
	c->stop_timeout_ms = 5000;
	c->proc = true;
	c->no_new_privs = true;
	c->uid_map = (struct idmap){ 0, 100000, 65536 };
	c->gid_map = (struct idmap){ 0, 100000, 65536 };
}

/* ---- free ---- */

void config_free(struct jail_cfg *c)
{
	int i;

	for (i = 0; i < CFG_MAX_ARGS && c->argv[i]; i++)
		free(c->argv[i]);
	for (i = 0; i < c->nenv; i++)
		free(c->env[i]);
	for (i = 0; i < c->ngroups; i++)
		free(c->groups[i]);
	for (i = 0; i < c->nafter; i++)
		free(c->after[i]);
	for (i = 0; i < c->nmounts; i++)
		mount_drop(&c->mounts[i]);
	for (i = 0; i < c->ncgroup; i++) {
		free(c->cgroup[i].key);
		free(c->cgroup[i].value);
	}
	free(c->file);
	free(c->root);
	free(c->overlay);
	free(c->hostname);
	free(c->user);
	free(c->workdir);
	free(c->net_jail);
	free(c->bridge);
	free(c->address);
	free(c->gateway);
	free(c->interfaces);
	memset(c, 0, sizeof *c);
}

void config_free_init(struct init_cfg *c)
{
	int i;

	for (i = 0; i < c->nmodules; i++)
		free(c->modules[i]);
	for (i = 0; i < CFG_MAX_ARGS && c->emergency_shell[i]; i++)
		free(c->emergency_shell[i]);
	for (i = 0; i < c->nbridges; i++)
		free(c->bridges[i]);
	for (i = 0; i < CFG_MAX_ARGS && c->console[i]; i++)
		free(c->console[i]);
	free(c->file);
	free(c->hostname);
	free(c->watchdog);
	memset(c, 0, sizeof *c);
}

