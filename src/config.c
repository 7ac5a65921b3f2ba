/* Runs in: check, run, the supervisor and PID 1, whenever config loads.
 * Input is untrusted text: every value is bounded and validated here, so
 * runtime code never sees a malformed one. Allocation happens only here. */
#include "config.h"

#include "ini.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MSG_MAX 200

/* ---- diagnostics ---- */

static void diag_v(struct diag *d, const char *file, int line, bool warn, const char *fmt,
		   va_list ap)
{
	char msg[MSG_MAX + 64];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (warn)
		d->warnings++;
	else
		d->errors++;
	if (d->emit)
		d->emit(d->ctx, file, line, warn, msg);
}

void diag_stderr(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	(void)ctx;
	if (line > 0)
		fprintf(stderr, "%s:%d: %s: %s\n", file, line, warning ? "warning" : "error", msg);
	else
		fprintf(stderr, "%s: %s: %s\n", file, warning ? "warning" : "error", msg);
}

void diag_error(struct diag *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(d, file, line, false, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(d, file, line, true, fmt, ap);
	va_end(ap);
}

/* ---- value syntaxes ---- */

/* Parses a decimal number into *out; the rest of s goes to *end. */
static int number(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	*end = s;
	return 0;
}

static int scaled(uint64_t v, uint64_t mul, uint64_t *out)
{
	if (mul && v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int config_duration_ms(const char *s, uint64_t *out)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	const char *end;
	uint64_t v;
	size_t i;

	if (number(s, &v, &end) < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].unit))
			return scaled(v, units[i].ms, out);
	return -1;
}

int config_size(const char *s, uint64_t *out)
{
	const char *end;
	const char *p;
	uint64_t v;
	static const char suffix[] = "KMG";

	if (number(s, &v, &end) < 0)
		return -1;
	if (!*end) {
		*out = v;
		return 0;
	}
	if (end[1])
		return -1;
	p = strchr(suffix, *end);
	if (!p || !*p)
		return -1;
	return scaled(v, 1ULL << (10 * (p - suffix + 1)), out);
}

int config_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	}
	return -1;
}

static const struct { int sig; const char *name; } signals[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
	{ SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGBUS, "BUS" }, { SIGFPE, "FPE" },
	{ SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
#ifdef SIGSTKFLT  /* not on MIPS */
	{ SIGSTKFLT, "STKFLT" },
#endif
#ifdef SIGEMT  /* MIPS only */
	{ SIGEMT, "EMT" },
#endif
	{ SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" }, { SIGTSTP, "TSTP" },
	{ SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" }, { SIGURG, "URG" }, { SIGXCPU, "XCPU" },
	{ SIGXFSZ, "XFSZ" }, { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" },
	{ SIGWINCH, "WINCH" }, { SIGIO, "IO" }, { SIGPWR, "PWR" }, { SIGSYS, "SYS" },
};

int config_signal(const char *s, int *out)
{
	const char *end;
	uint64_t v;
	size_t i;

	if (isdigit((unsigned char)*s)) {
		if (number(s, &v, &end) < 0 || *end || v < 1 || v > 64)
			return -1;
		*out = (int)v;
		return 0;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (!strcasecmp(s, signals[i].name))
			return *out = signals[i].sig, 0;
	return -1;
}

const char *config_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

bool config_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > CFG_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '-' && *name != '_')
			return false;
	return true;
}

/* Shell-like word splitting: quotes and backslashes only. */
int config_split(const char *s, char **argv, int max, int *argc, char *msg, size_t msglen)
{
	char word[INI_MAX_LINE + 1];
	int n = 0;

	for (;;) {
		size_t w = 0;
		char quote = 0;
		bool have = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
			have = true;
			if (w >= sizeof word - 1) {
				snprintf(msg, msglen, "a word longer than %d bytes", INI_MAX_LINE);
				goto fail;
			}
			if (quote == '\'' && *s != '\'') {
				word[w++] = *s;
			} else if (*s == quote) {
				quote = 0;
			} else if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else if (*s == '\\' && s[1] &&
				   (!quote || s[1] == '"' || s[1] == '\\')) {
				word[w++] = *++s;
			} else {
				word[w++] = *s;
			}
		}
		if (quote) {
			snprintf(msg, msglen, "unterminated %s quote",
				 quote == '"' ? "double" : "single");
			goto fail;
		}
		if (!have)
			break;
		if (n >= max) {
			snprintf(msg, msglen, "more than %d words", max);
			goto fail;
		}
		word[w] = '\0';
		argv[n] = strdup(word);
		if (!argv[n]) {
			snprintf(msg, msglen, "out of memory");
			goto fail;
		}
		n++;
	}
	argv[n] = NULL;
	*argc = n;
	return 0;
fail:
	while (n > 0)
		free(argv[--n]);
	argv[0] = NULL;
	*argc = 0;
	return -1;
}

/* ---- parse context ---- */

enum section { SEC_NONE, SEC_JAIL, SEC_RESTART, SEC_MOUNTS, SEC_CGROUP, SEC_SECURITY, SEC_NET,
	       SEC_INIT };

static const char *const section_names[] = {
	[SEC_NONE] = "", [SEC_JAIL] = "jail", [SEC_RESTART] = "restart",
	[SEC_MOUNTS] = "mounts", [SEC_CGROUP] = "cgroup", [SEC_SECURITY] = "security",
	[SEC_NET] = "net", [SEC_INIT] = "init",
};

struct pctx {
	const char *file;
	struct jail_cfg *c;
	struct init_cfg *ic;
	struct diag *d;
	enum section sec;
	bool seen_section[SEC_INIT + 1];
	bool bad_section;  /* inside an unknown section: its keys go unreported */
	int line;
	char msg[MSG_MAX];
	int init_line[8];
};

/* A handler returns 0, or -1 with x->msg set. */
typedef int (*handler)(struct pctx *x, const char *v, void *field);

__attribute__((format(printf, 2, 3))) static int bad(struct pctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof x->msg, fmt, ap);
	va_end(ap);
	return -1;
}

#define BAD(...) bad(x, __VA_ARGS__)

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
	if (config_bool(v, field) < 0)
		return BAD("'%s' is not a boolean (yes/no, true/false, on/off, 1/0)", v);
	return 0;
}

