/* Runs in: every process that reads config (check, supervisor, PID 1).
 * Input is untrusted: every length is bounded, nothing is allocated. */
#include "ini.h"

#include <stdio.h>
#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims s[0..*n) in place; returns the new start. */
static char *trim(char *s, size_t *n)
{
	while (*n && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n && is_blank(s[*n - 1]))
		(*n)--;
	s[*n] = '\0';
	return s;
}

static int error(ini_cb cb, void *ctx, int line, const char *msg, int *nerr)
{
	(*nerr)++;
	return cb(ctx, INI_ERROR, line, msg, NULL);
}

static int one_line(char *s, size_t n, int line, ini_cb cb, void *ctx, int *nerr)
{
	char *eq, *key, *val;
	size_t kn, vn;

	s = trim(s, &n);
	if (n == 0 || s[0] == '#' || s[0] == ';')
		return 0;
	if (memchr(s, '\0', n))
		return error(cb, ctx, line, "NUL byte in line", nerr);
	if (s[0] == '[') {
		if (s[n - 1] != ']')
			return error(cb, ctx, line, "section header without closing ']'", nerr);
		kn = n - 2;
		key = trim(s + 1, &kn);
		if (kn == 0)
			return error(cb, ctx, line, "empty section name", nerr);
		return cb(ctx, INI_SECTION, line, key, NULL);
	}
	eq = memchr(s, '=', n);
	if (!eq)
		return error(cb, ctx, line, "expected 'key = value' or '[section]'", nerr);
	kn = (size_t)(eq - s);
	vn = n - kn - 1;
	key = trim(s, &kn);
	val = trim(eq + 1, &vn);
	if (kn == 0)
		return error(cb, ctx, line, "missing key before '='", nerr);
	return cb(ctx, INI_KEY, line, key, val);
}

int ini_parse(const char *buf, size_t len, ini_cb cb, void *ctx)
{
	char scratch[INI_MAX_LINE + 1];
	char msg[64];
	size_t pos = 0;
	int line = 0, nerr = 0, rc;

	if (len > INI_MAX_FILE) {
		snprintf(msg, sizeof msg, "file larger than %d bytes", INI_MAX_FILE);
		rc = error(cb, ctx, 0, msg, &nerr);
		return rc ? rc : nerr;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		line++;
		if (n > INI_MAX_LINE) {
			snprintf(msg, sizeof msg, "line longer than %d bytes", INI_MAX_LINE);
			rc = error(cb, ctx, line, msg, &nerr);
		} else {
			memcpy(scratch, buf + pos, n);
			rc = one_line(scratch, n, line, cb, ctx, &nerr);
		}
		if (rc)
			return rc;
		pos += n + 1;
	}
	return nerr;
}
