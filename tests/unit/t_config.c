/* Runs in: the unit test process (any user; writes only under $TMPDIR).
 *
 * config.c is tested through tables. A row is a jail file's text and what
 * must come of it:
 *   line > 0   exactly one error (or nerr errors), one of them on that line
 *              with `want` somewhere in its message;
 *   line ANY   at least one error, on any line, `want` in one message;
 *   line 0     no error, and when `field` is set, that field of the parsed
 *              struct rendered as text (see render()) equals `want`.
 * Rows start from J, a two-line [jail] with an exec, so the first line a
 * row adds is line 3. The jail is always called "web" (file "web.ini"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cfgdir.h"
#include "config.h"
#include "fdio.h"

#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ANY (-1)
#define J "[jail]\nexec = /bin/true\n"
#define PATH_ENV "PATH=/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- diagnostics ---------------------------------------------------- */

struct note {
	char file[256];
	int line;
	bool warning;
	char msg[512];
};

struct notes {
	struct note n[64];
	int count;
};

static void collect(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	struct notes *ns = ctx;
	struct note *n;

	if (ns->count >= (int)(sizeof ns->n / sizeof ns->n[0]))
		return;
	n = &ns->n[ns->count++];
	snprintf(n->file, sizeof n->file, "%s", file ? file : "(null)");
	n->line = line;
	n->warning = warning;
	snprintf(n->msg, sizeof n->msg, "%s", msg ? msg : "(null)");
}

static int errors_in(const struct notes *ns)
{
	int k = 0;

	for (int i = 0; i < ns->count; i++)
		k += !ns->n[i].warning;
	return k;
}

/* An error at line (ANY: any line) whose message holds want. */
static const struct note *find_error(const struct notes *ns, int line, const char *want)
{
	for (int i = 0; i < ns->count; i++) {
		const struct note *n = &ns->n[i];

		if (!n->warning && (line == ANY || n->line == line) && strstr(n->msg, want))
			return n;
	}
	return NULL;
}

static void show_notes(const struct notes *ns)
{
	for (int i = 0; i < ns->count; i++)
		printf("#   got %s:%d: %s: %s\n", ns->n[i].file, ns->n[i].line,
		       ns->n[i].warning ? "warning" : "error", ns->n[i].msg);
	if (!ns->count)
		printf("#   got no diagnostic\n");
}

/* Parses text as jail "web" from file "web.ini". */
static int parse_jail(const char *text, struct jail_cfg *c, struct notes *ns)
{
	struct diag d = { .emit = collect, .ctx = ns };

	memset(ns, 0, sizeof *ns);
	config_defaults(c, "web");
	return config_parse("web.ini", text, strlen(text), c, &d);
}

/* ---- rendering parsed fields as text -------------------------------- */

static void cat(char *buf, size_t len, const char *sep, const char *s)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? sep : "", s ? s : "(null)");
}

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

static void render_flags(unsigned long f, char *buf, size_t len)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ MS_RDONLY, "ro" },	 { MS_NOSUID, "nosuid" }, { MS_NODEV, "nodev" },
		{ MS_NOEXEC, "noexec" }, { MS_REC, "rec" },
	};
	char tmp[128] = "";

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (f & names[i].flag) {
			cat(tmp, sizeof tmp, ",", names[i].name);
			f &= ~names[i].flag;
		}
	}
	if (f)
		cat(tmp, sizeof tmp, ",", "OTHER");
	snprintf(buf, len, "%s", *tmp ? tmp : "-");
}

/* "bind /srv /www ro @3": kind src dst flags [data] @line. */
static void render_mounts(const struct jail_cfg *c, char *buf, size_t len)
{
	static const char *kinds[] = { "bind", "tmpfs", "volume" };

	for (int i = 0; i < c->nmounts; i++) {
		const struct mount_ent *m = &c->mounts[i];
		char fl[128], one[512];

		render_flags(m->flags, fl, sizeof fl);
		snprintf(one, sizeof one, "%s %s %s %s%s%s @%d",
			 (unsigned)m->kind < 3 ? kinds[m->kind] : "?", m->src ? m->src : "-",
			 m->dst ? m->dst : "(null)", fl, m->data ? " " : "", m->data ? m->data : "",
			 m->line);
		cat(buf, len, "; ", one);
	}
}

static void render_ns(unsigned long ns, char *buf, size_t len)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ CLONE_NEWPID, "pid" },       { CLONE_NEWNS, "mount" }, { CLONE_NEWUTS, "uts" },
		{ CLONE_NEWIPC, "ipc" },       { CLONE_NEWNET, "net" },	 { CLONE_NEWUSER, "user" },
		{ CLONE_NEWCGROUP, "cgroup" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (ns & names[i].flag) {
			cat(buf, len, " ", names[i].name);
			ns &= ~names[i].flag;
		}
	}
	if (ns)
		cat(buf, len, " ", "OTHER");
}

static void render_caps(uint64_t caps, char *buf, size_t len)
{
	for (int i = 0; i < 64; i++) {
		if (caps & (1ULL << i)) {
			char *name = cap_to_name((cap_value_t)i);

			cat(buf, len, " ", name);
			cap_free(name);
		}
	}
}

static const char *rlimit_name(int r)
{
	switch (r) {
	case RLIMIT_NOFILE: return "nofile";
	case RLIMIT_NPROC: return "nproc";
	case RLIMIT_CORE: return "core";
	case RLIMIT_MEMLOCK: return "memlock";
	case RLIMIT_STACK: return "stack";
	case RLIMIT_AS: return "as";
	case RLIMIT_CPU: return "cpu";
	case RLIMIT_FSIZE: return "fsize";
	}
	return "?";
}

static void rl_val(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "inf");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* "nofile 64:128 @3" */
static void render_rlimits(const struct jail_cfg *c, char *buf, size_t len)
{
	for (int i = 0; i < c->nrlimits; i++) {
		const struct rlimit_ent *r = &c->rlimits[i];
		char s[32], h[32], one[128];

		rl_val(r->lim.rlim_cur, s, sizeof s);
		rl_val(r->lim.rlim_max, h, sizeof h);
		snprintf(one, sizeof one, "%s %s:%s @%d", rlimit_name(r->resource), s, h, r->line);
		cat(buf, len, "; ", one);
	}
}

static void render_list(char *const *v, int n, const char *sep, char *buf, size_t len)
{
	for (int i = 0; i < n; i++)
		cat(buf, len, sep, v[i]);
}

static int key_index(const char *name)
{
	static const char *keys[K_COUNT] = {
		[K_EXEC] = "exec",
		[K_TYPE] = "type",
		[K_ROOT] = "root",
		[K_READONLY_ROOT] = "readonly_root",
		[K_OVERLAY] = "overlay",
		[K_HOSTNAME] = "hostname",
		[K_NAMESPACES] = "namespaces",
		[K_USER] = "user",
		[K_GROUPS] = "groups",
		[K_WORKDIR] = "workdir",
		[K_UMASK] = "umask",
		[K_AFTER] = "after",
		[K_READY] = "ready",
		[K_READY_TIMEOUT] = "ready_timeout",
		[K_AUTOSTART] = "autostart",
		[K_LOG] = "log",
		[K_LOG_SIZE] = "log_size",
		[K_POLICY] = "policy",
		[K_DELAY] = "delay",
		[K_MAX_DELAY] = "max_delay",
		[K_RESET_AFTER] = "reset_after",
		[K_BURST] = "burst",
		[K_INTERVAL] = "interval",
		[K_FAILURE_ACTION] = "failure_action",
		[K_STOP_SIGNAL] = "stop_signal",
		[K_STOP_TIMEOUT] = "stop_timeout",
		[K_PROC] = "proc",
		[K_DEV] = "dev",
		[K_CAPABILITIES] = "capabilities",
		[K_NO_NEW_PRIVS] = "no_new_privs",
		[K_CONTROL] = "control",
		[K_UID_MAP] = "uid_map",
		[K_GID_MAP] = "gid_map",
		[K_NET_MODE] = "mode",
		[K_BRIDGE] = "bridge",
		[K_ADDRESS] = "address",
		[K_GATEWAY] = "gateway",
	};

	for (int k = 0; k < K_COUNT; k++)
		if (keys[k] && !strcmp(keys[k], name))
			return k;
	return -1;
}

static int render_enum(const char *field, const struct jail_cfg *c, char *buf, size_t len)
{
	static const char *types[] = { "service", "oneshot" };
	static const char *logs[] = { "buffer", "quiet" };
	static const char *policies[] = { "always", "on-failure", "never" };
	static const char *actions[] = { "none", "reboot", "poweroff" };
	static const char *devs[] = { "minimal", "none" };
	static const char *nets[] = { "host", "none", "jail", "veth" };

	if (!strcmp(field, "type"))
		snprintf(buf, len, "%s", (unsigned)c->type < 2 ? types[c->type] : "?");
	else if (!strcmp(field, "log"))
		snprintf(buf, len, "%s", (unsigned)c->log < 2 ? logs[c->log] : "?");
	else if (!strcmp(field, "policy"))
		snprintf(buf, len, "%s", (unsigned)c->policy < 3 ? policies[c->policy] : "?");
	else if (!strcmp(field, "failure_action"))
		snprintf(buf, len, "%s",
			 (unsigned)c->failure_action < 3 ? actions[c->failure_action] : "?");
	else if (!strcmp(field, "dev"))
		snprintf(buf, len, "%s", (unsigned)c->dev < 2 ? devs[c->dev] : "?");
	else if (!strcmp(field, "net"))
		snprintf(buf, len, "%s%s%s", (unsigned)c->net < 4 ? nets[c->net] : "?",
			 c->net == NET_JAIL ? ":" : "", c->net == NET_JAIL ? c->net_jail : "");
	else if (!strcmp(field, "ready") && c->ready == READY_FD)
		snprintf(buf, len, "fd:%d", c->ready_fd);
	else if (!strcmp(field, "ready"))
		snprintf(buf, len, "%s",
			 c->ready == READY_NOTIFY ? "notify"
			 : c->ready == READY_EXEC ? "exec"
						  : "?");
	else
		return -1;
	return 0;
}

