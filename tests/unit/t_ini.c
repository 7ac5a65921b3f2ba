/* Runs in: the unit test process (any user). INI syntax only: every event
 * ini_parse() sends is recorded as one text line "LINE S name",
 * "LINE K key=value" or "LINE E message", and compared with the expected
 * transcript, so a test states the line number of every event. */
#include "ini.h"

#include "tap.h"

#include <stdlib.h>
#include <string.h>

struct rec {
	char log[8192];
	int events;
	int stop_after; /* return nonzero from the event with this 1-based index */
};

static int record(void *ctx, enum ini_event ev, int line, const char *key, const char *value)
{
	struct rec *r = ctx;
	size_t n = strlen(r->log);

	switch (ev) {
	case INI_SECTION:
		snprintf(r->log + n, sizeof r->log - n, "%d S %s%s\n", line, key,
			 value ? " (value not NULL)" : "");
		break;
	case INI_KEY:
		snprintf(r->log + n, sizeof r->log - n, "%d K %s=%s\n", line, key,
			 value ? value : "(NULL)");
		break;
	case INI_ERROR: snprintf(r->log + n, sizeof r->log - n, "%d E %s\n", line, key); break;
	}
	r->events++;
	return r->stop_after && r->events == r->stop_after ? 42 : 0;
}

static int parse(const char *buf, size_t len, struct rec *r)
{
	memset(r, 0, sizeof *r);
	return ini_parse(buf, len, record, r);
}

/* Error messages are free text; a transcript names them by a fragment, so
 * "3 E ~']'" matches an error on line 3 whose message contains "']'". */
static int same_line(const char *got, size_t gn, const char *want, size_t wn)
{
	const char *mark = NULL;
	char frag[256], rest[INI_MAX_LINE + 64];
	size_t pre, fn;

	for (size_t i = 0; i + 3 < wn; i++) {
		if (!memcmp(want + i, " E ~", 4)) {
			mark = want + i + 3;
			break;
		}
	}
	if (!mark)
		return gn == wn && !memcmp(got, want, gn);
	pre = (size_t)(mark - want);
	fn = wn - pre - 1;
	if (gn < pre || memcmp(got, want, pre) || fn >= sizeof frag || gn - pre >= sizeof rest)
		return 0;
	memcpy(frag, mark + 1, fn);
	frag[fn] = '\0';
	memcpy(rest, got + pre, gn - pre);
	rest[gn - pre] = '\0';
	return strstr(rest, frag) != NULL;
}

static int same(const char *got, const char *want)
{
	for (;;) {
		const char *ge = strchr(got, '\n'), *we = strchr(want, '\n');

		if (!ge || !we)
			return !ge && !we && !*got && !*want;
		if (!same_line(got, (size_t)(ge - got), want, (size_t)(we - want)))
			return 0;
		got = ge + 1;
		want = we + 1;
	}
}

struct row {
	const char *name;
	const char *text;
	int nerr;	    /* expected return value */
	const char *events; /* expected transcript */
};

