/* Runs in: check, run, the supervisor and PID 1, whenever config loads, and
 * the clients (signal names). The value syntaxes of brig.ini(5): numbers,
 * durations, sizes, booleans, signals, jail names and command lines. */
#include "value.h"

#include "ini.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int value_number(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	*end = s;
	return 0;
}

static int scaled(uint64_t v, uint64_t mul, uint64_t *out)
{
	if (mul && v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int value_duration_ms(const char *s, uint64_t *out)
{
	static const uint32_t ms[] = { 1, 1000, 60000, 3600000 };
	const char *end, *u;
	uint64_t v;
	int i;

	if (value_number(s, &v, &end) < 0)
		return -1;
	if (!*end)
		return scaled(v, 1000, out);  /* a bare number of seconds */
	for (i = 0; (u = value_nth("ms\0s\0m\0h\0", i)); i++)
		if (!strcmp(end, u))
			return scaled(v, ms[i], out);
	return -1;
}

int value_size(const char *s, uint64_t *out)
{
	const char *end;
	const char *p;
	uint64_t v;
	static const char suffix[] = "KMG";

	if (value_number(s, &v, &end) < 0)
		return -1;
	if (!*end) {
		*out = v;
		return 0;
	}
	if (end[1])
		return -1;
	p = strchr(suffix, *end);
	if (!p || !*p)
		return -1;
	return scaled(v, 1ULL << (10 * (p - suffix + 1)), out);
}

int value_bool(const char *s, bool *out)
{
	/* Pairs: true then false. */
	static const char words[] = "yes\0no\0true\0false\0on\0off\0001\0000\0";
	const char *w;
	int i;

	for (i = 0; (w = value_nth(words, i)); i++)
		if (!strcasecmp(s, w))
			return *out = !(i & 1), 0;
	return -1;
}

/* The names of signals 1 to 31, in order. MIPS numbers them its own way;
 * every other architecture brig builds for has the generic Linux numbers.
 * The assertions catch an architecture that differs from both. */
#ifdef __mips__
static const char signal_names[] =
	"HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0EMT\0FPE\0KILL\0BUS\0SEGV\0SYS\0PIPE\0ALRM\0"
	"TERM\0USR1\0USR2\0CHLD\0PWR\0WINCH\0URG\0IO\0STOP\0TSTP\0CONT\0TTIN\0TTOU\0"
	"VTALRM\0PROF\0XCPU\0XFSZ\0";
_Static_assert(SIGEMT == 7 && SIGUSR1 == 16 && SIGPWR == 19 && SIGSTOP == 23 &&
		       SIGXFSZ == 31,
	       "signal_names needs the MIPS signal numbers");
#else
static const char signal_names[] =
	"HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0USR1\0SEGV\0USR2\0PIPE\0ALRM\0"
	"TERM\0STKFLT\0CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0VTALRM\0PROF\0"
	"WINCH\0IO\0PWR\0SYS\0";
_Static_assert(SIGBUS == 7 && SIGUSR1 == 10 && SIGSTKFLT == 16 && SIGCHLD == 17 &&
		       SIGPWR == 30 && SIGSYS == 31,
	       "signal_names needs the generic Linux signal numbers");
#endif

const char *value_nth(const char *list, int i)
{
	for (; *list && i > 0; i--)
		list += strlen(list) + 1;
	return *list ? list : NULL;
}

int value_signal(const char *s, int *out)
{
	const char *end, *n;
	uint64_t v;
	int i;

	if (isdigit((unsigned char)*s)) {
		if (value_number(s, &v, &end) < 0 || *end || v < 1 || v > 64)
			return -1;
		*out = (int)v;
		return 0;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; (n = value_nth(signal_names, i)); i++)
		if (!strcasecmp(s, n))
			return *out = i + 1, 0;
	return -1;
}

const char *value_signal_name(int sig)
{
	return sig >= 1 ? value_nth(signal_names, sig - 1) : NULL;
}

bool value_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > VALUE_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '-' && *name != '_')
			return false;
	return true;
}