/* Durations in ms, sizes in bytes, counts: all as decimal numbers. */
static int render_number(const char *field, const struct jail_cfg *c, char *buf, size_t len)
{
	static const struct {
		const char *name;
		size_t off;
	} nums[] = {
		{ "ready_timeout", offsetof(struct jail_cfg, ready_timeout_ms) },
		{ "log_size", offsetof(struct jail_cfg, log_size) },
		{ "delay", offsetof(struct jail_cfg, delay_ms) },
		{ "max_delay", offsetof(struct jail_cfg, max_delay_ms) },
		{ "reset_after", offsetof(struct jail_cfg, reset_after_ms) },
		{ "interval", offsetof(struct jail_cfg, interval_ms) },
		{ "stop_timeout", offsetof(struct jail_cfg, stop_timeout_ms) },
	};

	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		if (!strcmp(field, nums[i].name)) {
			uint64_t v;

			memcpy(&v, (const char *)c + nums[i].off, sizeof v);
			snprintf(buf, len, "%llu", (unsigned long long)v);
			return 0;
		}
	}
	if (!strcmp(field, "burst"))
		snprintf(buf, len, "%u", c->burst);
	else if (!strcmp(field, "stop_signal"))
		snprintf(buf, len, "%d", c->stop_signal);
	else if (!strcmp(field, "umask"))  /* brig's printf core (src/fmt.c) has no %o */
		snprintf(buf, len, "%u%u%u%u", (unsigned)c->umask >> 9 & 7,
			 (unsigned)c->umask >> 6 & 7, (unsigned)c->umask >> 3 & 7,
			 (unsigned)c->umask & 7);
	else
		return -1;
	return 0;
}

static int render_string(const char *field, const struct jail_cfg *c, char *buf, size_t len)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{ "root", offsetof(struct jail_cfg, root) },
		{ "overlay", offsetof(struct jail_cfg, overlay) },
		{ "hostname", offsetof(struct jail_cfg, hostname) },
		{ "user", offsetof(struct jail_cfg, user) },
		{ "workdir", offsetof(struct jail_cfg, workdir) },
		{ "bridge", offsetof(struct jail_cfg, bridge) },
		{ "address", offsetof(struct jail_cfg, address) },
		{ "gateway", offsetof(struct jail_cfg, gateway) },
	};

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		if (!strcmp(field, strs[i].name)) {
			const char *s;

			memcpy(&s, (const char *)c + strs[i].off, sizeof s);
			snprintf(buf, len, "%s", s ? s : "(null)");
			return 0;
		}
	}
	return -1;
}

/* Renders the named field of c into buf; "line:KEY" is c->line[K_KEY]. */
static void render(const char *field, const struct jail_cfg *c, char *buf, size_t len)
{
	buf[0] = '\0';
	if (render_enum(field, c, buf, len) == 0 || render_number(field, c, buf, len) == 0 ||
	    render_string(field, c, buf, len) == 0)
		return;
	if (!strncmp(field, "line:", 5)) {
		int k = key_index(field + 5);

		snprintf(buf, len, "%d", k < 0 ? -999 : c->line[k]);
	} else if (!strcmp(field, "argv")) {
		render_list(c->argv, c->argc, "|", buf, len);
		if (c->argv[c->argc])
			cat(buf, len, "|", "NOT-NULL-TERMINATED");
	} else if (!strcmp(field, "env")) {
		for (int i = 0; c->env[i] && i < CFG_MAX_ENV + 2; i++)
			cat(buf, len, "|", c->env[i]);
	} else if (!strcmp(field, "groups")) {
		render_list(c->groups, c->ngroups, " ", buf, len);
	} else if (!strcmp(field, "after")) {
		render_list(c->after, c->nafter, " ", buf, len);
	} else if (!strcmp(field, "ns")) {
		render_ns(c->namespaces, buf, len);
	} else if (!strcmp(field, "mounts")) {
		render_mounts(c, buf, len);
	} else if (!strcmp(field, "cgroup")) {
		for (int i = 0; i < c->ncgroup; i++) {
			char one[256];

			snprintf(one, sizeof one, "%s=%s", c->cgroup[i].key, c->cgroup[i].value);
			cat(buf, len, "; ", one);
		}
	} else if (!strcmp(field, "caps")) {
		render_caps(c->caps, buf, len);
	} else if (!strcmp(field, "rlimits")) {
		render_rlimits(c, buf, len);
	} else if (!strcmp(field, "uid_map") || !strcmp(field, "gid_map")) {
		const struct idmap *m = field[0] == 'u' ? &c->uid_map : &c->gid_map;

		snprintf(buf, len, "%u %u %u", m->inside, m->outside, m->count);
	} else if (!strcmp(field, "readonly_root")) {
		snprintf(buf, len, "%s", yesno(c->readonly_root));
	} else if (!strcmp(field, "autostart")) {
		snprintf(buf, len, "%s", yesno(c->autostart));
	} else if (!strcmp(field, "proc")) {
		snprintf(buf, len, "%s", yesno(c->proc));
	} else if (!strcmp(field, "no_new_privs")) {
		snprintf(buf, len, "%s", yesno(c->no_new_privs));
	} else if (!strcmp(field, "control")) {
		snprintf(buf, len, "%s", (unsigned)c->control < 3
						 ? (const char *[]){ "no", "status", "full" }[c->control]
						 : "?");
	} else if (!strcmp(field, "tmp_named")) {
		snprintf(buf, len, "%s", yesno(c->tmp_named));
	} else if (!strcmp(field, "name")) {
		snprintf(buf, len, "%s", c->name);
	} else {
		snprintf(buf, len, "UNKNOWN FIELD %s", field);
	}
}

/* ---- the table ------------------------------------------------------ */

struct row {
	const char *name;
	const char *text;
	int line;	   /* 0: valid; >0 error line; ANY */
	const char *want;  /* message fragment, or the rendered field */
	const char *field; /* valid rows: which field to compare */
	int nerr;	   /* error rows: expected count, 0 means 1 (ANY: at least 1) */
};

