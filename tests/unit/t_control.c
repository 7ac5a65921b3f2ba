/* control_parse: the request codec the supervisor applies to untrusted bytes. */
#include "control.h"

#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *buf, size_t len, char **w)
{
	return control_parse(buf, len, w, CONTROL_MAX_WORDS);
}

int main(void)
{
	char *w[CONTROL_MAX_WORDS];
	static char big[CONTROL_MAX_REQUEST + 16];
	int n, i;

	n = parse("status\0\0", 8, w);
	ok(n == 1 && !strcmp(w[0], "status"), "one word");
	n = parse("logs\0-n\0003\0web\0\0", 15, w);
	ok(n == 4 && !strcmp(w[1], "-n") && !strcmp(w[2], "3") && !strcmp(w[3], "web"),
	   "four words");
	ok(parse("stat", 4, w) == 0, "a partial word needs more bytes");
	ok(parse("status\0", 7, w) == 0, "a request without its end needs more bytes");
	ok(parse("\0", 1, w) == 0, "an empty request is not a command");
	ok(parse("status\0\0x", 9, w) == -1, "bytes after the end are malformed");
	ok(parse("a\0\0b\0\0", 6, w) == -1, "two requests in one are malformed");

	memset(big, 'a', sizeof big);
	ok(parse(big, CONTROL_MAX_REQUEST, w) == -1, "a full buffer without a NUL is rejected");
	ok(parse(big, CONTROL_MAX_REQUEST - 1, w) == 0, "just under the limit waits for more");

	for (i = 0; i < 2 * (CONTROL_MAX_WORDS + 1); i += 2) {
		big[i] = 'x';
		big[i + 1] = '\0';
	}
	big[i] = '\0';
	ok(parse(big, (size_t)i + 1, w) == -1, "more than %d words is rejected", CONTROL_MAX_WORDS);
	ok(parse(big + 4, (size_t)i + 1 - 4, w) == CONTROL_MAX_WORDS - 1,
	   "%d words are accepted", CONTROL_MAX_WORDS - 1);
	return done();
}
