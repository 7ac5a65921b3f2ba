/* Runs in: the supervisor, on bytes read from a jail's stdout/stderr pipe.
 * Pure: no I/O, no allocation. A jail's output is untrusted: every copy is
 * bounded by the caller's buffer sizes. */
#include "logring.h"

#include <string.h>

void logring_init(struct logring *r, char *buf, size_t size)
{
	r->buf = buf;
	r->size = buf ? size : 0;
	r->head = 0;
	r->sol = true;
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

static void emit_line(struct logring_echo *e, logring_emit_fn emit, void *ctx)
{
	e->line[e->len++] = '\n';
	emit(ctx, e->line, e->len);
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
		e->line[e->len++] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
}

void logring_echo_flush(struct logring_echo *e, logring_emit_fn emit, void *ctx)
{
	if (e->len > e->prefix)
		emit_line(e, emit, ctx);
}