static const struct row rows[] = {
	/* defaults: a minimal file */
	{ "minimal file is valid", J, 0, NULL, NULL, 0 },
	{ "default argv", J, 0, "/bin/true", "argv", 0 },
	{ "exec line recorded", J, 0, "2", "line:exec", 0 },
	{ "default type", J, 0, "service", "type", 0 },
	{ "default root", J, 0, "(null)", "root", 0 },
	{ "default readonly_root", J, 0, "yes", "readonly_root", 0 },
	{ "default overlay", J, 0, "(null)", "overlay", 0 },
	{ "default hostname is the jail name", J, 0, "web", "hostname", 0 },
	{ "default namespaces", J, 0, "pid mount uts ipc cgroup", "ns", 0 },
	{ "default user", J, 0, "(null)", "user", 0 },
	{ "default groups", J, 0, "", "groups", 0 },
	{ "default workdir (NULL: the runtime uses /)", J, 0, "(null)", "workdir", 0 },
	{ "default env is PATH only", J, 0, PATH_ENV, "env", 0 },
	{ "default umask", J, 0, "0022", "umask", 0 },
	{ "default after", J, 0, "", "after", 0 },
	{ "default ready", J, 0, "exec", "ready", 0 },
	{ "default ready_timeout 30s", J, 0, "30000", "ready_timeout", 0 },
	{ "default autostart", J, 0, "yes", "autostart", 0 },
	{ "default log", J, 0, "buffer", "log", 0 },
	{ "default log_size 16K", J, 0, "16384", "log_size", 0 },
	{ "default policy", J, 0, "always", "policy", 0 },
	{ "default delay 100ms", J, 0, "100", "delay", 0 },
	{ "default max_delay 30s", J, 0, "30000", "max_delay", 0 },
	{ "default reset_after 10s", J, 0, "10000", "reset_after", 0 },
	{ "default burst 10", J, 0, "10", "burst", 0 },
	{ "default interval 60s", J, 0, "60000", "interval", 0 },
	{ "default failure_action", J, 0, "none", "failure_action", 0 },
	{ "default stop_signal TERM", J, 0, "15", "stop_signal", 0 },
	{ "default stop_timeout 5s", J, 0, "5000", "stop_timeout", 0 },
	{ "default mounts: none listed", J, 0, "", "mounts", 0 },
	{ "default tmp_named", J, 0, "no", "tmp_named", 0 },
	{ "default proc", J, 0, "yes", "proc", 0 },
	{ "default dev", J, 0, "minimal", "dev", 0 },
	{ "default cgroup keys", J, 0, "", "cgroup", 0 },
	{ "default caps none", J, 0, "", "caps", 0 },
	{ "default no_new_privs", J, 0, "yes", "no_new_privs", 0 },
	{ "default control no", J, 0, "no", "control", 0 },
	{ "default rlimits", J, 0, "", "rlimits", 0 },
	{ "default uid_map", J, 0, "0 100000 65536", "uid_map", 0 },
	{ "default gid_map", J, 0, "0 100000 65536", "gid_map", 0 },
	{ "default net without net ns", J, 0, "host", "net", 0 },
	{ "default line of an unset key", J, 0, "0", "line:hostname", 0 },

	/* INI-level problems come through with their lines */
	{ "line neither key nor section", J "garbage\n", 3, "", NULL, 0 },
	{ "missing ']'", J "[restart\n", 3, "]", NULL, 0 },
	{ "key before any section", "exec = /bin/true\n[jail]\nexec = /bin/true\n", 1, "", NULL,
	  0 },
	{ "CRLF file", "[jail]\r\nexec = /bin/true\r\nhostname = h\r\n", 0, "h", "hostname", 0 },
	{ "comments and blanks", "# web\n\n[jail]\n; x\nexec = /bin/true\n", 0, "5", "line:exec",
	  0 },

	/* sections and keys */
	{ "unknown section", J "[bogus]\n", 3, "bogus", NULL, 0 },
	{ "[init] in a jail file", J "[init]\n", 3, "init", NULL, 0 },
	{ "keys under an unknown section are not reported again", J "[bogus]\na = 1\nb = 2\n", 3,
	  "bogus", NULL, 0 },
	{ "unknown key", J "frobnicate = 1\n", 3, "frobnicate", NULL, 0 },
	{ "unknown key suggests hostname", J "hostnme = x\n", 3, "did you mean 'hostname'", NULL,
	  0 },
	{ "unknown key suggests readonly_root", J "read_only_root = no\n", 3,
	  "did you mean 'readonly_root'", NULL, 0 },
	{ "unknown key suggests memory.max", J "[cgroup]\nmemory.mx = 1M\n", 4,
	  "did you mean 'memory.max'", NULL, 0 },
	{ "unknown key suggests memory.max (memory.maxx)", J "[cgroup]\nmemory.maxx = 1M\n", 4,
	  "did you mean 'memory.max'", NULL, 0 },
	{ "unknown key suggests stop_timeout", J "[restart]\nstop_timout = 1s\n", 4,
	  "did you mean 'stop_timeout'", NULL, 0 },
	{ "unknown key suggests capabilities", J "[security]\ncapabilites = cap_chown\n", 4,
	  "did you mean 'capabilities'", NULL, 0 },
	{ "unknown key suggests rlimit.nofile", J "[security]\nrlimit.nofle = 10\n", 4,
	  "did you mean 'rlimit.nofile'", NULL, 0 },
	{ "no suggestion for a far-off key", J "zzzzzzzzzzzz = 1\n", 3, "zzzzzzzzzzzz", NULL, 0 },
	{ "key of another section", J "memory.max = 16M\n", 3, "memory.max", NULL, 0 },
	{ "repeated single-value key: error on the second", J "hostname = a\nhostname = b\n", 4,
	  "hostname", NULL, 0 },
	{ "repeated exec", J "exec = /bin/false\n", 3, "exec", NULL, 0 },
	{ "repeated key in a repeated section", J "[restart]\ndelay = 1s\n[restart]\ndelay = 2s\n",
	  6, "delay", NULL, 0 },
	{ "repeated section, distinct keys", J "[restart]\ndelay = 1s\n[restart]\nburst = 3\n", 0,
	  "3", "burst", 0 },
	{ "repeated cgroup key", J "[cgroup]\nmemory.max = 1M\nmemory.max = 2M\n", 5, "memory.max",
	  NULL, 0 },
	{ "repeated rlimit key", J "[security]\nrlimit.nofile = 1\nrlimit.nofile = 2\n", 5,
	  "rlimit.nofile", NULL, 0 },

	/* exec */
	{ "exec plain words", "[jail]\nexec = /bin/echo a  b\tc\n", 0, "/bin/echo|a|b|c", "argv",
	  0 },
	{ "exec single quotes", "[jail]\nexec = /bin/sh -c 'echo hi  there'\n", 0,
	  "/bin/sh|-c|echo hi  there", "argv", 0 },
	{ "exec double quotes", "[jail]\nexec = \"/bin/my prog\" \"a b\" c\n", 0,
	  "/bin/my prog|a b|c", "argv", 0 },
	{ "exec backslash escapes a space", "[jail]\nexec = /bin/echo a\\ b\n", 0, "/bin/echo|a b",
	  "argv", 0 },
	{ "exec backslash in double quotes", "[jail]\nexec = /bin/echo \"a\\\"b\" \"c\\\\d\"\n", 0,
	  "/bin/echo|a\"b|c\\d", "argv", 0 },
	{ "exec backslash literal in single quotes", "[jail]\nexec = /bin/echo 'a\\b'\n", 0,
	  "/bin/echo|a\\b", "argv", 0 },
	{ "exec quote concatenation", "[jail]\nexec = /bin/echo a\"b c\"d 'it'\\''s'\n", 0,
	  "/bin/echo|ab cd|it's", "argv", 0 },
	{ "exec empty quoted word kept", "[jail]\nexec = /bin/echo '' \"\" x\n", 0, "/bin/echo|||x",
	  "argv", 0 },
	{ "exec no variables or globs", "[jail]\nexec = /bin/echo $HOME * ~ `x` a;b\n", 0,
	  "/bin/echo|$HOME|*|~|`x`|a;b", "argv", 0 },
	{ "exec double quote inside single", "[jail]\nexec = /bin/echo 'say \"hi\"'\n", 0,
	  "/bin/echo|say \"hi\"", "argv", 0 },
	{ "exec unterminated single quote", "[jail]\nexec = /bin/echo 'abc\n", 2, "quote", NULL,
	  0 },
	{ "exec unterminated double quote", "[jail]\nexec = /bin/echo \"abc\n", 2, "quote", NULL,
	  0 },
	/* as sh does at the end of input: the lone backslash stays */
	{ "exec trailing backslash kept", "[jail]\nexec = /bin/echo abc\\\n", 0, "/bin/echo|abc\\",
	  "argv", 0 },
	{ "exec first word relative", "[jail]\nexec = sh -c true\n", 2, "absolute", NULL, 0 },
	{ "exec first word quoted relative", "[jail]\nexec = 'bin/sh'\n", 2, "absolute", NULL, 0 },
	{ "exec empty", "[jail]\nexec =\n", 2, "exec", NULL, 0 },
	{ "exec only spaces of quotes", "[jail]\nexec = ''\n", 2, "", NULL, 0 },
	{ "missing exec", "[jail]\ntype = oneshot\n", ANY, "exec", NULL, 0 },
	{ "missing exec, empty file", "", ANY, "exec", NULL, 0 },

	/* type, root, readonly_root, overlay, hostname */
	{ "type oneshot", J "type = oneshot\n", 0, "oneshot", "type", 0 },
	{ "type service", J "type = service\n", 0, "service", "type", 0 },
	{ "type bad", J "type = daemon\n", 3, "daemon", NULL, 0 },
	{ "root absolute", J "root = /srv/rootfs\n", 0, "/srv/rootfs", "root", 0 },
	{ "root relative", J "root = srv/rootfs\n", 3, "root", NULL, 0 },
	{ "readonly_root no", J "readonly_root = no\n", 0, "no", "readonly_root", 0 },
	{ "readonly_root bad bool", J "readonly_root = maybe\n", 3, "maybe", NULL, 0 },
	{ "overlay tmpfs", J "overlay = tmpfs\n", 0, "tmpfs", "overlay", 0 },
	{ "overlay directory", J "overlay = /var/lib/web\n", 0, "/var/lib/web", "overlay", 0 },
	{ "overlay relative", J "overlay = var/lib/web\n", 3, "overlay", NULL, 0 },
	{ "hostname set", J "hostname = web-1\n", 0, "web-1", "hostname", 0 },
	{ "hostname line", J "hostname = web-1\n", 0, "3", "line:hostname", 0 },
	{ "hostname longer than 64",
	  J "hostname = "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  3, "hostname", NULL, 0 },
	{ "hostname empty", J "hostname =\n", 3, "hostname", NULL, 0 },

	/* namespaces */
	{ "namespaces all", J "namespaces = pid mount uts ipc net user cgroup\n", 0,
	  "pid mount uts ipc net user cgroup", "ns", 0 },
	{ "namespaces minimal", J "namespaces = pid mount\n", 0, "pid mount", "ns", 0 },
	{ "namespaces any order, extra spaces", J "namespaces =  net   mount pid\n", 0,
	  "pid mount net", "ns", 0 },
	{ "namespaces without pid", J "namespaces = mount uts\n", 3, "pid", NULL, 0 },
	{ "namespaces without mount", J "namespaces = pid uts\n", 3, "mount", NULL, 0 },
	{ "namespaces unknown name", J "namespaces = pid mount time\n", 3, "time", NULL, 0 },
	{ "namespaces net gives net none", J "namespaces = pid mount net\n", 0, "none", "net", 0 },

	/* user, groups, workdir, env, umask */
	{ "user uid", J "user = 1000\n", 0, "1000", "user", 0 },
	{ "user uid:gid", J "user = 1000:100\n", 0, "1000:100", "user", 0 },
	{ "user name", J "user = www-data\n", 0, "www-data", "user", 0 },
	{ "user bad gid", J "user = 1000:\n", 3, "user", NULL, 0 },
	{ "groups", J "groups = 10 wheel 20\n", 0, "10 wheel 20", "groups", 0 },
	{ "workdir", J "workdir = /srv\n", 0, "/srv", "workdir", 0 },
	{ "workdir relative", J "workdir = srv\n", 3, "workdir", NULL, 0 },
	{ "env one", J "env = FOO=bar\n", 0, "FOO=bar|" PATH_ENV, "env", 0 },
	{ "env repeats as a list", J "env = A=1\nenv = B=x=y\nenv = C=\n", 0,
	  "A=1|B=x=y|C=|" PATH_ENV, "env", 0 },
	{ "env value with spaces", J "env = MSG=hello world\n", 0, "MSG=hello world|" PATH_ENV,
	  "env", 0 },
	{ "env PATH replaces the default", J "env = PATH=/bin\n", 0, "PATH=/bin", "env", 0 },
	{ "env without '='", J "env = FOO\n", 3, "FOO", NULL, 0 },
	{ "env empty name", J "env = =bar\n", 3, "env", NULL, 0 },
	{ "env repeated name", J "env = A=1\nenv = A=2\n", 4, "A", NULL, 0 },
	{ "umask 077", J "umask = 077\n", 0, "0077", "umask", 0 },
	{ "umask 0027", J "umask = 0027\n", 0, "0027", "umask", 0 },
	{ "umask 0", J "umask = 0\n", 0, "0000", "umask", 0 },
	{ "umask not octal", J "umask = 089\n", 3, "umask", NULL, 0 },
	{ "umask word", J "umask = abc\n", 3, "umask", NULL, 0 },
	{ "umask too large", J "umask = 01777\n", 3, "umask", NULL, 0 },
	{ "umask empty", J "umask =\n", 3, "umask", NULL, 0 },

	/* after, ready, ready_timeout, autostart, log, log_size */
	{ "after names", J "after = setup net-up\n", 0, "setup net-up", "after", 0 },
	{ "after bad name", J "after = ../etc\n", 3, "../etc", NULL, 0 },
	{ "after itself", J "after = web\n", ANY, "web", NULL, 0 },
	{ "ready notify", J "ready = notify\n", 0, "notify", "ready", 0 },
	{ "ready exec", J "ready = exec\n", 0, "exec", "ready", 0 },
	{ "ready fd:3", J "ready = fd:3\n", 0, "fd:3", "ready", 0 },
	{ "ready fd: without number", J "ready = fd:\n", 3, "ready", NULL, 0 },
	{ "ready fd:x", J "ready = fd:x\n", 3, "ready", NULL, 0 },
	{ "ready fd negative", J "ready = fd:-1\n", 3, "ready", NULL, 0 },
	{ "ready bad", J "ready = soon\n", 3, "soon", NULL, 0 },
	{ "ready notify on a oneshot", J "type = oneshot\nready = notify\n", 4, "ready", NULL, 0 },
	{ "ready_timeout 250ms", J "ready_timeout = 250ms\n", 0, "250", "ready_timeout", 0 },
	{ "ready_timeout 5s", J "ready_timeout = 5s\n", 0, "5000", "ready_timeout", 0 },
	{ "ready_timeout 2m", J "ready_timeout = 2m\n", 0, "120000", "ready_timeout", 0 },
	{ "ready_timeout 1h", J "ready_timeout = 1h\n", 0, "3600000", "ready_timeout", 0 },
	{ "ready_timeout bare seconds", J "ready_timeout = 7\n", 0, "7000", "ready_timeout", 0 },
	{ "ready_timeout 0", J "ready_timeout = 0\n", 0, "0", "ready_timeout", 0 },
	{ "bad duration unit", J "ready_timeout = 5x\n", 3, "5x", NULL, 0 },
	{ "bad duration negative", J "ready_timeout = -5s\n", 3, "-5s", NULL, 0 },
	{ "bad duration unit only", J "ready_timeout = ms\n", 3, "ready_timeout", NULL, 0 },
	{ "bad duration empty", J "ready_timeout =\n", 3, "ready_timeout", NULL, 0 },
	{ "bad duration space inside", J "ready_timeout = 5 s\n", 3, "ready_timeout", NULL, 0 },
	{ "bad duration overflow", J "ready_timeout = 99999999999999999999h\n", 3, "ready_timeout",
	  NULL, 0 },
	{ "bad duration fraction", J "ready_timeout = 1.5s\n", 3, "ready_timeout", NULL, 0 },
	{ "autostart yes", J "autostart = yes\n", 0, "yes", "autostart", 0 },
	{ "autostart no", J "autostart = no\n", 0, "no", "autostart", 0 },
	{ "bool true", J "autostart = true\n", 0, "yes", "autostart", 0 },
	{ "bool false", J "autostart = false\n", 0, "no", "autostart", 0 },
	{ "bool on", J "autostart = on\n", 0, "yes", "autostart", 0 },
	{ "bool off", J "autostart = off\n", 0, "no", "autostart", 0 },
	{ "bool 1", J "autostart = 1\n", 0, "yes", "autostart", 0 },
	{ "bool 0", J "autostart = 0\n", 0, "no", "autostart", 0 },
	{ "bad bool", J "autostart = yess\n", 3, "yess", NULL, 0 },
	{ "bad bool 2", J "autostart = 2\n", 3, "autostart", NULL, 0 },
	{ "bad bool empty", J "autostart =\n", 3, "autostart", NULL, 0 },
	{ "log quiet", J "log = quiet\n", 0, "quiet", "log", 0 },
	{ "log buffer", J "log = buffer\n", 0, "buffer", "log", 0 },
	{ "log bad", J "log = syslog\n", 3, "syslog", NULL, 0 },
	{ "log_size 64K", J "log_size = 64K\n", 0, "65536", "log_size", 0 },
	{ "log_size 1M", J "log_size = 1M\n", 0, "1048576", "log_size", 0 },
	{ "log_size bytes", J "log_size = 4096\n", 0, "4096", "log_size", 0 },
	{ "bad size suffix", J "log_size = 16Q\n", 3, "16Q", NULL, 0 },
	{ "bad size max where not allowed", J "log_size = max\n", 3, "log_size", NULL, 0 },
	{ "bad size empty", J "log_size =\n", 3, "log_size", NULL, 0 },
	{ "bad size negative", J "log_size = -1K\n", 3, "log_size", NULL, 0 },
	{ "bad size overflow", J "log_size = 99999999999999999G\n", 3, "log_size", NULL, 0 },

	/* [restart] */
	{ "policy on-failure", J "[restart]\npolicy = on-failure\n", 0, "on-failure", "policy", 0 },
	{ "policy never", J "[restart]\npolicy = never\n", 0, "never", "policy", 0 },
	{ "policy always", J "[restart]\npolicy = always\n", 0, "always", "policy", 0 },
	{ "policy bad", J "[restart]\npolicy = sometimes\n", 4, "sometimes", NULL, 0 },
	{ "delay", J "[restart]\ndelay = 500ms\n", 0, "500", "delay", 0 },
	{ "max_delay", J "[restart]\nmax_delay = 1m\n", 0, "60000", "max_delay", 0 },
	{ "reset_after", J "[restart]\nreset_after = 30s\n", 0, "30000", "reset_after", 0 },
	{ "interval", J "[restart]\ninterval = 2m\n", 0, "120000", "interval", 0 },
	{ "max_delay below delay", J "[restart]\ndelay = 10s\nmax_delay = 1s\n", 5, "max_delay",
	  NULL, 0 },
	{ "delay bad", J "[restart]\ndelay = soon\n", 4, "delay", NULL, 0 },
	{ "max_delay bad", J "[restart]\nmax_delay = 1d\n", 4, "max_delay", NULL, 0 },
	{ "reset_after bad", J "[restart]\nreset_after = x\n", 4, "reset_after", NULL, 0 },
	{ "interval bad", J "[restart]\ninterval = 1 m\n", 4, "interval", NULL, 0 },
	{ "burst", J "[restart]\nburst = 3\n", 0, "3", "burst", 0 },
	{ "burst bad", J "[restart]\nburst = many\n", 4, "burst", NULL, 0 },
	{ "burst negative", J "[restart]\nburst = -1\n", 4, "burst", NULL, 0 },
	{ "failure_action reboot", J "[restart]\nfailure_action = reboot\n", 0, "reboot",
	  "failure_action", 0 },
	{ "failure_action poweroff", J "[restart]\nfailure_action = poweroff\n", 0, "poweroff",
	  "failure_action", 0 },
	{ "failure_action none", J "[restart]\nfailure_action = none\n", 0, "none",
	  "failure_action", 0 },
	{ "failure_action bad", J "[restart]\nfailure_action = explode\n", 4, "explode", NULL, 0 },
	{ "stop_signal INT", J "[restart]\nstop_signal = INT\n", 0, "2", "stop_signal", 0 },
	{ "stop_signal SIGQUIT", J "[restart]\nstop_signal = SIGQUIT\n", 0, "3", "stop_signal", 0 },
	{ "stop_signal number", J "[restart]\nstop_signal = 10\n", 0, "10", "stop_signal", 0 },
	{ "stop_signal HUP", J "[restart]\nstop_signal = HUP\n", 0, "1", "stop_signal", 0 },
	{ "stop_signal KILL", J "[restart]\nstop_signal = KILL\n", 0, "9", "stop_signal", 0 },
	{ "unknown signal", J "[restart]\nstop_signal = SIGFOO\n", 4, "SIGFOO", NULL, 0 },
	{ "signal number out of range", J "[restart]\nstop_signal = 99\n", 4, "stop_signal", NULL,
	  0 },
	{ "signal zero", J "[restart]\nstop_signal = 0\n", 4, "stop_signal", NULL, 0 },
	{ "stop_timeout", J "[restart]\nstop_timeout = 20s\n", 0, "20000", "stop_timeout", 0 },
	{ "stop_timeout bad", J "[restart]\nstop_timeout = forever\n", 4, "stop_timeout", NULL, 0 },

	/* [mounts] bind */
	{ "bind default ro", J "[mounts]\nbind = /srv/www:/www\n", 0, "bind /srv/www /www ro @4",
	  "mounts", 0 },
	{ "bind ro", J "[mounts]\nbind = /a:/b:ro\n", 0, "bind /a /b ro @4", "mounts", 0 },
	{ "bind rw", J "[mounts]\nbind = /a:/b:rw\n", 0, "bind /a /b - @4", "mounts", 0 },
	{ "bind nosuid", J "[mounts]\nbind = /a:/b:nosuid\n", 0, "bind /a /b ro,nosuid @4",
	  "mounts", 0 },
	{ "bind nodev", J "[mounts]\nbind = /a:/b:nodev\n", 0, "bind /a /b ro,nodev @4", "mounts",
	  0 },
	{ "bind noexec", J "[mounts]\nbind = /a:/b:noexec\n", 0, "bind /a /b ro,noexec @4",
	  "mounts", 0 },
	{ "bind rec", J "[mounts]\nbind = /a:/b:rec\n", 0, "bind /a /b ro,rec @4", "mounts", 0 },
	{ "bind all options", J "[mounts]\nbind = /a:/b:rw,nosuid,nodev,noexec,rec\n", 0,
	  "bind /a /b nosuid,nodev,noexec,rec @4", "mounts", 0 },
	{ "bind list keeps order and lines", J "[mounts]\nbind = /a:/x\nbind = /b:/y:rw\n", 0,
	  "bind /a /x ro @4; bind /b /y - @5", "mounts", 0 },
	{ "bind bad option", J "[mounts]\nbind = /a:/b:ro,sync\n", 4, "sync", NULL, 0 },
	{ "bind empty option", J "[mounts]\nbind = /a:/b:\n", 4, "bind", NULL, 0 },
	{ "bind relative source", J "[mounts]\nbind = srv:/b\n", 4, "absolute", NULL, 0 },
	{ "bind relative target", J "[mounts]\nbind = /srv:b\n", 4, "absolute", NULL, 0 },
	{ "bind without target", J "[mounts]\nbind = /srv\n", 4, "bind", NULL, 0 },
	{ "bind empty", J "[mounts]\nbind =\n", 4, "bind", NULL, 0 },
	{ "bind target with ..", J "[mounts]\nbind = /srv:/www/../../etc\n", 4, "..", NULL, 0 },
	{ "bind target /tmp names /tmp", J "[mounts]\nbind = /a:/tmp:rw\n", 0, "yes", "tmp_named",
	  0 },

	/* [mounts] tmpfs, volume, proc, dev */
	{ "tmpfs plain", J "[mounts]\ntmpfs = /run\n", 0, "tmpfs - /run - @4", "mounts", 0 },
	{ "tmpfs size", J "[mounts]\ntmpfs = /run:size=16M\n", 0, "tmpfs - /run - size=16777216 @4",
	  "mounts", 0 },
	{ "tmpfs size and mode", J "[mounts]\ntmpfs = /run:size=64K,mode=0755\n", 0,
	  "tmpfs - /run - size=65536,mode=0755 @4", "mounts", 0 },
	{ "tmpfs flags", J "[mounts]\ntmpfs = /run:nosuid,nodev,noexec\n", 0,
	  "tmpfs - /run nosuid,nodev,noexec @4", "mounts", 0 },
	{ "tmpfs /tmp sets tmp_named", J "[mounts]\ntmpfs = /tmp:size=1M\n", 0, "yes", "tmp_named",
	  0 },
	{ "tmpfs bad size", J "[mounts]\ntmpfs = /run:size=lots\n", 4, "size", NULL, 0 },
	{ "tmpfs bad mode", J "[mounts]\ntmpfs = /run:mode=999\n", 4, "mode", NULL, 0 },
	{ "tmpfs bad option", J "[mounts]\ntmpfs = /run:ro\n", 4, "ro", NULL, 0 },
	{ "tmpfs relative", J "[mounts]\ntmpfs = run\n", 4, "absolute", NULL, 0 },
	{ "tmpfs option given twice", J "[mounts]\ntmpfs = /run:mode=0755,mode=0700\n", 4, "mode",
	  NULL, 0 },
	{ "tmpfs injected option", J "[mounts]\ntmpfs = /run:size=1M,uid=0\n", 4, "uid", NULL, 0 },
	{ "volume", J "[mounts]\nvolume = data:/var/lib/web\n", 0, "volume data /var/lib/web - @4",
	  "mounts", 0 },
	{ "volume without target", J "[mounts]\nvolume = data\n", 4, "volume", NULL, 0 },
	{ "volume name with slash", J "[mounts]\nvolume = a/b:/data\n", 4, "a/b", NULL, 0 },
	{ "volume name ..", J "[mounts]\nvolume = ..:/data\n", 4, "..", NULL, 0 },
	{ "volume relative target", J "[mounts]\nvolume = data:data\n", 4, "absolute", NULL, 0 },
	{ "same target twice", J "[mounts]\nbind = /a:/x\ntmpfs = /x\n", 5, "/x", NULL, 0 },
	{ "same target, trailing slash", J "[mounts]\nbind = /a:/x\ntmpfs = /x/\n", 5, "/x", NULL,
	  0 },
	{ "volume name of 33 characters",
	  J "[mounts]\nvolume = abcdefghijklmnopqrstuvwxyz0123456:/d\n", 4, "volume", NULL, 0 },
	{ "mixed mounts in order", J "[mounts]\ntmpfs = /run\nbind = /a:/b\nvolume = v:/v\n", 0,
	  "tmpfs - /run - @4; bind /a /b ro @5; volume v /v - @6", "mounts", 0 },
	{ "proc no", J "[mounts]\nproc = no\n", 0, "no", "proc", 0 },
	{ "proc bad", J "[mounts]\nproc = sometimes\n", 4, "proc", NULL, 0 },
	{ "dev none", J "[mounts]\ndev = none\n", 0, "none", "dev", 0 },
	{ "dev minimal", J "[mounts]\ndev = minimal\n", 0, "minimal", "dev", 0 },
	{ "dev bad", J "[mounts]\ndev = full\n", 4, "full", NULL, 0 },

	/* [cgroup] */
	{ "memory.max 16M", J "[cgroup]\nmemory.max = 16M\n", 0, "memory.max=16777216", "cgroup",
	  0 },
	{ "memory.max max", J "[cgroup]\nmemory.max = max\n", 0, "memory.max=max", "cgroup", 0 },
	{ "memory.max 1G", J "[cgroup]\nmemory.max = 1G\n", 0, "memory.max=1073741824", "cgroup",
	  0 },
	{ "memory.max bytes", J "[cgroup]\nmemory.max = 4096\n", 0, "memory.max=4096", "cgroup",
	  0 },
	{ "memory.max bad size", J "[cgroup]\nmemory.max = 16MB\n", 4, "memory.max", NULL, 0 },
	{ "memory.max word", J "[cgroup]\nmemory.max = lots\n", 4, "lots", NULL, 0 },
	{ "memory.high", J "[cgroup]\nmemory.high = 8M\n", 0, "memory.high=8388608", "cgroup", 0 },
	{ "memory.swap.max 0", J "[cgroup]\nmemory.swap.max = 0\n", 0, "memory.swap.max=0",
	  "cgroup", 0 },
	{ "memory.swap.max bad", J "[cgroup]\nmemory.swap.max = none\n", 4, "memory.swap.max", NULL,
	  0 },
	{ "pids.max", J "[cgroup]\npids.max = 64\n", 0, "pids.max=64", "cgroup", 0 },
	{ "pids.max max", J "[cgroup]\npids.max = max\n", 0, "pids.max=max", "cgroup", 0 },
	{ "pids.max bad", J "[cgroup]\npids.max = -1\n", 4, "pids.max", NULL, 0 },
	{ "pids.max word", J "[cgroup]\npids.max = few\n", 4, "pids.max", NULL, 0 },
	{ "cpu.max 50%", J "[cgroup]\ncpu.max = 50%\n", 0, "cpu.max=50000 100000", "cgroup", 0 },
	{ "cpu.max 20%", J "[cgroup]\ncpu.max = 20%\n", 0, "cpu.max=20000 100000", "cgroup", 0 },
	{ "cpu.max 100%", J "[cgroup]\ncpu.max = 100%\n", 0, "cpu.max=100000 100000", "cgroup", 0 },
	{ "cpu.max 250% (several CPUs)", J "[cgroup]\ncpu.max = 250%\n", 0, "cpu.max=250000 100000",
	  "cgroup", 0 },
	{ "cpu.max quota period", J "[cgroup]\ncpu.max = 20000 100000\n", 0, "cpu.max=20000 100000",
	  "cgroup", 0 },
	{ "cpu.max max", J "[cgroup]\ncpu.max = max\n", 0, "cpu.max=max", "cgroup", 0 },
	{ "cpu.max max period", J "[cgroup]\ncpu.max = max 50000\n", 0, "cpu.max=max 50000",
	  "cgroup", 0 },
	{ "cpu.max bad percent", J "[cgroup]\ncpu.max = abc%\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.max 0%", J "[cgroup]\ncpu.max = 0%\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.max fraction percent", J "[cgroup]\ncpu.max = 12.5%\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.max bad period", J "[cgroup]\ncpu.max = 20000 abc\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.max three words", J "[cgroup]\ncpu.max = 1 2 3\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.max word", J "[cgroup]\ncpu.max = half\n", 4, "cpu.max", NULL, 0 },
	{ "cpu.weight", J "[cgroup]\ncpu.weight = 100\n", 0, "cpu.weight=100", "cgroup", 0 },
	{ "cpu.weight 0", J "[cgroup]\ncpu.weight = 0\n", 4, "cpu.weight", NULL, 0 },
	{ "cpu.weight 10001", J "[cgroup]\ncpu.weight = 10001\n", 4, "cpu.weight", NULL, 0 },
	{ "cpu.weight word", J "[cgroup]\ncpu.weight = high\n", 4, "cpu.weight", NULL, 0 },
	{ "cpuset.cpus range", J "[cgroup]\ncpuset.cpus = 0-1\n", 0, "cpuset.cpus=0-1", "cgroup",
	  0 },
	{ "cpuset.cpus list", J "[cgroup]\ncpuset.cpus = 0,2-3\n", 0, "cpuset.cpus=0,2-3", "cgroup",
	  0 },
	{ "cpuset.cpus bad", J "[cgroup]\ncpuset.cpus = a-b\n", 4, "cpuset.cpus", NULL, 0 },
	{ "cpuset.mems", J "[cgroup]\ncpuset.mems = 0\n", 0, "cpuset.mems=0", "cgroup", 0 },
	{ "io.max passthrough", J "[cgroup]\nio.max = 8:0 rbps=1048576 wiops=120\n", 0,
	  "io.max=8:0 rbps=1048576 wiops=120", "cgroup", 0 },
	{ "io.max without device", J "[cgroup]\nio.max = rbps=1\n", 4, "io.max", NULL, 0 },
	{ "io.weight", J "[cgroup]\nio.weight = 100\n", 0, "io.weight=100", "cgroup", 0 },
	{ "io.weight bad", J "[cgroup]\nio.weight = heavy\n", 4, "io.weight", NULL, 0 },
	{ "cgroup key with a newline-free injection", J "[cgroup]\ncgroup.procs = 1\n", 4,
	  "cgroup.procs", NULL, 0 },
	{ "cgroup key path traversal", J "[cgroup]\n../memory.max = 1\n", 4, "", NULL, 0 },
	{ "cgroup keys in file order",
	  J "[cgroup]\nmemory.max = 16M\npids.max = 32\ncpu.max = 20%\n", 0,
	  "memory.max=16777216; pids.max=32; cpu.max=20000 100000", "cgroup", 0 },

	/* [security] */
	{ "capability one", J "[security]\ncapabilities = cap_net_bind_service\n", 0,
	  "cap_net_bind_service", "caps", 0 },
	{ "capabilities two", J "[security]\ncapabilities = cap_net_bind_service cap_chown\n", 0,
	  "cap_chown cap_net_bind_service", "caps", 0 },
	{ "capabilities empty", J "[security]\ncapabilities =\n", 0, "", "caps", 0 },
	{ "capabilities none", J "[security]\ncapabilities = none\n", 0, "", "caps", 0 },
	{ "capability without cap_ prefix", J "[security]\ncapabilities = net_bind_service\n", 0,
	  "cap_net_bind_service", "caps", 0 },
	{ "capability unknown", J "[security]\ncapabilities = cap_bogus\n", 4, "cap_bogus", NULL,
	  0 },
	{ "capability unknown second", J "[security]\ncapabilities = cap_chown cap_fly\n", 4,
	  "cap_fly", NULL, 0 },
	{ "no_new_privs no", J "[security]\nno_new_privs = no\n", 0, "no", "no_new_privs", 0 },
	{ "no_new_privs bad", J "[security]\nno_new_privs = perhaps\n", 4, "perhaps", NULL, 0 },
	{ "control status", J "[security]\ncontrol = status\n", 0, "status", "control", 0 },
	{ "control full", J "[security]\ncontrol = full\n", 0, "full", "control", 0 },
	{ "control bad", J "[security]\ncontrol = root\n", 4, "root", NULL, 0 },
	{ "rlimit soft:hard", J "[security]\nrlimit.nofile = 64:128\n", 0, "nofile 64:128 @4",
	  "rlimits", 0 },
	{ "rlimit soft only", J "[security]\nrlimit.nofile = 1024\n", 0, "nofile 1024:1024 @4",
	  "rlimits", 0 },
	{ "rlimit unlimited", J "[security]\nrlimit.core = unlimited\n", 0, "core inf:inf @4",
	  "rlimits", 0 },
	{ "rlimit soft:unlimited", J "[security]\nrlimit.memlock = 64:unlimited\n", 0,
	  "memlock 64:inf @4", "rlimits", 0 },
	{ "rlimit every name",
	  J "[security]\nrlimit.nofile = 1\nrlimit.nproc = 2\nrlimit.core = 0\nrlimit.memlock = 4\n"
	    "rlimit.stack = 5\nrlimit.as = 6\nrlimit.cpu = 7\nrlimit.fsize = 8\n",
	  0,
	  "nofile 1:1 @4; nproc 2:2 @5; core 0:0 @6; memlock 4:4 @7; stack 5:5 @8; as 6:6 @9; "
	  "cpu 7:7 @10; fsize 8:8 @11",
	  "rlimits", 0 },
	{ "rlimit bad value", J "[security]\nrlimit.nofile = lots\n", 4, "rlimit.nofile", NULL, 0 },
	{ "rlimit soft above hard", J "[security]\nrlimit.nofile = 128:64\n", 4, "rlimit.nofile",
	  NULL, 0 },
	{ "rlimit empty hard", J "[security]\nrlimit.nofile = 64:\n", 4, "rlimit.nofile", NULL, 0 },
	{ "rlimit unknown name", J "[security]\nrlimit.rtprio = 1\n", 4,
	  "unknown key 'rlimit.rtprio'", NULL, 0 },
	{ "uid_map", J "namespaces = pid mount user\n[security]\nuid_map = 0 1000 1\n", 0,
	  "0 1000 1", "uid_map", 0 },
	{ "gid_map", J "namespaces = pid mount user\n[security]\ngid_map = 0 2000 10\n", 0,
	  "0 2000 10", "gid_map", 0 },
	{ "uid_map two numbers", J "[security]\nuid_map = 0 1000\n", 4, "uid_map", NULL, 0 },
	{ "uid_map not a number", J "[security]\nuid_map = x 1000 1\n", 4, "uid_map", NULL, 0 },
	{ "uid_map four numbers", J "[security]\nuid_map = 0 1 2 3\n", 4, "uid_map", NULL, 0 },
	{ "gid_map count zero", J "[security]\ngid_map = 0 1000 0\n", 4, "gid_map", NULL, 0 },

	/* [net] */
	{ "net host", J "[net]\nmode = host\n", 0, "host", "net", 0 },
	{ "net none", J "namespaces = pid mount net\n[net]\nmode = none\n", 0, "none", "net", 0 },
	{ "net jail:NAME", J "[net]\nmode = jail:db\n", 0, "jail:db", "net", 0 },
	{ "net jail: without name", J "[net]\nmode = jail:\n", 4, "mode", NULL, 0 },
	{ "net jail: bad name", J "[net]\nmode = jail:a/b\n", 4, "a/b", NULL, 0 },
	{ "net veth",
	  J "namespaces = pid mount net\n[net]\nmode = veth\nbridge = br0\n"
	    "address = 10.0.0.2/24\ngateway = 10.0.0.1\n",
	  0, "veth", "net", 0 },
	{ "net veth address",
	  J "namespaces = pid mount net\n[net]\nmode = veth\nbridge = br0\n"
	    "address = 10.0.0.2/24\ngateway = 10.0.0.1\n",
	  0, "10.0.0.2/24", "address", 0 },
	{ "net veth bridge",
	  J "namespaces = pid mount net\n[net]\nmode = veth\nbridge = br0\n"
	    "address = 10.0.0.2/24\ngateway = 10.0.0.1\n",
	  0, "br0", "bridge", 0 },
	{ "net veth gateway",
	  J "namespaces = pid mount net\n[net]\nmode = veth\nbridge = br0\n"
	    "address = 10.0.0.2/24\ngateway = 10.0.0.1\n",
	  0, "10.0.0.1", "gateway", 0 },
	{ "net veth without bridge", J "namespaces = pid mount net\n[net]\nmode = veth\n", ANY,
	  "bridge", NULL, 0 },
	{ "net address list, IPv4 and IPv6",
	  J "[net]\nmode = veth\nbridge = br0\naddress = 10.0.0.2/24\naddress = fd00::2/64\n"
	    "gateway = fd00::1\n",
	  0, "10.0.0.2/24 fd00::2/64", "address", 0 },
	{ "net address bad IPv6", J "[net]\nmode = veth\nbridge = br0\naddress = fd00:::2/64\n",
	  6, "address", NULL, 0 },
	{ "net address IPv6 prefix too long",
	  J "[net]\nmode = veth\nbridge = br0\naddress = fd00::2/129\n", 6, "address", NULL, 0 },
	{ "net interface alone means none", J "[net]\ninterface = lan1\n", 0, "none", "net", 0 },
	{ "net interface with host", J "[net]\nmode = host\ninterface = lan1\n", 5, "interface",
	  NULL, 0 },
	{ "net address without prefix",
	  J "namespaces = pid mount net\n[net]\nmode = veth\n"
	    "bridge = br0\naddress = 10.0.0.2\n",
	  7, "address", NULL, 0 },
	{ "net host with a net namespace", J "namespaces = pid mount net\n[net]\nmode = host\n", 5,
	  "host", NULL, 0 },
	{ "net mode bad", J "[net]\nmode = bridge\n", 4, "bridge", NULL, 0 },
	{ "net unknown key suggests", J "[net]\nbrige = br0\n", 4, "did you mean 'bridge'", NULL,
	  0 },

	/* many problems in one file: each reported, on its own line */
	{ "five errors, five lines (line 3)",
	  J "type = x\nautostart = maybe\n[restart]\ndelay = soon\n[cgroup]\nmemory.max = 1Q\n"
	    "[bogus]\n",
	  3, "type", NULL, 5 },
	{ "five errors, five lines (line 4)",
	  J "type = x\nautostart = maybe\n[restart]\ndelay = soon\n[cgroup]\nmemory.max = 1Q\n"
	    "[bogus]\n",
	  4, "autostart", NULL, 5 },
	{ "five errors, five lines (line 6)",
	  J "type = x\nautostart = maybe\n[restart]\ndelay = soon\n[cgroup]\nmemory.max = 1Q\n"
	    "[bogus]\n",
	  6, "delay", NULL, 5 },
	{ "five errors, five lines (line 8)",
	  J "type = x\nautostart = maybe\n[restart]\ndelay = soon\n[cgroup]\nmemory.max = 1Q\n"
	    "[bogus]\n",
	  8, "memory.max", NULL, 5 },
	{ "five errors, five lines (line 9)",
	  J "type = x\nautostart = maybe\n[restart]\ndelay = soon\n[cgroup]\nmemory.max = 1Q\n"
	    "[bogus]\n",
	  9, "bogus", NULL, 5 },
};

