/* Runs in: every brig process of the static musl build. brig formats only %m
 * (errno's text), %s %d %i %u %x %c %% with the flags '-' '0' '#', a width and a precision
 * (digits or '*') and the lengths h l ll z j t; musl's full printf, float
 * formatting included, costs ten kilobytes of a binary whose budget is 128.
 * These definitions take the place of musl's, which every other printf
 * function calls. The unit tests, built against glibc, keep glibc's.
 *
 * brig writes text only to stdout and stderr, so musl's FILE machinery
 * (buffers, locks, the flush at exit) is left out too: stdin, stdout and
 * stderr below are stand-ins naming a descriptor, and every output call is
 * written through at once, one write(2) per call where it fits 1 KiB. */
#include <errno.h> /* first: it tells a glibc build by __GLIBC__ */
#if !defined(__GLIBC__)
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t size, len;  /* len counts every byte, even those that did not fit */
	int fd;            /* >= 0: a full buf is written to fd and reused */
	size_t done;       /* bytes of len already written to fd */
	bool failed;       /* a write to fd failed */
};

static void flush(struct out *o)
{
	const char *p = o->buf;
	size_t n = o->len - o->done;

	while (n && !o->failed) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			o->failed = true;
		else
			p += w, n -= (size_t)w;
	}
	o->done = o->len;
}

static void put(struct out *o, const char *s, size_t n)
{
	for (;;) {
		size_t at = o->len - o->done;
		size_t room = at < o->size ? o->size - at : 0;
		size_t k = n < room ? n : room;

		memcpy(o->buf + at, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (!n)
			return;
		if (o->fd < 0) {
			o->len += n;  /* snprintf: count what does not fit */
			return;
		}
		flush(o);
	}
}

static void pad(struct out *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, &c, 1);
}

/* One field: pre (sign or "0x"), then body, padded to width. */
static void field(struct out *o, const char *pre, const char *body, size_t n, int width,
		  bool left, bool zero)
{
	int fill = width - (int)(strlen(pre) + n);

	if (!left && !zero)
		pad(o, ' ', fill);
	put(o, pre, strlen(pre));
	if (!left && zero)
		pad(o, '0', fill);
	put(o, body, n);
	if (left)
		pad(o, ' ', fill);
}

static int number(const char **f, va_list *ap)
{
	int n = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		n = n * 10 + *(*f)++ - '0';
	return n;
}

static int format(struct out *o, const char *f, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	for (; *f; f++) {
		bool left = false, zero = false, alt = false;
		int width, prec = -1, lng = 0;
		char tmp[24], *p = tmp + sizeof tmp;
		unsigned long long v;
		const char *s;

		if (*f != '%') {
			const char *e = strchrnul(f, '%');

			put(o, f, (size_t)(e - f));
			f = e - 1;
			continue;
		}
		for (f++; *f == '-' || *f == '0' || *f == '#' || *f == ' ' || *f == '+'; f++) {
			left |= *f == '-';
			zero |= *f == '0';
			alt |= *f == '#';
		}
		width = number(&f, &ap);
		if (width < 0) {
			left = true;
			width = -width;
		}
		if (*f == '.') {
			f++;
			prec = number(&f, &ap);
		}
		for (; strchr("hlzjt", *f) && *f; f++)
			lng += *f == 'l' || *f == 'z' || *f == 'j' || *f == 't' ? 1 : 0;
		switch (*f) {
		case 'm':  /* glibc's: the text of errno */
		case 's':
			s = *f == 'm' ? strerror(errno) : va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			field(o, "", s, prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s), width, left,
			      false);
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			field(o, "", tmp, 1, width, left, false);
			break;
		case 'd':
		case 'i': {
			long long sv = lng >= 2 ? va_arg(ap, long long)
				       : lng   ? va_arg(ap, long)
					       : va_arg(ap, int);

			v = sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv;
			do
				*--p = (char)('0' + v % 10);
			while (v /= 10);
			field(o, sv < 0 ? "-" : "", p, (size_t)(tmp + sizeof tmp - p), width, left,
			      zero && !left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng >= 2 ? va_arg(ap, unsigned long long)
			    : lng   ? va_arg(ap, unsigned long)
				    : va_arg(ap, unsigned);
			{
				unsigned base = *f == 'u' ? 10 : 16;
				const char *dig = *f == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
				bool nonzero = v != 0;

				do
					*--p = dig[v % base];
				while (v /= base);
				field(o, alt && base == 16 && nonzero ? "0x" : "", p,
				      (size_t)(tmp + sizeof tmp - p), width, left, zero && !left);
			}
			break;
		case '%':
			put(o, "%", 1);
			break;
		default:  /* not used by brig: print it as it stands */
			put(o, "%", 1);
			if (!*f)
				f--;
			else
				put(o, f, 1);
			break;
		}
	}
	va_end(ap);
	return o->len > INT32_MAX ? -1 : (int)o->len;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct out o = { buf, size ? size - 1 : 0, 0, -1, 0, false };
	int n = format(&o, fmt, ap);

	if (size)
		buf[o.len < o.size ? o.len : o.size] = '\0';
	return n;
}

/* ---- stdio stand-ins: a FILE is a pointer to its descriptor number ---- */

static const int std_fds[3] = { 0, 1, 2 };
FILE *const stdin = (FILE *)&std_fds[0];
FILE *const stdout = (FILE *)&std_fds[1];
FILE *const stderr = (FILE *)&std_fds[2];

#define FD_OF(f) (*(const int *)(const void *)(f))

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	char buf[1024];
	struct out o = { buf, sizeof buf, 0, FD_OF(f), 0, false };
	int n = format(&o, fmt, ap);

	flush(&o);
	return o.failed ? -1 : n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	struct out o = { (char *)p, size * n, size * n, FD_OF(f), 0, false };

	flush(&o);
	return o.failed ? 0 : n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	return fwrite(s, 1, strlen(s), f) || !*s ? 0 : EOF;
}

int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int fputc(int c, FILE *f)
{
	unsigned char b = (unsigned char)c;

	return fwrite(&b, 1, 1, f) ? b : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fflush(FILE *f)
{
	(void)f;
	return 0;  /* nothing is ever buffered */
}
#endif