/* Shell-like word splitting: quotes and backslashes only. */
int value_split(const char *s, char **argv, int max, int *argc, struct err *e)
{
	char word[INI_MAX_LINE + 1];
	int n = 0;

	for (;;) {
		size_t w = 0;
		char quote = 0;
		bool have = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
			have = true;
			if (w >= sizeof word - 1) {
				err_set(e, 0, "a word longer than %d bytes", INI_MAX_LINE);
				goto fail;
			}
			if (quote == '\'' && *s != '\'') {
				word[w++] = *s;
			} else if (*s == quote) {
				quote = 0;
			} else if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else if (*s == '\\' && s[1] &&
				   (!quote || s[1] == '"' || s[1] == '\\')) {
				word[w++] = *++s;
			} else {
				word[w++] = *s;
			}
		}
		if (quote) {
			err_set(e, 0, "unterminated %s quote",
				 quote == '"' ? "double" : "single");
			goto fail;
		}
		if (!have)
			break;
		if (n >= max) {
			err_set(e, 0, "more than %d words", max);
			goto fail;
		}
		word[w] = '\0';
		argv[n] = strdup(word);
		if (!argv[n]) {
			err_set(e, 0, "out of memory");
			goto fail;
		}
		n++;
	}
	argv[n] = NULL;
	*argc = n;
	return 0;
fail:
	while (n > 0)
		free(argv[--n]);
	argv[0] = NULL;
	*argc = 0;
	return -1;
}

/* IPv6 groups into bin; at p, returns what follows or NULL. */
static const char *ipv6(const char *p, unsigned char bin[16])
{
	uint16_t w[8];
	int n = 0, gap = -1, i, digits;

	if (p[0] == ':' && p[1] == ':') {
		gap = 0;
		p += 2;
	}
	while (n < 8 && isxdigit((unsigned char)*p)) {
		for (w[n] = 0, digits = 0; isxdigit((unsigned char)*p) && digits < 4; p++, digits++)
			w[n] = (uint16_t)(w[n] << 4 | (isdigit((unsigned char)*p) ? *p - '0'
								       : (*p | 32) - 'a' + 10));
		n++;
		if (*p != ':')
			break;
		if (p[1] == ':') {
			if (gap >= 0)
				return NULL;
			gap = n;
			p += 2;
		} else if (!isxdigit((unsigned char)*++p)) {
			return NULL;
		}
	}
	if (isxdigit((unsigned char)*p) || *p == ':' || (gap < 0 ? n != 8 : n > 7))
		return NULL;
	memset(bin, 0, 16);
	for (i = 0; i < n; i++) {
		int at = gap >= 0 && i >= gap ? 8 - n + i : i;

		bin[2 * at] = (unsigned char)(w[i] >> 8);
		bin[2 * at + 1] = (unsigned char)w[i];
	}
	return p;
}

int value_ip(const char *s, unsigned char bin[16], int *prefix, const char **end)
{
	int fam = strchr(s, ':') && strcspn(s, ":") < strcspn(s, " ") ? 6 : 4, i;
	uint64_t n;

	if (fam == 6) {
		if (!(s = ipv6(s, bin)))
			return -1;
	} else {
		for (i = 0; i < 4; i++) {
			if (value_number(s, &n, end) < 0 || n > 255 || *end - s > 3 ||
			    (i < 3 && **end != '.'))
				return -1;
			bin[i] = (unsigned char)n;
			s = *end + (i < 3);
		}
	}
	*prefix = -1;
	*end = s;
	if (*s == '/') {
		if (value_number(s + 1, &n, end) < 0 || n > (fam == 4 ? 32u : 128u))
			return -1;
		*prefix = (int)n;
	}
	return **end && **end != ' ' ? -1 : fam;
}
