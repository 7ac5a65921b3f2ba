/* Runs in: every brig process of the static musl build. Smaller stand-ins
 * for musl functions whose generality brig does not use, each taking the
 * place of musl's own (like fmt.c's printf and alloc.c's malloc):
 *   strstr, memmem  a plain search: brig searches lines of /proc and
 *                   cgroup files, where musl's two-way algorithm (2.5 KiB)
 *                   gains nothing;
 *   strtoul, strtoull  without musl's FILE-based scanner (2 KiB);
 *   setrlimit       prlimit64 for this thread only: brig has one thread, so
 *                   musl's broadcast to every thread is dead weight.
 * The unit tests, built against glibc, keep glibc's. */
#include <errno.h> /* first: it tells a glibc build by __GLIBC__ */
#if !defined(__GLIBC__)
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void *memmem(const void *hay, size_t hl, const void *needle, size_t nl)
{
	const char *h = hay;

	for (; nl <= hl; h++, hl--)
		if (!memcmp(h, needle, nl))
			return (void *)h;
	return NULL;
}

char *strstr(const char *hay, const char *needle)
{
	return memmem(hay, strlen(hay), needle, strlen(needle));
}

static unsigned digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	c |= 32;
	return c >= 'a' && c <= 'z' ? (unsigned)(c - 'a' + 10) : 99;
}

/* C's strtoul for a result of at most max: blanks, a sign, then digits of
 * base (0: a 0x prefix means 16, a leading 0 means 8, else 10). */
static unsigned long long scan(const char *s, char **end, int base, unsigned long long max)
{
	const char *p = s;
	unsigned long long v = 0;
	bool neg = false, any = false, over = false;
	unsigned d;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (; (d = digit(*p)) < (unsigned)base; p++) {
		any = true;
		if (v > (max - d) / (unsigned)base)
			over = true;
		else
			v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (over) {
		errno = ERANGE;
		return max;
	}
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)scan(s, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return scan(s, end, base, ULLONG_MAX);
}

int setrlimit(int resource, const struct rlimit *lim)
{
	return (int)syscall(SYS_prlimit64, 0, resource, lim, NULL);
}
#endif
