/* Unit tests of esc.c: what a terminal or a JSON parser gets of untrusted
 * text. The model: every byte is either part of a valid UTF-8 character
 * that is not a control (copied), or shown as an escape. */
#include "esc.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"

static const char *run(const char *in, size_t len, enum esc_mode m)
{
	static char out[512];
	size_t used;

	esc(out, sizeof out, in, len, m, true, &used);
	return used == len ? out : "(not all consumed)";
}

#define RUN(s, m) run(s, sizeof s - 1, m)

static void t_controls(void)
{
	ok(!strcmp(RUN("a\033[2Jb", ESC_TEXT), "a\\x1b[2Jb"), "ESC is escaped");
	ok(!strcmp(RUN("a\x9b" "31m", ESC_TEXT), "a\\x9b31m"), "raw 0x9B (C1 CSI) is escaped");
	ok(!strcmp(RUN("a\xc2\x9b" "31m", ESC_TEXT), "a\\x9b31m"),
	   "U+009B in UTF-8 is escaped as one character");
	ok(!strcmp(RUN("\xc2\x80\xc2\x9f\xc2\xa0", ESC_TEXT), "\\x80\\x9f\xc2\xa0"),
	   "the C1 range is U+0080..U+009F; U+00A0 is kept");
	ok(!strcmp(RUN("a\tb\nc\r\x7f", ESC_TEXT), "a\tb\nc\\x0d\\x7f"),
	   "text: tab and newline kept, CR and DEL escaped");
	ok(!strcmp(RUN("a\nb", ESC_LINE), "a\\x0ab"), "line: newline escaped");
	ok(!strcmp(RUN("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", ESC_TEXT),
		   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "valid UTF-8 is kept");
}

static void t_invalid(void)
{
	ok(!strcmp(RUN("\xc0\xaf", ESC_TEXT), "\\xc0\\xaf"), "overlong form escaped");
	ok(!strcmp(RUN("\xed\xa0\x80", ESC_TEXT), "\\xed\\xa0\\x80"), "surrogate escaped");
	ok(!strcmp(RUN("\xf4\x90\x80\x80", ESC_TEXT), "\\xf4\\x90\\x80\\x80"),
	   "past U+10FFFF escaped");
	ok(!strcmp(RUN("\xe2\x82", ESC_TEXT), "\\xe2\\x82"), "a cut sequence at the end, final");
	ok(!strcmp(RUN("\xff" "a", ESC_TEXT), "\\xffa"), "0xFF escaped");
}

static void t_json(void)
{
	ok(!strcmp(RUN("a\"b\\c\n\x01", ESC_JSON), "a\\\"b\\\\c\\u000a\\u0001"),
	   "json: quote, backslash, controls");
	ok(!strcmp(RUN("\x9b\xc2\x9b\xc3\xa9\t", ESC_JSON), "\\u009b\\u009b\xc3\xa9\\u0009"),
	   "json: invalid byte and C1 as \\u00XX, UTF-8 kept, tab escaped");
}

static void t_stream(void)
{
	char out[64];
	size_t used, n;

	n = esc(out, sizeof out, "ab\xe2\x82", 4, ESC_TEXT, false, &used);
	ok(n == 2 && used == 2, "not final: a cut sequence is left for the next call");
	n = esc(out, sizeof out, "\xe2\x82\xac", 3, ESC_TEXT, false, &used);
	ok(n == 3 && used == 3, "... and taken whole with its rest");
	n = esc(out, 6, "ab\x1b" "cd", 5, ESC_TEXT, true, &used);
	ok(n == 2 && used == 2 && !strcmp(out, "ab"), "an escape that does not fit is not cut");
	n = esc(out, 1, "abc", 3, ESC_TEXT, true, &used);
	ok(n == 0 && used == 0 && out[0] == '\0', "cap 1: only the NUL");
	ok(!strcmp(esc_str(out, 8, "\x1b\x1b\x1b", ESC_LINE), "\\x1b"),
	   "esc_str cuts whole escapes");
}

/* Every 3-byte input: the output holds no control and only valid UTF-8,
 * so escaping it again changes nothing. */
static void t_exhaustive(void)
{
	unsigned bad = 0, a, b, c;

	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b += 3)
			for (c = 0; c < 256; c += 5) {
				char in[3] = { (char)a, (char)b, (char)c }, out[32], again[64];
				size_t used, u2, n, m;

				n = esc(out, sizeof out, in, 3, ESC_LINE, true, &used);
				m = esc(again, sizeof again, out, n, ESC_LINE, true, &u2);
				if (used != 3 || m != n || memcmp(out, again, n) ||
				    strchr(out, '\n'))
					bad++;
			}
	ok(bad == 0, "any 3-byte input comes out clean: escaping it again is a no-op (%u bad)",
	   bad);
}

int main(void)
{
	t_controls();
	t_invalid();
	t_json();
	t_stream();
	t_exhaustive();
	return done();
}
