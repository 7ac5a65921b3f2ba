/* INI syntax only: sections, key = value lines, comments, limits. It knows
 * nothing of brig's keys; config.c gives the events meaning. Fuzzed. */
#ifndef BRIG_INI_H
#define BRIG_INI_H

#include <stddef.h>

#define INI_MAX_FILE (64 * 1024)
#define INI_MAX_LINE (4 * 1024)

enum ini_event {
	INI_SECTION,  /* key holds the section name, value is NULL */
	INI_KEY,      /* key and value, both trimmed */
	INI_ERROR,    /* key holds the message; the parser goes on with the next line */
};

/* Called once per event with the 1-based line number. key and value point
 * into a scratch buffer valid only during the call. Returning nonzero stops
 * the parse. */
typedef int (*ini_cb)(void *ctx, enum ini_event ev, int line, const char *key, const char *value);

/* Parses buf[0..len). Returns the number of INI_ERROR events sent, or the
 * callback's nonzero return when it stopped the parse. A buffer larger than
 * INI_MAX_FILE gives one error on line 0 and no other event. */
int ini_parse(const char *buf, size_t len, ini_cb cb, void *ctx);

#endif
