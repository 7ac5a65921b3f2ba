/* Runs in: a libFuzzer process, or the -DFUZZ_REPLAY program whose main()
 * replays the files named on its command line.
 *
 * INI syntax alone. Besides "no crash", it checks the contract of ini.h on
 * every event: line numbers never go down and never pass the number of
 * lines, keys and values are NUL-terminated, trimmed and free of '\n', and
 * the return value counts the errors. A broken contract aborts. */
#include "ini.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	int last_line, max_line, errors;
};

static int trimmed(const char *s)
{
	size_t n = strlen(s);
	const char *blank = " \t\r";

	return n == 0 || (!strchr(blank, s[0]) && !strchr(blank, s[n - 1]));
}

static int event(void *ctx, enum ini_event ev, int line, const char *key, const char *value)
{
	struct seen *s = ctx;

	if (line < s->last_line || line > s->max_line || !key || strchr(key, '\n'))
		abort();
	s->last_line = line;
	switch (ev) {
	case INI_SECTION:
		if (value || !*key || !trimmed(key))
			abort();
		break;
	case INI_KEY:
		if (!value || !*key || !trimmed(key) || !trimmed(value) || strchr(value, '\n'))
			abort();
		break;
	case INI_ERROR: s->errors++; break;
	default: abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0, 1, 0 };
	size_t i;
	int rc;

	for (i = 0; i < size; i++)
		s.max_line += data[i] == '\n';
	rc = ini_parse((const char *)data, size, event, &s);
	if (rc != s.errors)
		abort();
	return 0;
}

#include "replay.h"