static int check_row(const struct row *w)
{
	struct jail_cfg c;
	struct notes ns;
	char got[4096];
	int rc = parse_jail(w->text, &c, &ns), errs = errors_in(&ns), good;

	if (w->line == 0) {
		good = rc == 0 && errs == 0;
		got[0] = '\0';
		if (good && w->field) {
			render(w->field, &c, got, sizeof got);
			good = !strcmp(got, w->want);
		}
		ok(good, "%s", w->name);
		if (!good) {
			printf("#   returned %d\n", rc);
			if (w->field && !rc)
				printf("#   %s: want \"%s\"\n#   %s: got  \"%s\"\n", w->field,
				       w->want, w->field, got);
			show_notes(&ns);
		}
	} else {
		int want_n = w->nerr ? w->nerr : 1;

		good = find_error(&ns, w->line, w->want) != NULL && rc == errs &&
		       (w->line == ANY && !w->nerr ? errs >= 1 : errs == want_n);
		ok(good, "%s", w->name);
		if (!good) {
			printf("#   want %d error(s), one at line %d containing \"%s\"; returned "
			       "%d\n",
			       w->line == ANY && !w->nerr ? -1 : want_n, w->line, w->want, rc);
			show_notes(&ns);
		}
	}
	config_free(&c);
	return good;
}

