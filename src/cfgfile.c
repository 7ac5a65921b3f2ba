/* Runs in: check, run, the supervisor and PID 1, whenever config loads.
 * A jail file or the system file, from bytes to a struct: the INI events
 * (ini.c) go to the key table (config.c) section by section; every problem
 * goes to the caller's struct diag as FILE:LINE: MESSAGE. */
#include "config.h"

#include "cfgkeys.h"
#include "esc.h"
#include "ini.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- diagnostics ---- */

static void diag_v(struct diag *d, const char *file, int line, bool warn, const char *fmt,
		   va_list ap)
{
	char msg[300];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (warn)
		d->warnings++;
	else
		d->errors++;
	if (d->emit)
		d->emit(d->ctx, file, line, warn, msg);
}

void diag_format(char *buf, size_t len, const char *file, int line, bool warning,
		 const char *msg)
{
	char at[16] = "", raw[PATH_MAX + 300];

	if (line > 0)
		snprintf(at, sizeof at, ":%d", line);
	/* File names and values are anyone's bytes: escaped for the terminal. */
	snprintf(raw, sizeof raw, "%s%s: %s: %s", file, at, warning ? "warning" : "error", msg);
	esc_str(buf, len, raw, ESC_LINE);
}

void diag_stderr(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	char buf[PATH_MAX + 300];

	(void)ctx;
	diag_format(buf, sizeof buf, file, line, warning, msg);
	fprintf(stderr, "%s\n", buf);
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

/* ---- the settings' digest ---- */

#define FNV_BASIS 14695981039346656037ULL

/* FNV-1a over s and its NUL: two configs with the same digest came from
 * the same settings in the same order (reload: an unchanged jail). */
static uint64_t digest(uint64_t h, const char *s)
{
	do
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	while (*s++);
	return h;
}

bool config_equal(const struct jail_cfg *a, const struct jail_cfg *b)
{
	return a->digest == b->digest && !strcmp(a->name, b->name);
}

/* ---- a jail file ---- */

static enum section section_by_name(const char *name, bool init_file)
{
	int s;

	for (s = SEC_JAIL; s <= SEC_INIT; s++)
		if (!strcmp(name, config_section_name(s)))
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
	} else {
		x->digest = digest(x->digest, config_section_name(x->sec));
		x->digest = digest(digest(x->digest, key), value);
		config_key(x, key, value);
	}
	return 0;
}

static int on_jail_event(void *ctx, enum ini_event ev, int line, const char *key,
			 const char *value)
{
	return on_event(ctx, ev, line, key, value, false);
}

static int on_init_event(void *ctx, enum ini_event ev, int line, const char *key,
			 const char *value)
{
	return on_event(ctx, ev, line, key, value, true);
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
	x.digest = digest(FNV_BASIS, c->name);
	ini_parse(buf, len, on_jail_event, &x);
	config_finish(&x);
	c->digest = x.digest;
	return d->errors - before;
}

/* Reads a whole file, at most INI_MAX_FILE bytes (one more shows excess). */
char *config_slurp(const char *path, size_t *len, struct diag *d)
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
		diag_error(d, path, 0, "open: %m");
		free(buf);
		return NULL;
	}
	while (n <= INI_MAX_FILE && (r = read(fd, buf + n, INI_MAX_FILE + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_error(d, path, 0, "read: %m");
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
	if (!value_valid_name(name)) {
		diag_error(d, path, 0, "jail name '%s' may hold only letters, digits, '-' and '_'",
			   name);
		return d->errors - before;
	}
	memcpy(c->name, name, blen - 4 + 1);
	if (!(buf = config_slurp(path, &len, d)))
		return d->errors - before;
	config_parse(path, buf, len, c, d);
	free(buf);
	return d->errors - before;
}

/* ---- the system file ---- */

int config_parse_init(const char *file, const char *buf, size_t len, struct init_cfg *c,
		      struct diag *d)
{
	struct pctx x = { .file = file, .ic = c, .d = d };
	int before = d->errors;

	config_init_defaults(c);
	if (!(c->file = strdup(file))) {
		diag_error(d, file, 0, "out of memory");
		return 1;
	}
	ini_parse(buf, len, on_init_event, &x);
	if (c->watchdog_interval_ms == 0 && x.init_line[3])
		diag_error(d, file, x.init_line[3], "watchdog_interval: must be above 0");
	return d->errors - before;
}