static const struct row rows[] = {
	{ "empty buffer", "", 0, "" },
	{ "one section", "[jail]\n", 0, "1 S jail\n" },
	{ "section name trimmed", "[  jail \t]\n", 0, "1 S jail\n" },
	{ "indented section", "   [mounts]\n", 0, "1 S mounts\n" },
	{ "key = value", "exec = /bin/sh\n", 0, "1 K exec=/bin/sh\n" },
	{ "key=value without spaces", "exec=/bin/sh\n", 0, "1 K exec=/bin/sh\n" },
	{ "tabs and spaces trimmed", "\t  exec \t=\t /bin/sh -c 'x'  \t\n", 0,
	  "1 K exec=/bin/sh -c 'x'\n" },
	{ "inner spaces kept", "env = A=b c  d\n", 0, "1 K env=A=b c  d\n" },
	{ "'=' inside value", "env = FOO=bar=baz\n", 0, "1 K env=FOO=bar=baz\n" },
	{ "empty value", "hostname =\n", 0, "1 K hostname=\n" },
	{ "empty value, spaces", "hostname =   \n", 0, "1 K hostname=\n" },
	{ "key with dot", "memory.max = 16M\n", 0, "1 K memory.max=16M\n" },
	{ "hash comment", "# a comment\n", 0, "" },
	{ "semicolon comment", "; a comment\n", 0, "" },
	{ "indented comment", "   \t# indented\n", 0, "" },
	{ "comment holding '=' and '['", "# exec = [x]\n; [y]\n", 0, "" },
	{ "no inline comments", "exec = /bin/a # not a comment\n", 0,
	  "1 K exec=/bin/a # not a comment\n" },
	{ "value starting with #", "a = #x\n", 0, "1 K a=#x\n" },
	{ "blank lines", "\n\n  \n\t\n", 0, "" },
	{ "line numbers across blanks and comments",
	  "# head\n\n[jail]\n; c\nexec = /bin/a\n\n\n[restart]\n  policy = never\n", 0,
	  "3 S jail\n5 K exec=/bin/a\n8 S restart\n9 K policy=never\n" },
	{ "CRLF line ends", "[jail]\r\nexec = /bin/a\r\n\r\n# c\r\ntype = oneshot\r\n", 0,
	  "1 S jail\n2 K exec=/bin/a\n5 K type=oneshot\n" },
	{ "CRLF empty value", "hostname =\r\n", 0, "1 K hostname=\n" },
	{ "no trailing newline", "[jail]\nexec = /bin/a", 0, "1 S jail\n2 K exec=/bin/a\n" },
	{ "no trailing newline, section", "[jail]", 0, "1 S jail\n" },
	{ "missing ']'", "[jail\nexec = /bin/a\n", 1, "1 E ~']'\n2 K exec=/bin/a\n" },
	{ "only '['", "[\n", 1, "1 E ~']'\n" },
	{ "text after ']'", "[jail] x\n", 1, "1 E ~']'\n" },
	{ "empty section name", "[]\n[  ]\n", 2, "1 E ~section\n2 E ~section\n" },
	{ "missing key", "= /bin/a\n", 1, "1 E ~key\n" },
	{ "missing key, spaces", "   =  x\n", 1, "1 E ~key\n" },
	{ "neither section nor key", "exec /bin/a\n", 1, "1 E ~expected\n" },
	{ "lone word", "[jail]\nfoo\n", 1, "1 S jail\n2 E ~expected\n" },
	{ "parse goes on after errors", "junk\n[jail\n=x\nk = v\n", 3,
	  "1 E ~expected\n2 E ~']'\n3 E ~key\n4 K k=v\n" },
	{ "comment then error line numbers", "#\n#\n#\nbad\n#\nbad\n", 2,
	  "4 E ~expected\n6 E ~expected\n" },
	{ "lone CR is blank", "\r\n[jail]\r\n", 0, "2 S jail\n" },
};

static void t_rows(void)
{
	ok(!same("1 E abc\n", "1 E ~xyz\n") && !same("1 K a=b\n", "1 K a=c\n") &&
		   !same("1 K a=b\n", "2 K a=b\n") && !same("1 S a\n", "") &&
		   same("3 E it has ']'\n", "3 E ~']'\n"),
	   "transcript comparator rejects mismatches (negative control)");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *w = &rows[i];
		struct rec r;
		int rc = parse(w->text, strlen(w->text), &r);
		int good = rc == w->nerr && same(r.log, w->events);

		ok(good, "%s", w->name);
		if (!good)
			printf("# rc %d want %d\n# got:\n%s# want:\n%s", rc, w->nerr, r.log,
			       w->events);
	}
}

/* A buffer of n bytes: "k = vvvv…" padded to exactly n, then suffix. */
static char *long_line(size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	char *b = malloc(n + sl + 1);

	memset(b, 'v', n);
	memcpy(b, "k = ", 4);
	memcpy(b + n, suffix, sl + 1);
	return b;
}

