/* Runs in: a libFuzzer process, or the replay program built with
 * -DFUZZ_REPLAY (its main() runs each file named on the command line once,
 * so a crash file can be replayed under gdb or a gcc sanitizer build).
 *
 * The input is one or more jail files separated by form feeds ('\f'). Each
 * part is parsed as jail "a", "b", ... (so `after` between them can name
 * each other), the set's `after` graph is checked, neighbours are compared
 * with config_equal(), and the whole input is also parsed as brig.ini.
 * Everything is freed: a leak is a finding. */
#include "cfgdir.h"
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_JAILS 8

static void quiet(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	/* Read every byte of the message, so a missing NUL shows up in ASan. */
	size_t *sum = ctx;

	*sum += strlen(file) + strlen(msg) + (size_t)line + warning;
}

static void parse_jails(const uint8_t *data, size_t size, struct diag *d)
{
	static struct config_set set;
	const char *p = (const char *)data, *end = p + size;
	int i;

	memset(&set, 0, sizeof set);
	while (set.njails < FUZZ_MAX_JAILS) {
		const char *ff = memchr(p, '\f', (size_t)(end - p));
		size_t n = ff ? (size_t)(ff - p) : (size_t)(end - p);
		char name[2] = { (char)('a' + set.njails), '\0' };
		struct jail_cfg *c = malloc(sizeof *c);

		if (!c)
			break;
		config_defaults(c, name);
		config_parse(name, p, n, c, d);
		set.jails[set.njails++] = c;
		if (!ff)
			break;
		p = ff + 1;
	}
	config_check_graph(&set, NULL, NULL, d);
	for (i = 1; i < set.njails; i++)
		(void)config_equal(set.jails[i - 1], set.jails[i]);
	config_free_set(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t sum = 0;
	struct diag d = { .emit = quiet, .ctx = &sum };
	struct init_cfg ic;

	parse_jails(data, size, &d);
	config_parse_init("brig.ini", (const char *)data, size, &ic, &d);
	config_free_init(&ic);
	return 0;
}

#include "replay.h"
