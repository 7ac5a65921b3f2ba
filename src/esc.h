/* Text from a jail (its output, sd_notify STATUS=, names from files) on its
 * way to a terminal or a JSON parser: control characters escaped, and only
 * valid UTF-8 let through. Pure: no I/O, no allocation. */
#ifndef BRIG_ESC_H
#define BRIG_ESC_H

#include <stdbool.h>
#include <stddef.h>

enum esc_mode {
	ESC_TEXT,  /* a terminal, several lines: \n and \t kept, the rest as \xNN */
	ESC_LINE,  /* a terminal, one line: \t kept, \n too is \x0a */
	ESC_JSON,  /* a JSON string's inside: \" \\ and \u00NN */
};

/* Escapes C0 controls, DEL, the C1 controls U+0080..U+009F and every byte
 * that is not part of valid UTF-8 (0x9B alone is "\x9b"; in JSON it becomes
 * "\u009b", valid UTF-8 that a terminal shows and a parser takes). Writes
 * at most cap - 1 bytes and a NUL to out, stopping before an escape that
 * does not fit; *used gets the bytes of in consumed. Unless final, a UTF-8
 * sequence cut by the end of in is left for the next call. Returns the
 * length written. */
size_t esc(char *out, size_t cap, const char *in, size_t len, enum esc_mode m, bool final,
	   size_t *used);

/* esc() of a NUL-terminated string, whole: what does not fit is cut. */
const char *esc_str(char *out, size_t cap, const char *s, enum esc_mode m);

#endif
