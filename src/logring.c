/* Runs in: the supervisor, on bytes read from a jail's stdout/stderr pipe.
 * Pure: no I/O, no allocation. A jail's output is untrusted: every copy is
 * bounded by the caller's buffer sizes. */
#include "logring.h"

#include "esc.h"

#include <stdio.h>
#include <string.h>

void logring_init(struct logring *r, char *buf, size_t size)
{
	r->buf = buf;
	r->size = buf ? size : 0;
	r->head = 0;
	r->sol = r->nl = true;
	r->st = NULL;
	r->nst = r->first = r->count = 0;
}

void logring_init_timed(struct logring *r, char *buf, size_t size)
{
	logring_init(r, buf, size);
	if (buf) {
		r->st = (struct logring_stamp *)(void *)(buf + (size + 7) / 8 * 8);
		r->nst = LOGRING_STAMPS(size);
	}
}

/* The date from the day count by 400-year eras of 146097 days, each year
 * taken to begin on March 1st so that the leap day comes last. */
void logring_time_text(char *out, int64_t ms)
{
	uint64_t t = (uint64_t)ms / 1000, days = t / 86400 + 719468, doe, yoe, doy, mp;
	char s[80] = "-                        ";
	unsigned mon;

	if (ms >= 0 && ms < 253402300800000LL) {  /* before the year 10000 */
		doe = days % 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		mon = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
		snprintf(s, sizeof s, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ ",
			 (unsigned)(days / 146097 * 400 + yoe + (mon <= 2)), mon,
			 (unsigned)(doy - (153 * mp + 2) / 5 + 1), (unsigned)(t / 3600 % 24),
			 (unsigned)(t / 60 % 60), (unsigned)(t % 60), (unsigned)(ms % 1000));
	}
	memcpy(out, s, 25);
}

/* A stamp for the first line that begins in data, unless the newest stamp
 * has the same millisecond: the lines between two stamps share a time. */
static void stamp(struct logring *r, const char *data, size_t len, int64_t ms)
{
	const char *nl = r->nl ? NULL : memchr(data, '\n', len);
	size_t at = r->nl ? 0 : nl ? (size_t)(nl - data) + 1 : len;
	struct logring_stamp *last = r->count ? &r->st[(r->first + r->count - 1) % r->nst] : NULL;

	if (at >= len || (last && last->ms == ms))
		return;
	if (r->count == r->nst) {
		r->first = (r->first + 1) % r->nst;
		r->count--;
	}
	r->st[(r->first + r->count++) % r->nst] = (struct logring_stamp){ r->head + at, ms };
}

void logring_append_at(struct logring *r, const char *data, size_t len, int64_t ms)
{
	if (r->nst && len)
		stamp(r, data, len, ms);
	logring_append(r, data, len);
}

int64_t logring_time(const struct logring *r, uint64_t off)
{
	unsigned lo = 0, hi = r->count, mid;

	/* The newest stamp at or before off: stamps grow with their offsets. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (r->st[(r->first + mid) % r->nst].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? r->st[(r->first + lo - 1) % r->nst].ms : -1;
}

uint64_t logring_tail(const struct logring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

static char at(const struct logring *r, uint64_t off)
{
	return r->buf[off % r->size];
}

/* The ring may wrap under n bytes at off: how many fit before the end of buf. */
static size_t first_piece(const struct logring *r, uint64_t off, size_t n)
{
	size_t room = r->size - (size_t)(off % r->size);

	return n < room ? n : room;
}

void logring_append(struct logring *r, const char *data, size_t len)
{
	uint64_t end = r->head + len, tail = end > r->size ? end - r->size : 0;
	size_t f;

	if (len)
		r->nl = data[len - 1] == '\n';
	if (r->size == 0 || len == 0) {
		r->head = end;
		return;
	}
	/* The byte just before the new tail is the last to fall out: either
	 * still in the ring, about to be overwritten, or somewhere in data. */
	if (tail != logring_tail(r)) {
		uint64_t b = tail - 1;

		r->sol = (b >= r->head ? data[b - r->head] : at(r, b)) == '\n';
	}
	if (len > r->size) {
		data += len - r->size;
		r->head += len - r->size;
		len = r->size;
	}
	f = first_piece(r, r->head, len);
	memcpy(r->buf + r->head % r->size, data, f);
	memcpy(r->buf, data + f, len - f);
	r->head = end;
}

uint64_t logring_lines_start(const struct logring *r, unsigned n)
{
	uint64_t tail = logring_tail(r), off = r->head, oldest = 0;

	if (n == 0 || off == tail)
		return off;
	if (at(r, off - 1) == '\n')
		off--; /* the last line's own end */
	for (; off > tail; off--) {
		if (at(r, off - 1) != '\n')
			continue;
		if (--n == 0)
			return off;
		oldest = off;
	}
	return r->sol || !oldest ? tail : oldest;
}

size_t logring_read(const struct logring *r, uint64_t *off, char *out, size_t cap,
		    uint64_t *lost)
{
	uint64_t tail = logring_tail(r), skipped = 0;
	size_t n, f;

	if (*off < tail) {
		skipped = tail - *off;
		*off = tail;
	}
	if (*off > r->head)
		*off = r->head;
	if (lost)
		*lost = skipped;
	n = r->head - *off < cap ? (size_t)(r->head - *off) : cap;
	if (n == 0)
		return 0; /* also keeps an empty ring (size 0) out of the modulo */
	f = first_piece(r, *off, n);
	memcpy(out, r->buf + *off % r->size, f);
	memcpy(out + f, r->buf, n - f);
	*off += n;
	return n;
}

void logring_echo_init(struct logring_echo *e, const char *name)
{
	size_t n = strnlen(name, LOGRING_ECHO_PREFIX - 2);

	memcpy(e->line, name, n);
	memcpy(e->line + n, ": ", 2);
	e->prefix = e->len = n + 2;
}

/* The line goes out escaped (esc.h): a piece cut inside a UTF-8 character
 * shows its bytes as escapes. */
static void emit_line(struct logring_echo *e, logring_emit_fn emit, void *ctx)
{
	char out[LOGRING_ECHO_PREFIX + 4 * LOGRING_ECHO_LINE + 2];
	size_t n, used;

	memcpy(out, e->line, e->prefix);
	n = e->prefix + esc(out + e->prefix, sizeof out - e->prefix - 1, e->line + e->prefix,
			    e->len - e->prefix, ESC_LINE, true, &used);
	out[n++] = '\n';
	emit(ctx, out, n);
	e->len = e->prefix;
}

void logring_echo_feed(struct logring_echo *e, const char *data, size_t len,
		       logring_emit_fn emit, void *ctx)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\n') {
			emit_line(e, emit, ctx);
			continue;
		}
		if (c == '\r')
			continue;
		/* Full: this byte starts the next piece. Waiting for it means a
		 * line of exactly LOGRING_ECHO_LINE is not split. */
		if (e->len - e->prefix == LOGRING_ECHO_LINE)
			emit_line(e, emit, ctx);
		e->line[e->len++] = (char)c;
	}
}

void logring_echo_flush(struct logring_echo *e, logring_emit_fn emit, void *ctx)
{
	if (e->len > e->prefix)
		emit_line(e, emit, ctx);
}