static void t_rows(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_row(&rows[i]);
}

/* ---- limits: errors, never truncation ------------------------------- */

static void t_limits(void)
{
	static char buf[65536 + 64];
	struct jail_cfg c;
	struct notes ns;
	size_t n;
	int rc;

	n = (size_t)snprintf(buf, sizeof buf, "[jail]\nexec = /bin/echo");
	for (int i = 0; i < CFG_MAX_ARGS; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, " a");
	snprintf(buf + n, sizeof buf - n, "\n");
	rc = parse_jail(buf, &c, &ns);
	ok(rc >= 1 && find_error(&ns, 2, ""), "%d words in exec is an error", CFG_MAX_ARGS + 1);
	if (!(rc >= 1))
		show_notes(&ns);
	config_free(&c);

	n = (size_t)snprintf(buf, sizeof buf, J "[mounts]\n");
	for (int i = 0; i <= CFG_MAX_MOUNTS; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "tmpfs = /t%d\n", i);
	rc = parse_jail(buf, &c, &ns);
	ok(rc >= 1 && find_error(&ns, 4 + CFG_MAX_MOUNTS, ""),
	   "mount %d is an error on its own line", CFG_MAX_MOUNTS + 1);
	if (!(rc >= 1 && find_error(&ns, 4 + CFG_MAX_MOUNTS, "")))
		show_notes(&ns);
	config_free(&c);

	n = (size_t)snprintf(buf, sizeof buf, J);
	for (int i = 0; i <= CFG_MAX_ENV; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "env = V%d=x\n", i);
	rc = parse_jail(buf, &c, &ns);
	ok(rc >= 1 && find_error(&ns, 3 + CFG_MAX_ENV, ""), "env entry %d is an error",
	   CFG_MAX_ENV + 1);
	if (!(rc >= 1 && find_error(&ns, 3 + CFG_MAX_ENV, "")))
		show_notes(&ns);
	config_free(&c);

	n = (size_t)snprintf(buf, sizeof buf, J);
	for (int i = 0; i < CFG_MAX_ENV; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "env = V%d=x\n", i);
	rc = parse_jail(buf, &c, &ns);
	ok(rc == 0 && c.env[CFG_MAX_ENV] && !strcmp(c.env[CFG_MAX_ENV], PATH_ENV) &&
		   !c.env[CFG_MAX_ENV + 1],
	   "%d env entries fit, with PATH added", CFG_MAX_ENV);
	config_free(&c);

	memset(buf, '#', 65537);
	buf[65536] = '\n';
	buf[65537] = '\0';
	rc = parse_jail(buf, &c, &ns);
	ok(rc >= 1 && find_error(&ns, ANY, ""), "file over 64 KiB is an error");
	config_free(&c);
}