static int h_duration(struct pctx *x, const char *v, void *field)
{
	if (config_duration_ms(v, field) < 0)
		return BAD("'%s' is not a duration (e.g. 250ms, 5s, 2m, 1h)", v);
	return 0;
}

static int h_signal(struct pctx *x, const char *v, void *field)
{
	if (config_signal(v, field) < 0)
		return BAD("unknown signal '%s'", v);
	return 0;
}

static int h_burst(struct pctx *x, const char *v, void *field)
{
	const char *end;
	uint64_t n;

	if (number(v, &n, &end) < 0 || *end || n > CFG_MAX_BURST)
		return BAD("'%s' is not a number from 0 to %d", v, CFG_MAX_BURST);
	*(unsigned *)field = (unsigned)n;
	return 0;
}

/* Picks one of a NULL-terminated list of words, by index. */
static int choose(struct pctx *x, const char *v, const char *const *words, int *out)
{
	char list[120] = "";
	int i;

	for (i = 0; words[i]; i++) {
		if (!strcmp(v, words[i]))
			return *out = i, 0;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
			 words[i]);
	}
	return BAD("'%s' is not one of: %s", v, list);
}

#define CHOOSER(fn, type, ...)                                             \
	static int fn(struct pctx *x, const char *v, void *field)          \
	{                                                                  \
		static const char *const w[] = { __VA_ARGS__, NULL };      \
		int i;                                                     \
		if (choose(x, v, w, &i) < 0)                               \
			return -1;                                         \
		*(type *)field = (type)i;                                  \
		return 0;                                                  \
	}

CHOOSER(h_type, enum jail_type, "service", "oneshot")
CHOOSER(h_log, enum log_mode, "buffer", "quiet")
CHOOSER(h_policy, enum restart_policy, "always", "on-failure", "never")
CHOOSER(h_failact, enum failure_action, "none", "reboot", "poweroff")
CHOOSER(h_dev, enum dev_mode, "minimal", "none")