static void t_line_limit(void)
{
	struct rec r;
	char *b;
	int rc;

	b = long_line(INI_MAX_LINE, "\n");
	rc = parse(b, strlen(b), &r);
	ok(rc == 0 && r.events == 1 && !strncmp(r.log, "1 K k=vvv", 9) &&
		   strlen(r.log) == strlen("1 K k=") + (INI_MAX_LINE - 4) + 1,
	   "line of exactly %d bytes is accepted whole", INI_MAX_LINE);
	free(b);

	b = long_line(INI_MAX_LINE, "");
	rc = parse(b, strlen(b), &r);
	ok(rc == 0 && r.events == 1, "line of exactly %d bytes without newline", INI_MAX_LINE);
	free(b);

	b = long_line(INI_MAX_LINE + 1, "\nnext = 1\n");
	rc = parse(b, strlen(b), &r);
	ok(rc == 1 && same(r.log, "1 E ~longer\n2 K next=1\n"),
	   "line of %d bytes is an error, next line still parsed", INI_MAX_LINE + 1);
	free(b);

	b = long_line(INI_MAX_LINE + 1, "");
	rc = parse(b, strlen(b), &r);
	ok(rc == 1 && same(r.log, "1 E ~longer\n"), "overlong last line without newline");
	free(b);

	/* The limit counts the bytes before '\n'; a CR is part of the line. */
	b = long_line(INI_MAX_LINE, "\r\n");
	rc = parse(b, strlen(b), &r);
	ok(rc == 1 && same(r.log, "1 E ~longer\n"), "%d bytes plus CR is over the limit",
	   INI_MAX_LINE);
	free(b);

	/* An overlong comment is still an overlong line: nothing is truncated. */
	b = long_line(INI_MAX_LINE + 100, "\n");
	b[0] = '#';
	rc = parse(b, strlen(b), &r);
	ok(rc == 1 && same(r.log, "1 E ~longer\n"), "overlong comment line is an error");
	free(b);

	b = long_line(INI_MAX_LINE * 4, "\n[jail]\n");
	rc = parse(b, strlen(b), &r);
	ok(rc == 1 && same(r.log, "1 E ~longer\n2 S jail\n"), "4x overlong line");
	free(b);
}

/* A file of exactly n bytes made of full "a = b\n"-style lines. */
static char *file_of(size_t n, int *lines)
{
	char *b = malloc(n + 1);
	size_t pos = 0;

	*lines = 0;
	while (pos < n) {
		size_t left = n - pos, len = left > 64 ? 64 : left;

		memset(b + pos, ' ', len);
		if (len >= 4) {
			memcpy(b + pos, "k =", 3);
			b[pos + len - 2] = 'x';
		}
		b[pos + len - 1] = '\n';
		pos += len;
		(*lines)++;
	}
	b[n] = '\0';
	return b;
}

static void t_file_limit(void)
{
	struct rec r;
	char *b;
	int lines, rc;

	b = file_of(INI_MAX_FILE, &lines);
	rc = parse(b, INI_MAX_FILE, &r);
	ok(rc == 0 && r.events == lines, "file of exactly %d bytes is accepted (%d keys)",
	   INI_MAX_FILE, r.events);
	free(b);

	b = file_of(INI_MAX_FILE + 1, &lines);
	rc = parse(b, INI_MAX_FILE + 1, &r);
	ok(rc == 1 && r.events == 1 && same(r.log, "0 E ~larger\n"),
	   "file of %d bytes: one error on line 0, no other event", INI_MAX_FILE + 1);
	free(b);

	b = file_of(INI_MAX_FILE * 2, &lines);
	rc = parse(b, INI_MAX_FILE * 2, &r);
	ok(rc == 1 && r.events == 1, "file of %d bytes rejected", INI_MAX_FILE * 2);
	free(b);
}

static void t_nul(void)
{
	static const char a[] = "[jail]\nexec = /bin/a\0b\nhostname = h\n";
	static const char b[] = "[ja\0il]\n";
	static const char c[] = "\0\n";
	struct rec r;
	int rc;

	rc = parse(a, sizeof a - 1, &r);
	ok(rc == 1 && same(r.log, "1 S jail\n2 E ~NUL\n3 K hostname=h\n"),
	   "NUL inside a value: error on its line, parse goes on");
	rc = parse(b, sizeof b - 1, &r);
	ok(rc == 1 && same(r.log, "1 E ~NUL\n"), "NUL inside a section header");
	rc = parse(c, sizeof c - 1, &r);
	ok(rc == 1 && same(r.log, "1 E ~NUL\n"), "line holding only NUL");
	/* The buffer is not NUL-terminated: bytes after len must not be read. */
	rc = parse("k = v\nextra = 1\n", 5, &r);
	ok(rc == 0 && same(r.log, "1 K k=v\n"), "len bounds the parse, not a NUL");
}

static void t_callback_stop(void)
{
	struct rec r;
	int rc;

	memset(&r, 0, sizeof r);
	r.stop_after = 2;
	rc = ini_parse("[a]\nk = v\nj = w\n[b]\n", 20, record, &r);
	ok(rc == 42 && r.events == 2, "a nonzero callback return stops the parse and is returned");

	memset(&r, 0, sizeof r);
	r.stop_after = 1;
	rc = ini_parse("bad\nk = v\n", 10, record, &r);
	ok(rc == 42 && r.events == 1, "stopping on an error event");
}

int main(void)
{
	t_rows();
	t_line_limit();
	t_file_limit();
	t_nul();
	t_callback_stop();
	return done();
}