/* ---- value helpers -------------------------------------------------- */

static void t_helpers(void)
{
	static const struct {
		const char *s;
		int rc;
		uint64_t v;
	} durs[] = {
		{ "250ms", 0, 250 }, { "5s", 0, 5000 }, { "2m", 0, 120000 }, { "1h", 0, 3600000 },
		{ "10", 0, 10000 }, { "0", 0, 0 }, { "", -1, 0 }, { "s", -1, 0 }, { "5 s", -1, 0 },
		{ "5S", -1, 0 }, { "-1", -1, 0 }, { "1d", -1, 0 }, { "18446744073709551616", -1, 0 },
		{ "5000000000000000h", -1, 0 },
	}, sizes[] = {
		{ "4096", 0, 4096 }, { "64K", 0, 65536 }, { "16M", 0, 16777216 },
		{ "1G", 0, 1073741824 }, { "0", 0, 0 }, { "", -1, 0 }, { "K", -1, 0 },
		{ "1T", -1, 0 }, { "-1", -1, 0 }, { "1.5M", -1, 0 }, { "17179869184G", -1, 0 },
	};
	static const struct {
		const char *s;
		int rc, sig;
	} sigs[] = {
		{ "TERM", 0, SIGTERM }, { "SIGTERM", 0, SIGTERM },
		{ "15", 0, 15 },	{ "KILL", 0, SIGKILL },
		{ "HUP", 0, SIGHUP },	{ "USR1", 0, SIGUSR1 },
		{ "USR2", 0, SIGUSR2 }, { "INT", 0, SIGINT },
		{ "QUIT", 0, SIGQUIT }, { "WINCH", 0, SIGWINCH },
		{ "PWR", 0, SIGPWR },	{ "FOO", -1, 0 },
		{ "", -1, 0 },		{ "0", -1, 0 },
		{ "65", -1, 0 },	{ "SIG", -1, 0 },
		{ "-9", -1, 0 },
	};
	uint64_t v;
	bool b;
	int s;

	for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++) {
		v = 12345;
		int rc = value_duration_ms(durs[i].s, &v);

		ok(rc == durs[i].rc && (rc || v == durs[i].v),
		   "value_duration_ms(\"%s\") = %d, %llu", durs[i].s, rc, (unsigned long long)v);
	}
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		v = 12345;
		int rc = value_size(sizes[i].s, &v);

		ok(rc == sizes[i].rc && (rc || v == sizes[i].v), "value_size(\"%s\") = %d, %llu",
		   sizes[i].s, rc, (unsigned long long)v);
	}
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		s = -7;
		int rc = value_signal(sigs[i].s, &s);

		ok(rc == sigs[i].rc && (rc || s == sigs[i].sig), "value_signal(\"%s\") = %d, %d",
		   sigs[i].s, rc, s);
	}
	ok(value_signal_name(SIGTERM) && !strcmp(value_signal_name(SIGTERM), "TERM"),
	   "value_signal_name(SIGTERM) is TERM");
	ok(value_signal_name(SIGKILL) && !strcmp(value_signal_name(SIGKILL), "KILL"),
	   "value_signal_name(SIGKILL) is KILL");
	ok(value_signal_name(0) == NULL && value_signal_name(1000) == NULL,
	   "value_signal_name of unknown numbers is NULL");

	static const char *trues[] = { "yes", "true", "on", "1" };
	static const char *falses[] = { "no", "false", "off", "0" };
	static const char *bads[] = { "", "y", "2", "yes ", "ja", "enable" };

	for (size_t i = 0; i < 4; i++) {
		b = false;
		ok(value_bool(trues[i], &b) == 0 && b, "value_bool(\"%s\") is true", trues[i]);
		b = true;
		ok(value_bool(falses[i], &b) == 0 && !b, "value_bool(\"%s\") is false",
		   falses[i]);
	}
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
		ok(value_bool(bads[i], &b) != 0, "value_bool(\"%s\") is an error", bads[i]);
}