static int h_exec(struct pctx *x, const char *v, void *field)
{
	struct jail_cfg *c = x->c;

	(void)field;
	if (config_split(v, c->argv, CFG_MAX_ARGS, &c->argc, x->msg, sizeof x->msg) < 0)
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
	static const struct { const char *name; unsigned long flag; } ns[] = {
		{ "pid", CLONE_NEWPID }, { "mount", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
		{ "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET }, { "user", CLONE_NEWUSER },
		{ "cgroup", CLONE_NEWCGROUP },
	};
	size_t i;

	for (i = 0; i < sizeof ns / sizeof ns[0]; i++)
		if (!strcmp(w, ns[i].name)) {
			x->c->namespaces |= ns[i].flag;
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

		return number(s, &v, &end) == 0 && end == s + n && v < UINT32_MAX;
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

static int group_word(struct pctx *x, const char *w)
{
	struct jail_cfg *c = x->c;

	if (isdigit((unsigned char)w[0]) ? !all_digits(w, strlen(w)) : !valid_user_word(w))
		return BAD("group '%s' is neither a number nor a name", w);
	if (c->ngroups >= CFG_MAX_GROUPS)
		return BAD("more than %d groups", CFG_MAX_GROUPS);
	c->groups[c->ngroups] = strdup(w);
	if (!c->groups[c->ngroups])
		return BAD("out of memory");
	c->ngroups++;
	return 0;
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
	if (c->nenv >= CFG_MAX_ENV)
		return BAD("more than %d env entries", CFG_MAX_ENV);
	c->env[c->nenv] = strdup(v);
	if (!c->env[c->nenv])
		return BAD("out of memory");
	c->env_line[c->nenv++] = x->line;
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

	if (!config_valid_name(w))
		return BAD("'%s' is not a jail name", w);
	if (!strcmp(w, c->name))
		return BAD("jail '%s' cannot start after itself", w);
	if (c->nafter >= CFG_MAX_AFTER)
		return BAD("more than %d names in 'after'", CFG_MAX_AFTER);
	c->after[c->nafter] = strdup(w);
	if (!c->after[c->nafter])
		return BAD("out of memory");
	c->nafter++;
	return 0;
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
	else if (!strncmp(v, "fd:", 3) && number(v + 3, &fd, &end) == 0 && !*end && fd >= 3 &&
		 fd < 1024)
		x->c->ready = READY_FD, x->c->ready_fd = (int)fd;
	else
		return BAD("'%s' is not one of: exec, notify, fd:N (N from 3 to 1023)", v);
	return 0;
}

static int h_log_size(struct pctx *x, const char *v, void *field)
{
	uint64_t n;

	if (config_size(v, &n) < 0 || n < 1024 || n > 16 * 1024 * 1024)
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
	if (memmem(dst, n, "/../", 4) || (n >= 3 && !memcmp(dst + n - 3, "/..", 3)))
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
	static const struct { const char *name; unsigned long set, clear; } opts[] = {
		{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY }, { "nosuid", MS_NOSUID, 0 },
		{ "nodev", MS_NODEV, 0 }, { "noexec", MS_NOEXEC, 0 }, { "rec", MS_REC, 0 },
	};
	struct mount_ent *m = &x->c->mounts[x->c->nmounts];
	size_t i;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(w, opts[i].name)) {
			m->flags = (m->flags | opts[i].set) & ~opts[i].clear;
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
		else if (!strncmp(w, "size=", 5) && config_size(w + 5, &size) == 0 && size > 0)
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
	if ((size_t)(colon - v) > CFG_NAME_MAX || !config_valid_name(name))
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
	if (config_size(v, &b) < 0)
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
	if (number(v, &p, &end) < 0 || *end || p > INT32_MAX)
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

	if (number(v, &q, &end) == 0 && !strcmp(end, "%")) {
		if (q < 1 || q > 100000)
			return BAD("'%s' must be from 1%% upwards", v);
		snprintf(out, n, "%llu 100000", (unsigned long long)(q * 1000));
		return 0;
	}
	if (!strncmp(v, "max", 3)) {
		end = v + 3;
		q = 0;
	} else if (number(v, &q, &end) < 0 || q < 1000) {
		return BAD("'%s' is not 'QUOTA PERIOD', 'max' or 'N%%' (quota >= 1000us)",
			   v);
	}
	if (*end == ' ') {
		period = true;
		while (*end == ' ')
			end++;
		if (number(end, &p, &end) < 0 || *end || p < 1000 || p > 1000000)
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
	if (number(s, &w, &end) < 0 || *end || w < 1 || w > 10000)
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
		if (number(s, &a, &end) < 0)
			return BAD("'%s' is not a list like 0-3,5", v);
		if (*end == '-') {
			if (number(end + 1, &b, &end) < 0 || b < a)
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

	if (number(v, &num, &end) < 0 || *end != ':' || number(end + 1, &num, &end) < 0 ||
	    *end != ' ')
		return BAD("'%s' is not 'MAJ:MIN rbps=N wbps=N riops=N wiops=N'", v);
	snprintf(buf, sizeof buf, "%s", end);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *eq = strchr(w, '=');
		uint64_t sz;

		if (!eq || (strncmp(w, "rbps=", 5) && strncmp(w, "wbps=", 5) &&
			    strncmp(w, "riops=", 6) && strncmp(w, "wiops=", 6)) ||
		    (strcmp(eq + 1, "max") && config_size(eq + 1, &sz) < 0))
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

static int cap_word(struct pctx *x, const char *w)
{
	char name[64];
	cap_value_t v;

	if (!strcasecmp(w, "none"))
		return 0;
	snprintf(name, sizeof name, "%s%s", strncasecmp(w, "cap_", 4) ? "cap_" : "", w);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strlen(w) > 40 || cap_from_name(name, &v) < 0 || v < 0 || v > 63)
		return BAD("unknown capability '%s'", w);
	x->c->caps |= 1ULL << v;
	return 0;
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
	if (number(*s, out, s) < 0)
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
	if (number(s, &n, end) < 0 || n >= (uint64_t)RLIM_INFINITY)
		return -1;
	*out = (rlim_t)n;
	return 0;
}

static int rlimit_entry(struct pctx *x, const char *res, const char *v)
{
	static const struct { const char *name; int res; } rl[] = {
		{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC }, { "core", RLIMIT_CORE },
		{ "memlock", RLIMIT_MEMLOCK }, { "stack", RLIMIT_STACK }, { "as", RLIMIT_AS },
		{ "cpu", RLIMIT_CPU }, { "fsize", RLIMIT_FSIZE },
	};
	struct jail_cfg *c = x->c;
	struct rlimit_ent *e;
	const char *end;
	size_t i;
	int j;

	for (i = 0; i < 8 && strcmp(res, rl[i].name); i++)
		;
	if (i == 8)
		return -2;
	for (j = 0; j < c->nrlimits; j++)
		if (c->rlimits[j].resource == rl[i].res)
			return BAD("'rlimit.%s' already set on line %d", res, c->rlimits[j].line);
	e = &c->rlimits[c->nrlimits];
	if (rlim_value(v, &e->lim.rlim_cur, &end) < 0 ||
	    (*end == ':' ? rlim_value(end + 1, &e->lim.rlim_max, &end) < 0 || *end
			 : (e->lim.rlim_max = e->lim.rlim_cur, *end != '\0')))
		return BAD("'%s' is not SOFT[:HARD] or 'unlimited'", v);
	if (e->lim.rlim_cur > e->lim.rlim_max)
		return BAD("soft limit above hard limit in '%s'", v);
	e->resource = rl[i].res;
	e->line = x->line;
	c->nrlimits++;
	return 0;
}

/* [security] seccomp: the words are resolved in config_seccomp.c. */
CHOOSER(h_seccomp, enum seccomp_mode, "default", "allowlist", "none")
CHOOSER(h_seccomp_action, enum seccomp_action, "eperm", "kill")

static int h_seccomp_list(struct pctx *x, const char *v, void *field)
{
	int *first = &x->c->line[field == x->c->seccomp.allow ? K_SECCOMP_ALLOW : K_SECCOMP_DENY];

	if (!*first)
		*first = x->line;
	return config_seccomp_list(x->c, field, v, x->d, x->file, x->line, x->msg, sizeof x->msg);
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
	else if (!strncmp(v, "jail:", 5) && config_valid_name(v + 5)) {
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

/* ADDR (IPv4 or IPv6), then "/PREFIX" when prefix is set; 0: AF_INET or
 * AF_INET6 in *family, -1: not one. */
static int ip_addr(const char *v, bool prefix, int *family)
{
	char a[48];
	unsigned char bin[16];
	const char *slash = strchr(v, '/');
	size_t n = prefix && slash ? (size_t)(slash - v) : strlen(v);
	uint64_t p;
	const char *end;

	if (n >= sizeof a || (prefix && !slash))
		return -1;
	memcpy(a, v, n);
	a[n] = '\0';
	*family = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, a, bin) != 1)
		return -1;
	if (prefix && (number(slash + 1, &p, &end) < 0 || *end || slash[1] == ' ' ||
		       p > (*family == AF_INET ? 32u : 128u)))
		return -1;
	return 0;
}

/* Appends v to the space-separated list *field, at most max words: the
 * runtime walks lists of a few words, so they stay one string. */
static int add_word(struct pctx *x, const char *v, void *field, int key, int max)
{
	char **p = field, *n;
	size_t old = *p ? strlen(*p) : 0;
	int words = 1;

	if (!x->c->line[key])  /* the first entry's line, even when it is bad */
		x->c->line[key] = x->line;

	for (n = *p; n && *n; n++)
		words += *n == ' ';
	if (*p && words >= max)
		return BAD("more than %d entries", max);
	if (!(n = realloc(*p, old + strlen(v) + 2)))
		return BAD("out of memory");
	if (old)
		n[old++] = ' ';
	strcpy(n + old, v);
	*p = n;
	return 0;
}

static int h_address(struct pctx *x, const char *v, void *field)
{
	int fam;

	if (ip_addr(v, true, &fam) < 0) {
		x->c->line[K_ADDRESS] = x->c->line[K_ADDRESS] ? x->c->line[K_ADDRESS] : x->line;
		return BAD("'%s' is not an IPv4 or IPv6 ADDR/PREFIX", v);
	}
	return add_word(x, v, field, K_ADDRESS, CFG_MAX_ADDRS);
}

static int h_gateway(struct pctx *x, const char *v, void *field)
{
	int fam;

	if (ip_addr(v, false, &fam) < 0)
		return BAD("'%s' is not an IPv4 or IPv6 address", v);
	return h_str(x, v, field);
}

static int h_interface(struct pctx *x, const char *v, void *field)
{
	if (!*v || strlen(v) > 15 || strpbrk(v, "/: \t"))
		return BAD("'%s' is not an interface name (1 to 15 characters)", v);
	return add_word(x, v, field, K_INTERFACE, CFG_MAX_IFACES);
}

/* ---- key table ---- */

#define JF(f) offsetof(struct jail_cfg, f)
#define LIST (-1)

static const struct key_def {
	enum section sec;
	const char *name;
	handler fn;
	size_t off;
	int key;  /* K_*, or LIST for repeatable entries */
} keys[] = {
	{ SEC_JAIL, "exec", h_exec, 0, K_EXEC },
	{ SEC_JAIL, "type", h_type, JF(type), K_TYPE },
	{ SEC_JAIL, "root", h_abspath, JF(root), K_ROOT },
	{ SEC_JAIL, "readonly_root", h_bool, JF(readonly_root), K_READONLY_ROOT },
	{ SEC_JAIL, "overlay", h_overlay, JF(overlay), K_OVERLAY },
	{ SEC_JAIL, "hostname", h_hostname, JF(hostname), K_HOSTNAME },
	{ SEC_JAIL, "namespaces", h_namespaces, 0, K_NAMESPACES },
	{ SEC_JAIL, "user", h_user, JF(user), K_USER },
	{ SEC_JAIL, "groups", h_groups, 0, K_GROUPS },
	{ SEC_JAIL, "workdir", h_abspath, JF(workdir), K_WORKDIR },
	{ SEC_JAIL, "env", h_env, 0, LIST },
	{ SEC_JAIL, "umask", h_umask, JF(umask), K_UMASK },
	{ SEC_JAIL, "after", h_after, 0, K_AFTER },
	{ SEC_JAIL, "ready", h_ready, 0, K_READY },
	{ SEC_JAIL, "ready_timeout", h_duration, JF(ready_timeout_ms), K_READY_TIMEOUT },
	{ SEC_JAIL, "autostart", h_bool, JF(autostart), K_AUTOSTART },
	{ SEC_JAIL, "log", h_log, JF(log), K_LOG },
	{ SEC_JAIL, "log_size", h_log_size, JF(log_size), K_LOG_SIZE },
	{ SEC_RESTART, "policy", h_policy, JF(policy), K_POLICY },
	{ SEC_RESTART, "delay", h_duration, JF(delay_ms), K_DELAY },
	{ SEC_RESTART, "max_delay", h_duration, JF(max_delay_ms), K_MAX_DELAY },
	{ SEC_RESTART, "reset_after", h_duration, JF(reset_after_ms), K_RESET_AFTER },
	{ SEC_RESTART, "burst", h_burst, JF(burst), K_BURST },
	{ SEC_RESTART, "interval", h_duration, JF(interval_ms), K_INTERVAL },
	{ SEC_RESTART, "failure_action", h_failact, JF(failure_action), K_FAILURE_ACTION },
	{ SEC_RESTART, "stop_signal", h_signal, JF(stop_signal), K_STOP_SIGNAL },
	{ SEC_RESTART, "stop_timeout", h_duration, JF(stop_timeout_ms), K_STOP_TIMEOUT },
	{ SEC_MOUNTS, "bind", h_bind, 0, LIST },
	{ SEC_MOUNTS, "tmpfs", h_tmpfs, 0, LIST },
	{ SEC_MOUNTS, "volume", h_volume, 0, LIST },
	{ SEC_MOUNTS, "proc", h_bool, JF(proc), K_PROC },
	{ SEC_MOUNTS, "dev", h_dev, JF(dev), K_DEV },
	{ SEC_SECURITY, "capabilities", h_caps, 0, K_CAPABILITIES },
	{ SEC_SECURITY, "no_new_privs", h_bool, JF(no_new_privs), K_NO_NEW_PRIVS },
	{ SEC_SECURITY, "uid_map", h_idmap, JF(uid_map), K_UID_MAP },
	{ SEC_SECURITY, "gid_map", h_idmap, JF(gid_map), K_GID_MAP },
	{ SEC_SECURITY, "seccomp", h_seccomp, JF(seccomp.mode), K_SECCOMP },
	{ SEC_SECURITY, "seccomp.allow", h_seccomp_list, JF(seccomp.allow), LIST },
	{ SEC_SECURITY, "seccomp.deny", h_seccomp_list, JF(seccomp.deny), LIST },
	{ SEC_SECURITY, "seccomp.action", h_seccomp_action, JF(seccomp.action), K_SECCOMP_ACTION },
	{ SEC_NET, "mode", h_net_mode, 0, K_NET_MODE },
	{ SEC_NET, "bridge", h_ifname, JF(bridge), K_BRIDGE },
	{ SEC_NET, "address", h_address, JF(address), LIST },
	{ SEC_NET, "gateway", h_gateway, JF(gateway), K_GATEWAY },
	{ SEC_NET, "interface", h_interface, JF(interfaces), LIST },
};

#define N_KEYS (sizeof keys / sizeof keys[0])

static const char *const rlimit_keys[] = {
	"rlimit.nofile", "rlimit.nproc", "rlimit.core", "rlimit.memlock",
	"rlimit.stack", "rlimit.as", "rlimit.cpu", "rlimit.fsize",
};

static const char *const init_keys[] = {
	"hostname", "modules", "watchdog", "watchdog_interval", "shutdown_timeout",
	"emergency_shell", "console", "bridge",
};

#define N_INIT_KEYS (sizeof init_keys / sizeof init_keys[0])

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

/* The nearest known key of any section, if it is near enough to be a typo. */
static const char *suggest(const char *key, enum section sec)
{
	const char *best = NULL;
	unsigned bd = 99, limit;
	size_t i;

	if (sec == SEC_INIT) {
		for (i = 0; i < N_INIT_KEYS; i++)
			consider(key, init_keys[i], &best, &bd);
	} else {
		for (i = 0; i < N_KEYS; i++)
			consider(key, keys[i].name, &best, &bd);
		for (i = 0; i < N_CG_KEYS; i++)
			consider(key, cg_keys[i].name, &best, &bd);
		for (i = 0; i < 8; i++)
			consider(key, rlimit_keys[i], &best, &bd);
	}
	limit = strlen(key) < 6 ? 2 : (unsigned)strlen(key) / 3 + 1;
	return bd <= limit ? best : NULL;
}

/* Where a key that is not in this section does belong, for the message. */
static const char *home_section(const char *key)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (!strcmp(key, keys[i].name))
			return section_names[keys[i].sec];
	for (i = 0; i < N_CG_KEYS; i++)
		if (!strcmp(key, cg_keys[i].name))
			return "cgroup";
	for (i = 0; i < 8; i++)
		if (!strcmp(key, rlimit_keys[i]))
			return "security";
	return NULL;
}

static void unknown_key(struct pctx *x, const char *key)
{
	const char *home = x->sec == SEC_INIT ? NULL : home_section(key);
	const char *s;

	if (home && strcmp(home, section_names[x->sec]))
		diag_error(x->d, x->file, x->line, "key '%s' belongs in [%s], not [%s]", key, home,
			   section_names[x->sec]);
	else if ((s = suggest(key, x->sec)))
		diag_error(x->d, x->file, x->line, "unknown key '%s' in [%s]; did you mean '%s'?",
			   key, section_names[x->sec], s);
	else
		diag_error(x->d, x->file, x->line, "unknown key '%s' in [%s]", key,
			   section_names[x->sec]);
}

static int cgroup_key(struct pctx *x, const char *key, const char *v)
{
	struct jail_cfg *c = x->c;
	char out[INI_MAX_LINE + 1];
	size_t i;
	int j;

	for (i = 0; i < N_CG_KEYS && strcmp(key, cg_keys[i].name); i++)
		;
	if (i == N_CG_KEYS)
		return -2;
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

static void jail_key(struct pctx *x, const char *key, const char *v)
{
	const struct key_def *k = NULL;
	int rc = -2;
	size_t i;

	if (x->sec == SEC_CGROUP) {
		rc = cgroup_key(x, key, v);
	} else if (x->sec == SEC_SECURITY && !strncmp(key, "rlimit.", 7)) {
		rc = rlimit_entry(x, key + 7, v);
	} else {
		for (i = 0; i < N_KEYS; i++)
			if (keys[i].sec == x->sec && !strcmp(keys[i].name, key))
				k = &keys[i];
		if (k && k->key != LIST && x->c->line[k->key]) {
			diag_error(x->d, x->file, x->line, "'%s' already set on line %d", key,
				   x->c->line[k->key]);
			return;
		}
		if (k) {
			rc = k->fn(x, v, (char *)x->c + k->off);
			if (k->key != LIST)
				x->c->line[k->key] = x->line;
		}
	}
	if (rc == -2)
		unknown_key(x, key);
	else if (rc < 0)
		diag_error(x->d, x->file, x->line, "%s: %s", key, x->msg);
}

static enum section section_by_name(const char *name, bool init_file)
{
	int s;

	for (s = SEC_JAIL; s <= SEC_INIT; s++)
		if (!strcmp(name, section_names[s]))
			return (s == SEC_INIT) == init_file ? (enum section)s : SEC_NONE;
	return SEC_NONE;
}

static int on_event(void *ctx, enum ini_event ev, int line, const char *key, const char *value,
		    bool init_file)
{
	struct pctx *x = ctx;

	x->line = line;
	if (ev == INI_ERROR) {
		diag_error(x->d, x->file, line, "%s", key);
	} else if (ev == INI_SECTION) {
		x->sec = section_by_name(key, init_file);
		x->bad_section = x->sec == SEC_NONE;
		if (x->sec == SEC_NONE)
			diag_error(x->d, x->file, line, "unknown section [%s]%s", key,
				   init_file ? " (the system file has [init])"
					     : " (jail, restart, mounts, cgroup, security, net)");
		else if (x->seen_section[x->sec])
			diag_warn(x->d, x->file, line, "section [%s] appears again", key);
		x->seen_section[x->sec] = true;
	} else if (x->sec == SEC_NONE) {
		/* Keys under an unknown section were reported with the section. */
		if (!x->bad_section)
			diag_error(x->d, x->file, line, "key '%s' before any [section]", key);
	} else if (init_file) {
		return 1;  /* handled by on_init_event */
	} else {
		jail_key(x, key, value);
	}
	return 0;
}

static int on_jail_event(void *ctx, enum ini_event ev, int line, const char *key,
			 const char *value)
{
	return on_event(ctx, ev, line, key, value, false);
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

static void finish_jail(struct pctx *x)
{
	struct jail_cfg *c = x->c;
	int i;
	bool has_path = false;

	if (!c->line[K_EXEC])
		diag_error(x->d, x->file, 0, "[jail] needs 'exec'");
	if ((c->interfaces || (c->namespaces & CLONE_NEWNET)) && !c->line[K_NET_MODE])
		c->net = NET_NONE;
	if (c->line[K_NET_MODE]) {
		if (c->net == NET_HOST && (c->namespaces & CLONE_NEWNET))
			diag_error(x->d, x->file, c->line[K_NET_MODE],
				   "mode: 'host' conflicts with the 'net' namespace");
	}
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

int config_parse(const char *file, const char *buf, size_t len, struct jail_cfg *c,
		 struct diag *d)
{
	struct pctx x = { .file = file, .c = c, .d = d };
	int before = d->errors;

	if (!c->file && !(c->file = strdup(file))) {
		diag_error(d, file, 0, "out of memory");
		return 1;
	}
	ini_parse(buf, len, on_jail_event, &x);
	x.d = d;
	finish_jail(&x);
	return d->errors - before;
}

/* Reads a whole file, at most INI_MAX_FILE bytes (one more shows excess). */
static char *slurp(const char *path, size_t *len, struct diag *d)
{
	char *buf = malloc(INI_MAX_FILE + 1);
	size_t n = 0;
	ssize_t r;
	int fd;

	if (!buf) {
		diag_error(d, path, 0, "out of memory");
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		diag_error(d, path, 0, "open: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	while (n <= INI_MAX_FILE && (r = read(fd, buf + n, INI_MAX_FILE + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_error(d, path, 0, "read: %s", strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

int config_load_file(const char *path, struct jail_cfg *c, struct diag *d)
{
	const char *base = strrchr(path, '/');
	char name[CFG_NAME_MAX + 8];
	size_t blen, len;
	char *buf;
	int before = d->errors;

	base = base ? base + 1 : path;
	blen = strlen(base);
	config_defaults(c, NULL);
	if (!(c->file = strdup(path))) {
		diag_error(d, path, 0, "out of memory");
		return 1;
	}
	if (blen < 5 || strcmp(base + blen - 4, ".ini") || blen - 4 > CFG_NAME_MAX) {
		diag_error(d, path, 0, "a jail file is named NAME.ini, NAME at most %d characters",
			   CFG_NAME_MAX);
		return d->errors - before;
	}
	snprintf(name, sizeof name, "%.*s", (int)(blen - 4), base);
	if (!config_valid_name(name)) {
		diag_error(d, path, 0, "jail name '%s' may hold only letters, digits, '-' and '_'",
			   name);
		return d->errors - before;
	}
	memcpy(c->name, name, blen - 4 + 1);
	if (!(buf = slurp(path, &len, d)))
		return d->errors - before;
	config_parse(path, buf, len, c, d);
	free(buf);
	return d->errors - before;
}

/* ---- the system file ---- */

/* bridge = NAME [ADDR/PREFIX...] */
static void init_bridge(struct pctx *x, const char *v, int line)
{
	struct init_cfg *ic = x->ic;
	const char *sp = strchr(v, ' ');
	size_t n = sp ? (size_t)(sp - v) : strlen(v);
	char *w[CFG_MAX_ADDRS + 2];
	int nw = 0, i, fam;

	if (!n || n > 15 || memchr(v, '/', n) || memchr(v, ':', n)) {
		BAD("'%.*s' is not an interface name (1 to 15 characters)", (int)n, v);
		return;
	}
	if (ic->nbridges >= CFG_MAX_BRIDGES) {
		BAD("more than %d bridges", CFG_MAX_BRIDGES);
		return;
	}
	if (config_split(v, w, CFG_MAX_ADDRS + 1, &nw, x->msg, sizeof x->msg) < 0)
		return;
	for (i = 1; i < nw; i++)
		if (ip_addr(w[i], true, &fam) < 0)
			BAD("'%s' is not an IPv4 or IPv6 ADDR/PREFIX", w[i]);
	for (i = 0; i < nw; i++)
		free(w[i]);
	if (x->msg[0])
		return;
	ic->bridges[ic->nbridges].name = strndup(v, n);
	ic->bridges[ic->nbridges].address = sp ? strdup(sp + 1) : NULL;
	ic->bridges[ic->nbridges++].line = line;
}

static int on_init_event(void *ctx, enum ini_event ev, int line, const char *key,
			 const char *value)
{
	struct pctx *x = ctx;
	struct init_cfg *ic = x->ic;
	size_t i;
	int n;

	if (on_event(ctx, ev, line, key, value, true) == 0)
		return 0;
	for (i = 0; i < N_INIT_KEYS && strcmp(key, init_keys[i]); i++)
		;
	if (i == N_INIT_KEYS) {
		unknown_key(x, key);
		return 0;
	}
	if (x->init_line[i] && i != 7) {
		diag_error(x->d, x->file, line, "'%s' already set on line %d", key,
			   x->init_line[i]);
		return 0;
	}
	x->init_line[i] = line;
	x->msg[0] = '\0';
	switch (i) {
	case 0:
		h_hostname(x, value, &ic->hostname);
		break;
	case 1:
		if (config_split(value, ic->modules, CFG_MAX_MODULES, &ic->nmodules, x->msg,
				 sizeof x->msg) == 0)
			for (n = 0; n < ic->nmodules; n++)
				if (strchr(ic->modules[n], '/') || strlen(ic->modules[n]) > 60)
					BAD("'%s' is not a module name", ic->modules[n]);
		break;
	case 2:
		h_abspath(x, value, &ic->watchdog);
		break;
	case 3:
		h_duration(x, value, &ic->watchdog_interval_ms);
		break;
	case 4:
		h_duration(x, value, &ic->shutdown_timeout_ms);
		break;
	case 5:
	case 6: {
		char **argv = i == 5 ? ic->emergency_shell : ic->console;

		if (config_split(value, argv, CFG_MAX_ARGS, &n, x->msg, sizeof x->msg) == 0 &&
		    (n == 0 || argv[0][0] != '/'))
			BAD("the command must start with an absolute path");
		break;
	}
	case 7:
		init_bridge(x, value, line);
		break;
	}
	if (x->msg[0])
		diag_error(x->d, x->file, line, "%s: %s", key, x->msg);
	return 0;
}

int config_parse_init(const char *file, const char *buf, size_t len, struct init_cfg *c,
		      struct diag *d)
{
	struct pctx x = { .file = file, .ic = c, .d = d };
	int before = d->errors;

	memset(c, 0, sizeof *c);
	c->shutdown_timeout_ms = 10000;
	c->watchdog_interval_ms = 10000;
	if (!(c->file = strdup(file))) {
		diag_error(d, file, 0, "out of memory");
		return 1;
	}
	ini_parse(buf, len, on_init_event, &x);
	if (c->watchdog_interval_ms == 0 && x.init_line[3])
		diag_error(d, file, x.init_line[3], "watchdog_interval: must be above 0");
	return d->errors - before;
}

/* ---- config dir and the `after` graph ---- */

/* Sorted names of DIR's *.ini files; at most max. */
static int list_ini(const char *dir, char **names, int max, struct diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!dp) {
		if (errno != ENOENT)
			diag_error(d, dir, 0, "opendir: %s", strerror(errno));
		return 0;
	}
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".ini") || de->d_name[0] == '.')
			continue;
		if (n >= max) {
			diag_error(d, dir, 0, "more than %d jail files", max);
			break;
		}
		if (!(names[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(dp);
	/* Insertion sort: a config dir holds tens of files, and qsort costs
	 * a kilobyte of binary. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	return n;
}

static int load_init(const char *dir, struct config_set *set, struct diag *d)
{
	char path[PATH_MAX];
	size_t len;
	char *buf;
	int n;

	snprintf(path, sizeof path, "%s/brig.ini", dir);
	if (access(path, F_OK) < 0) {
		memset(&set->init, 0, sizeof set->init);
		set->init.shutdown_timeout_ms = 10000;
		set->init.watchdog_interval_ms = 10000;
		return 0;
	}
	if (!(buf = slurp(path, &len, d)))
		return 1;
	n = config_parse_init(path, buf, len, &set->init, d);
	free(buf);
	return n;
}

int config_load_dir(const char *dir, struct config_set *set, struct diag *d)
{
	char path[PATH_MAX], jdir[PATH_MAX];
	bool broken[CFG_MAX_JAILS] = { false };
	char **names = calloc(CFG_MAX_JAILS, sizeof *names);
	int before = d->errors, n, i;

	memset(set, 0, sizeof *set);
	load_init(dir, set, d);
	if (!names) {
		diag_error(d, dir, 0, "out of memory");
		return d->errors - before;
	}
	snprintf(jdir, sizeof jdir, "%s/jails", dir);
	n = list_ini(jdir, names, CFG_MAX_JAILS, d);
	for (i = 0; i < n; i++) {
		struct jail_cfg *c = calloc(1, sizeof *c);

		int plen = snprintf(path, sizeof path, "%s/%s", jdir, names[i]);

		free(names[i]);
		if (!c || plen >= (int)sizeof path) {
			diag_error(d, jdir, 0, c ? "path too long" : "out of memory");
			free(c);
			continue;
		}
		/* A broken jail stays in the set until the graph is checked, so
		 * that its dependents are not told it does not exist. */
		broken[set->njails] = config_load_file(path, c, d) > 0;
		set->jails[set->njails++] = c;
	}
	free(names);
	config_check_graph(set, d);
	for (i = set->njails - 1; i >= 0; i--) {
		if (!broken[i])
			continue;
		memcpy(set->broken[set->nbroken++], set->jails[i]->name, CFG_NAME_MAX + 1);
		config_free(set->jails[i]);
		free(set->jails[i]);
		memmove(&set->jails[i], &set->jails[i + 1],
			(size_t)(set->njails - i - 1) * sizeof set->jails[0]);
		set->njails--;
	}
	return d->errors - before;
}

static int find_jail(const struct config_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->njails; i++)
		if (!strcmp(set->jails[i]->name, name))
			return i;
	return -1;
}

/* Depth-first search; color 1 = on the current path, 2 = done. The search
 * always runs to its end, so a node marked 1 is on the path; only the
 * first cycle is reported, at the `after` line of the jail that closes it. */
static void cycle_from(const struct config_set *set, int i, unsigned char *color, int *path,
		       int depth, bool *reported, struct diag *d)
{
	const struct jail_cfg *c = set->jails[i];
	int a, j, k;

	color[i] = 1;
	path[depth] = i;
	for (a = 0; a < c->nafter; a++) {
		j = find_jail(set, c->after[a]);
		if (j < 0 || color[j] == 2)
			continue;
		if (color[j] == 0) {
			cycle_from(set, j, color, path, depth + 1, reported, d);
			continue;
		}
		if (*reported)
			continue;
		char chain[512] = "";

		for (k = 0; k <= depth && path[k] != j; k++)
			;
		for (; k <= depth; k++) {
			size_t l = strlen(chain);

			snprintf(chain + l, sizeof chain - l, "%s -> ", set->jails[path[k]]->name);
		}
		snprintf(chain + strlen(chain), sizeof chain - strlen(chain), "%s",
			 set->jails[j]->name);
		diag_error(d, c->file, c->line[K_AFTER], "after: dependency cycle %s", chain);
		*reported = true;
	}
	color[i] = 2;
}

int config_check_graph(struct config_set *set, struct diag *d)
{
	unsigned char color[CFG_MAX_JAILS] = { 0 };
	int path[CFG_MAX_JAILS];
	int before = d->errors, i, a;
	bool reported = false;

	for (i = 0; i < set->njails; i++) {
		struct jail_cfg *c = set->jails[i];

		for (a = 0; a < c->nafter; a++)
			if (find_jail(set, c->after[a]) < 0)
				diag_error(d, c->file,
					   c->line[K_AFTER] ? c->line[K_AFTER] : c->line[K_NET_MODE],
					   "after: no jail named '%s'", c->after[a]);
		a = c->net == NET_JAIL ? find_jail(set, c->net_jail) : -1;
		if (a >= 0 && set->jails[a]->net != NET_NONE && set->jails[a]->net != NET_VETH)
			diag_error(d, c->file, c->line[K_NET_MODE],
				   "mode: jail '%s' has no network namespace of its own to share",
				   c->net_jail);
	}
	for (i = 0; i < set->njails; i++)
		if (!color[i])
			cycle_from(set, i, color, path, 0, &reported, d);
	return d->errors - before;
}

/* ---- free and compare ---- */

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
	for (i = 0; i < CFG_MAX_ARGS && c->console[i]; i++)
		free(c->console[i]);
	for (i = 0; i < c->nbridges; i++) {
		free(c->bridges[i].name);
		free(c->bridges[i].address);
	}
	free(c->file);
	free(c->hostname);
	free(c->watchdog);
	memset(c, 0, sizeof *c);
}

void config_free_set(struct config_set *set)
{
	int i;

	for (i = 0; i < set->njails; i++) {
		config_free(set->jails[i]);
		free(set->jails[i]);
	}
	config_free_init(&set->init);
	memset(set, 0, sizeof *set);
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool config_equal(const struct jail_cfg *a, const struct jail_cfg *b)
{
	int i;

#define SAME(f) (a->f == b->f)
	if (strcmp(a->name, b->name) || !SAME(argc) || !SAME(type) || !SAME(readonly_root) ||
	    !SAME(namespaces) || !SAME(ngroups) || !SAME(nenv) || !SAME(umask) || !SAME(nafter) ||
	    !SAME(ready) || !SAME(ready_fd) || !SAME(ready_timeout_ms) || !SAME(autostart) ||
	    !SAME(log) || !SAME(log_size) || !SAME(policy) || !SAME(delay_ms) ||
	    !SAME(max_delay_ms) || !SAME(reset_after_ms) || !SAME(interval_ms) || !SAME(burst) ||
	    !SAME(failure_action) || !SAME(stop_signal) || !SAME(stop_timeout_ms) ||
	    !SAME(nmounts) || !SAME(tmp_named) || !SAME(proc) || !SAME(dev) || !SAME(ncgroup) ||
	    !SAME(caps) || !SAME(no_new_privs) || !SAME(nrlimits) || !SAME(net))
		return false;
#undef SAME
	if (memcmp(&a->uid_map, &b->uid_map, sizeof a->uid_map) ||
	    memcmp(&a->gid_map, &b->gid_map, sizeof a->gid_map) ||
	    memcmp(&a->seccomp, &b->seccomp, sizeof a->seccomp) || !str_eq(a->root, b->root) ||
	    !str_eq(a->overlay, b->overlay) || !str_eq(a->hostname, b->hostname) ||
	    !str_eq(a->user, b->user) || !str_eq(a->workdir, b->workdir) ||
	    !str_eq(a->net_jail, b->net_jail) || !str_eq(a->bridge, b->bridge) ||
	    !str_eq(a->address, b->address) || !str_eq(a->gateway, b->gateway) ||
	    !str_eq(a->interfaces, b->interfaces))
		return false;
	for (i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]))
			return false;
	for (i = 0; i < a->nenv; i++)
		if (strcmp(a->env[i], b->env[i]))
			return false;
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i], b->groups[i]))
			return false;
	for (i = 0; i < a->nafter; i++)
		if (strcmp(a->after[i], b->after[i]))
			return false;
	for (i = 0; i < a->nmounts; i++) {
		const struct mount_ent *m = &a->mounts[i], *n = &b->mounts[i];

		if (m->kind != n->kind || m->flags != n->flags || !str_eq(m->src, n->src) ||
		    !str_eq(m->dst, n->dst) || !str_eq(m->data, n->data))
			return false;
	}
	for (i = 0; i < a->ncgroup; i++)
		if (strcmp(a->cgroup[i].key, b->cgroup[i].key) ||
		    strcmp(a->cgroup[i].value, b->cgroup[i].value))
			return false;
	for (i = 0; i < a->nrlimits; i++)
		if (a->rlimits[i].resource != b->rlimits[i].resource ||
		    a->rlimits[i].lim.rlim_cur != b->rlimits[i].lim.rlim_cur ||
		    a->rlimits[i].lim.rlim_max != b->rlimits[i].lim.rlim_max)
			return false;
	return true;
}
