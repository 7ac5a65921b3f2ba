/* The value syntaxes of jail files (brig.ini(5), Syntax). Pure: no I/O; value_split
 * alone allocates (the words it returns). */
#ifndef BRIG_VALUE_H
#define BRIG_VALUE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VALUE_NAME_MAX 32  /* a jail name's length */

/* A decimal number at s into *out (no overflow); the rest of s in *end.
 * 0 ok, -1 no digit or too large. */
int value_number(const char *s, uint64_t *out, const char **end);
/* "250ms", "5s", "2m", "1h" or a bare number of seconds. 0 ok, -1 bad. */
int value_duration_ms(const char *s, uint64_t *out);
/* "4096", "64K", "16M", "1G" (powers of 1024). 0 ok, -1 bad. */
int value_size(const char *s, uint64_t *out);
/* yes/no, true/false, on/off, 1/0. 0 ok, -1 bad. */
int value_bool(const char *s, bool *out);
/* "TERM", "SIGTERM", "15". 0 ok, -1 unknown. */
int value_signal(const char *s, int *out);
/* "TERM" for SIGTERM; NULL if unknown. */
const char *value_signal_name(int sig);
/* The i-th (from 0) of a list of NUL-terminated words ended by an empty
 * one ("a\0b\0"), or NULL past its end. */
const char *value_nth(const char *list, int i);
/* "ADDR" or "ADDR/PREFIX" up to the end of s or a blank: an IPv4 dotted
 * quad or an IPv6 address (one "::" at most, no dotted tail). Returns 4 or
 * 6 with bin (4 or 16 bytes, network order) and *prefix (-1: none) filled,
 * and *end after it; -1 when it is neither. */
int value_ip(const char *s, unsigned char bin[16], int *prefix, const char **end);
/* Letters, digits, '-' and '_', 1 to 32 characters. */
bool value_valid_name(const char *name);
/* Splits a command line into argv like a shell does with quotes and
 * backslashes only (each word malloc'd, argv NULL-terminated); -1 with *e
 * filled on a syntax error. */
int value_split(const char *s, char **argv, int max, int *argc, struct err *e);

#endif