static void t_names(void)
{
	static const struct {
		const char *name;
		bool valid;
	} names[] = {
		{ "web", true },
		{ "a-b_C9", true },
		{ "x", true },
		{ "abcdefghijklmnopqrstuvwxyz012345", true },	/* 32 */
		{ "abcdefghijklmnopqrstuvwxyz0123456", false }, /* 33 */
		{ "", false },
		{ "a.b", false },
		{ "a b", false },
		{ "../x", false },
		{ "a/b", false },
		{ "..", false },
		{ "é", false },
		{ "a:b", false },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		ok(value_valid_name(names[i].name) == names[i].valid, "name \"%s\" is %s",
		   names[i].name, names[i].valid ? "valid" : "invalid");
}

/* value_split is public (the control socket may call it), so its input is
 * not bounded by the INI line limit. Runs in a child: an overflow caught by
 * ASan ends the child, not the suite. */
static bool split_long_word(void)
{
	pid_t pid;
	int st;

	fflush(stdout); /* the child must not print the parent's buffer again */
	pid = fork();

	if (pid == 0) {
		size_t n = 3 * 4096;
		char *s = malloc(n + 1), *argv[4];
		struct err e;
		int argc;

		memset(s, 'x', n);
		s[0] = '/';
		s[n] = '\0';
		if (value_split(s, argv, 3, &argc, &e) == 0)
			for (int i = 0; i < argc; i++)
				free(argv[i]);
		free(s);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void t_split(void)
{
	char *argv[8];
	struct err e;
	int argc = -1, rc;

	rc = value_split("/bin/a 'b c' d\\ e", argv, 7, &argc, &e);
	ok(rc == 0 && argc == 3 && !strcmp(argv[1], "b c") && !strcmp(argv[2], "d e") &&
		   argv[3] == NULL,
	   "value_split: quotes and escapes, NULL-terminated");
	for (int i = 0; rc == 0 && i < argc; i++)
		free(argv[i]);

	e.msg[0] = '\0';
	rc = value_split("/bin/a 'b", argv, 7, &argc, &e);
	ok(rc == -1 && e.msg[0], "value_split: unterminated quote fills the error (%s)", e.msg);

	rc = value_split("/bin/a b c d e f g h i", argv, 7, &argc, &e);
	ok(rc == -1, "value_split: more words than max is an error");
	if (rc == 0)
		for (int i = 0; i < argc; i++)
			free(argv[i]);

	rc = value_split("/bin/a b c d e f g", argv, 7, &argc, &e);
	ok(rc == 0 && argc == 7 && argv[7] == NULL, "value_split: exactly max words, then NULL");
	for (int i = 0; rc == 0 && i < argc; i++)
		free(argv[i]);

	ok(split_long_word(), "value_split: a word longer than INI_MAX_LINE does not overflow");
}

/* ---- config_equal ---------------------------------------------------- */

static void t_equal(void)
{
	static const char a[] = J "[cgroup]\nmemory.max = 16M\n";
	static const char b[] = "# same jail, other layout\n[jail]\nexec = /bin/true\n"
				"[cgroup]\nmemory.max = 16777216\n";
	static const char d[] = J "[cgroup]\nmemory.max = 32M\n";
	struct jail_cfg ca, cb, cd;
	struct notes ns;

	parse_jail(a, &ca, &ns);
	parse_jail(b, &cb, &ns);
	parse_jail(d, &cd, &ns);
	ok(config_equal(&ca, &ca), "config_equal: a config equals itself");
	ok(!config_equal(&ca, &cd), "config_equal: a different memory.max differs");
	/* Same values from other lines: either answer is defensible; shown only. */
	printf("# config_equal: same values on other lines: %s\n",
	       config_equal(&ca, &cb) ? "equal" : "different");
	config_free(&ca);
	config_free(&cb);
	config_free(&cd);
}

/* ---- files and directories ------------------------------------------ */

static char tmpdir[256];

static void put(const char *rel, const char *text)
{
	char path[512];
	int fd;

	/* Plain fds: the musl build of brig replaces stdio's writers with
	 * ones that know only stdout and stderr (src/fmt.c). */
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || fdio_write_all(fd, text, strlen(text)) < 0)
		printf("# cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
}

static void rm_tree(void)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
}

static int load_dir(struct config_set *set, struct notes *ns)
{
	struct diag d = { .emit = collect, .ctx = ns };

	memset(ns, 0, sizeof *ns);
	memset(set, 0, sizeof *set);
	return config_load_dir(tmpdir, set, NULL, NULL, &d) +
	       config_check_graph(set, NULL, NULL, &d);
}

/* An error in FILE (a path ending in it) at line with want in the message. */
static bool has_error(const struct notes *ns, const char *file, int line, const char *want)
{
	for (int i = 0; i < ns->count; i++) {
		const struct note *n = &ns->n[i];
		size_t fl = strlen(n->file), wl = strlen(file);

		if (!n->warning && n->line == line && fl >= wl &&
		    !strcmp(n->file + fl - wl, file) && strstr(n->msg, want))
			return true;
	}
	return false;
}

static void t_load_file(void)
{
	static const struct {
		const char *file;
		bool valid;
	} files[] = {
		{ "good-name_1.ini", true },
		{ "bad.name.ini", false },
		{ "abcdefghijklmnopqrstuvwxyz012345.ini", true },
		{ "abcdefghijklmnopqrstuvwxyz0123456.ini", false },
		{ "noext", false },
	};
	struct jail_cfg c;
	struct notes ns;
	struct diag d = { .emit = collect, .ctx = &ns };
	char path[512];

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		put(files[i].file, J);
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i].file);
		memset(&ns, 0, sizeof ns);
		int rc = config_load_file(path, &c, &d);

		ok((rc == 0) == files[i].valid, "load_file %s is %s (%d errors)", files[i].file,
		   files[i].valid ? "valid" : "an error", rc);
		if ((rc == 0) != files[i].valid)
			show_notes(&ns);
		if (rc == 0 && i == 0)
			ok(!strcmp(c.name, "good-name_1") && !strcmp(c.hostname, "good-name_1") &&
				   c.file && strstr(c.file, "good-name_1.ini"),
			   "load_file: name, hostname and file from the path");
		config_free(&c);
		unlink(path);
	}

	snprintf(path, sizeof path, "%s/missing.ini", tmpdir);
	memset(&ns, 0, sizeof ns);
	ok(config_load_file(path, &c, &d) >= 1 && ns.count >= 1, "load_file of a missing file");
	config_free(&c);

	put("errs.ini", J "type = x\n");
	snprintf(path, sizeof path, "%s/errs.ini", tmpdir);
	memset(&ns, 0, sizeof ns);
	config_load_file(path, &c, &d);
	ok(has_error(&ns, "errs.ini", 3, "type"), "load_file reports the file's path and line");
	if (!has_error(&ns, "errs.ini", 3, "type"))
		show_notes(&ns);
	config_free(&c);
	unlink(path);
}

/* Loads tmpdir in a child (a sanitizer report ends the child, not the
 * suite); true when exactly one error came out and none names e.ini. */
static bool after_cycle_in_child(void)
{
	pid_t pid;
	int st;

	fflush(stdout); /* the child must not print the parent's buffer again */
	pid = fork();

	if (pid == 0) {
		struct config_set set;
		struct notes ns;
		int rc = load_dir(&set, &ns);
		bool good = rc == 1 && !has_error(&ns, "jails/e.ini", 3, "");

		if (!good)
			show_notes(&ns);
		config_free_set(&set);
		fflush(stdout);
		_exit(good ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void t_load_dir(void)
{
	struct config_set set;
	struct notes ns;
	char path[512];
	int rc;

	snprintf(path, sizeof path, "%s/jails", tmpdir);
	mkdir(path, 0755);

	/* a valid set: b after a; a oneshot */
	put("jails/a.ini", "[jail]\nexec = /bin/true\ntype = oneshot\n");
	put("jails/b.ini", J "after = a\n");
	put("jails/README", "not a jail file\n");
	rc = load_dir(&set, &ns);
	ok(rc == 0 && set.njails == 2 && !strcmp(set.jails[0]->name, "a") &&
		   !strcmp(set.jails[1]->name, "b"),
	   "load_dir: two jails, sorted, non-.ini ignored, no brig.ini needed");
	if (rc)
		show_notes(&ns);
	config_free_set(&set);

	/* missing name */
	put("jails/b.ini", J "after = a nosuch\n");
	rc = load_dir(&set, &ns);
	ok(rc >= 1 && has_error(&ns, "jails/b.ini", 3, "nosuch"),
	   "load_dir: after names a missing jail: b.ini:3 names it");
	if (!has_error(&ns, "jails/b.ini", 3, "nosuch"))
		show_notes(&ns);
	config_free_set(&set);

	/* a cycle c -> d -> c: one error, at the after line of the jail that
	 * closes it (name order: the walk starts at c), and d is left out */
	put("jails/b.ini", J);
	put("jails/c.ini", J "hostname = c\nafter = d\n");
	put("jails/d.ini", J "after = c\n");
	rc = load_dir(&set, &ns);
	ok(rc == 1 && has_error(&ns, "jails/d.ini", 3, "after: dependency cycle c -> d -> c"),
	   "load_dir: a cycle is one error, at d.ini:3, naming the chain (%d errors)", rc);
	if (rc != 1 || !has_error(&ns, "jails/d.ini", 3, "after: dependency cycle c -> d -> c"))
		show_notes(&ns);
	ok(set.njails == 3 && set.nbroken == 1 && !strcmp(set.broken[0].name, "d"),
	   "load_dir: the jail that closes the cycle is left out as broken");
	config_free_set(&set);

	/* e only depends on the c <-> d cycle: the cycle is reported once, at
	 * c or d, and the search started from e must not walk a stale path */
	put("jails/e.ini", J "after = c\n");
	ok(after_cycle_in_child(), "load_dir: a jail after a cycle: no crash, not itself reported");
	snprintf(path, sizeof path, "%s/jails/e.ini", tmpdir);
	unlink(path);

	/* a self-cycle */
	put("jails/d.ini", J);
	put("jails/c.ini", J "after = c\n");
	rc = load_dir(&set, &ns);
	ok(rc >= 1 && has_error(&ns, "jails/c.ini", 3, ""), "load_dir: after itself is an error");
	if (!has_error(&ns, "jails/c.ini", 3, ""))
		show_notes(&ns);
	config_free_set(&set);

	/* a bad file is left out, the good ones stay */
	put("jails/c.ini", J "type = x\n");
	rc = load_dir(&set, &ns);
	ok(rc == 1 && set.njails == 3 && has_error(&ns, "jails/c.ini", 3, "type"),
	   "load_dir: a file with errors is left out (%d jails, %d errors)", set.njails, rc);
	config_free_set(&set);

	/* a jail after one that was left out for errors: missing, not a crash */
	put("jails/d.ini", J "after = c\n");
	rc = load_dir(&set, &ns);
	ok(rc >= 1 && set.njails <= 3, "load_dir: after a jail with errors (%d errors)", rc);
	config_free_set(&set);
	snprintf(path, sizeof path, "%s/jails/c.ini", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/jails/d.ini", tmpdir);
	unlink(path);

	/* brig.ini is read and its errors count */
	put("brig.ini", "[init]\nhostname = box\nshutdown_timeout = 3s\n");
	rc = load_dir(&set, &ns);
	ok(rc == 0 && set.init.hostname && !strcmp(set.init.hostname, "box") &&
		   set.init.shutdown_timeout_ms == 3000,
	   "load_dir: brig.ini [init] read");
	if (rc)
		show_notes(&ns);
	config_free_set(&set);
	put("brig.ini", "[init]\nhostnam = box\n");
	rc = load_dir(&set, &ns);
	ok(rc >= 1 && has_error(&ns, "brig.ini", 2, "hostname"),
	   "load_dir: brig.ini errors reported with its path and line");
	if (!has_error(&ns, "brig.ini", 2, "hostname"))
		show_notes(&ns);
	config_free_set(&set);
	snprintf(path, sizeof path, "%s/brig.ini", tmpdir);
	unlink(path);
}

/* config_check_graph() on a set built by hand: a chain is fine. */
static void t_graph(void)
{
	struct config_set set = { 0 };
	struct notes ns = { 0 };
	struct diag d = { .emit = collect, .ctx = &ns };
	static const char *texts[] = { J, J "after = j0\n", J "after = j0 j1\n" };
	char name[16];

	for (int i = 0; i < 3; i++) {
		struct diag pd = { .emit = collect, .ctx = &ns };

		set.jails[i] = calloc(1, sizeof *set.jails[i]);
		snprintf(name, sizeof name, "j%d", i);
		config_defaults(set.jails[i], name);
		config_parse("j.ini", texts[i], strlen(texts[i]), set.jails[i], &pd);
		set.njails++;
	}
	ok(config_check_graph(&set, NULL, NULL, &d) == 0, "check_graph: a chain j0 <- j1 <- j2 is fine");
	config_free_set(&set);
}

/* ---- brig.ini [init] ------------------------------------------------- */

struct irow {
	const char *name;
	const char *text;
	int line;	   /* as in struct row */
	const char *want;  /* message fragment or rendered field */
	const char *field; /* hostname modules watchdog watchdog_interval shutdown_timeout shell */
};

static const struct irow irows[] = {
	{ "init: empty file is valid", "", 0, NULL, NULL },
	{ "init: default shutdown_timeout 10s", "[init]\n", 0, "10000", "shutdown_timeout" },
	{ "init: default hostname unset", "[init]\n", 0, "(null)", "hostname" },
	{ "init: default no modules", "[init]\n", 0, "", "modules" },
	{ "init: default no emergency shell", "[init]\n", 0, "", "shell" },
	{ "init: hostname", "[init]\nhostname = box\n", 0, "box", "hostname" },
	{ "init: modules list", "[init]\nmodules = virtio_net e1000\n", 0, "virtio_net e1000",
	  "modules" },
	{ "init: modules is one key, not a list", "[init]\nmodules = a\nmodules = b c\n", 3,
	  "modules", NULL },
	{ "init: module name with a slash", "[init]\nmodules = ../../x\n", 2, "modules", NULL },
	{ "init: watchdog", "[init]\nwatchdog = /dev/watchdog\nwatchdog_interval = 5s\n", 0,
	  "/dev/watchdog", "watchdog" },
	{ "init: watchdog_interval", "[init]\nwatchdog = /dev/watchdog\nwatchdog_interval = 5s\n",
	  0, "5000", "watchdog_interval" },
	{ "init: watchdog relative", "[init]\nwatchdog = watchdog\n", 2, "watchdog", NULL },
	{ "init: watchdog_interval bad", "[init]\nwatchdog_interval = often\n", 2,
	  "watchdog_interval", NULL },
	{ "init: shutdown_timeout", "[init]\nshutdown_timeout = 30s\n", 0, "30000",
	  "shutdown_timeout" },
	{ "init: shutdown_timeout bad", "[init]\nshutdown_timeout = 3x\n", 2, "shutdown_timeout",
	  NULL },
	{ "init: emergency_shell split", "[init]\nemergency_shell = /bin/sh -l\n", 0, "/bin/sh|-l",
	  "shell" },
	{ "init: emergency_shell relative", "[init]\nemergency_shell = sh\n", 2, "absolute", NULL },
	{ "init: emergency_shell unterminated", "[init]\nemergency_shell = /bin/sh '\n", 2, "quote",
	  NULL },
	{ "init: unknown key suggests", "[init]\nshutdown_timout = 1s\n", 2,
	  "did you mean 'shutdown_timeout'", NULL },
	{ "init: jail section in brig.ini", "[jail]\nexec = /bin/true\n", 1, "jail", NULL },
	{ "init: repeated hostname", "[init]\nhostname = a\nhostname = b\n", 3, "hostname", NULL },
	{ "init: junk line", "[init]\njunk\n", 2, "", NULL },
};

static void render_init(const char *field, const struct init_cfg *c, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!strcmp(field, "hostname"))
		snprintf(buf, len, "%s", c->hostname ? c->hostname : "(null)");
	else if (!strcmp(field, "watchdog"))
		snprintf(buf, len, "%s", c->watchdog ? c->watchdog : "(null)");
	else if (!strcmp(field, "modules"))
		render_list(c->modules, c->nmodules, " ", buf, len);
	else if (!strcmp(field, "watchdog_interval"))
		snprintf(buf, len, "%llu", (unsigned long long)c->watchdog_interval_ms);
	else if (!strcmp(field, "shutdown_timeout"))
		snprintf(buf, len, "%llu", (unsigned long long)c->shutdown_timeout_ms);
	else if (!strcmp(field, "shell"))
		for (int i = 0; c->emergency_shell[i] && i < CFG_MAX_ARGS; i++)
			cat(buf, len, "|", c->emergency_shell[i]);
	else
		snprintf(buf, len, "UNKNOWN FIELD %s", field);
}

static void t_init(void)
{
	for (size_t i = 0; i < sizeof irows / sizeof irows[0]; i++) {
		const struct irow *w = &irows[i];
		struct init_cfg c;
		struct notes ns = { 0 };
		struct diag d = { .emit = collect, .ctx = &ns };
		char got[1024] = "";
		int rc, good;

		memset(&c, 0, sizeof c);
		rc = config_parse_init("brig.ini", w->text, strlen(w->text), &c, &d);
		if (w->line == 0) {
			good = rc == 0 && errors_in(&ns) == 0;
			if (good && w->field) {
				render_init(w->field, &c, got, sizeof got);
				good = !strcmp(got, w->want);
			}
		} else {
			good = rc == 1 && errors_in(&ns) == 1 && find_error(&ns, w->line, w->want);
		}
		ok(good, "%s", w->name);
		if (!good) {
			printf("#   returned %d", rc);
			if (w->field)
				printf("; %s: want \"%s\" got \"%s\"", w->field, w->want, got);
			else
				printf("; want one error at line %d containing \"%s\"", w->line,
				       w->want);
			printf("\n");
			show_notes(&ns);
		}
		config_free_init(&c);
	}
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/t_config.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	t_rows();
	t_limits();
	t_helpers();
	t_names();
	t_split();
	t_equal();
	t_graph();
	t_init();
	t_load_file();
	t_load_dir();
	rm_tree();
	return done();
}
