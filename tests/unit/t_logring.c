/* Unit tests of logring.c: the log ring, the follower cursor, the echo. */
#include "logring.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* Reads everything from *off on into out (NUL-terminated). */
static size_t read_all(const struct logring *r, uint64_t *off, char *out, size_t cap,
		       uint64_t *lost)
{
	size_t n = 0, got;
	uint64_t l;

	*lost = 0;
	while ((got = logring_read(r, off, out + n, cap - 1 - n, &l)) > 0) {
		*lost += l;
		n += got;
	}
	*lost += l;
	out[n] = '\0';
	return n;
}

/* The last n lines as a string. */
static const char *last(const struct logring *r, unsigned n)
{
	static char out[4096];
	uint64_t off = logring_lines_start(r, n), lost;

	read_all(r, &off, out, sizeof out, &lost);
	return out;
}

static void t_empty(void)
{
	struct logring r;
	char buf[8], out[16];
	uint64_t off = 0, lost = 1;

	logring_init(&r, buf, sizeof buf);
	ok(logring_lines_start(&r, 5) == 0 && logring_tail(&r) == 0, "empty: no lines");
	ok(logring_read(&r, &off, out, sizeof out, &lost) == 0 && off == 0 && lost == 0,
	   "empty: nothing to read, nothing lost");
}

static void t_lines(void)
{
	struct logring r;
	char buf[64];

	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "one\ntwo\nthree\n", 14);
	ok(strcmp(last(&r, 1), "three\n") == 0, "last 1 line");
	ok(strcmp(last(&r, 2), "two\nthree\n") == 0, "last 2 lines");
	ok(strcmp(last(&r, 3), "one\ntwo\nthree\n") == 0, "last 3 of 3 lines");
	ok(strcmp(last(&r, 100), "one\ntwo\nthree\n") == 0, "100 lines asked, 3 held: all 3");
	ok(strcmp(last(&r, 0), "") == 0, "0 lines: nothing");
	logring_append(&r, "fo", 2);
	ok(strcmp(last(&r, 1), "fo") == 0, "an unterminated last line counts as a line");
	logring_append(&r, "ur\nfi", 5);
	logring_append(&r, "ve", 2);
	logring_append(&r, "", 0);
	logring_append(&r, NULL, 0);
	logring_append(&r, "\n", 1);
	ok(strcmp(last(&r, 2), "four\nfive\n") == 0, "partial lines across appends join up");
	logring_append(&r, "\n\n", 2);
	ok(strcmp(last(&r, 2), "\n\n") == 0, "empty lines are lines");
}

static void t_exactly_full(void)
{
	struct logring r;
	char buf[8];

	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "abc\ndef\n", 8);
	ok(logring_tail(&r) == 0 && r.head == 8, "exactly full: nothing dropped");
	ok(strcmp(last(&r, 9), "abc\ndef\n") == 0, "exactly full: every line");
	logring_append(&r, "g", 1);
	ok(logring_tail(&r) == 1 && strcmp(last(&r, 9), "def\ng") == 0,
	   "one byte more: the cut line is skipped");
}

static void t_wraparound(void)
{
	struct logring r;
	char buf[10];

	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "aaa\nbbb\n", 8);
	logring_append(&r, "ccc\n", 4);
	ok(logring_tail(&r) == 2 && strcmp(last(&r, 1), "ccc\n") == 0,
	   "wraparound: the newest line reads across the end of buf");
	ok(strcmp(last(&r, 5), "bbb\nccc\n") == 0, "wraparound: oldest data overwritten");
	logring_append(&r, "dd\nee\n", 6);
	ok(r.sol && strcmp(last(&r, 4), "ccc\ndd\nee\n") == 0,
	   "wraparound: tail exactly on a line start keeps that line");
}

static void t_long_line(void)
{
	struct logring r;
	char buf[8];

	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "0123456789abcdef", 16);
	ok(logring_tail(&r) == 8 && strcmp(last(&r, 1), "89abcdef") == 0,
	   "a line longer than the ring: its last size bytes");
	ok(strcmp(last(&r, 5), "89abcdef") == 0,
	   "a line longer than the ring: shown although its start is gone");
	logring_append(&r, "gh\nij", 5);
	ok(strcmp(last(&r, 5), "ij") == 0, "its remains are skipped once a whole line follows");
	ok(strcmp(last(&r, 1), "ij") == 0, "last 1 line after a long one");
	logring_append(&r, "xx\n0123456789\n", 14);
	ok(strcmp(last(&r, 1), "3456789\n") == 0, "a long line in one append");
	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "xy\n", 3);
	logring_append(&r, "a\n01234567", 10);
	ok(r.sol && strcmp(last(&r, 5), "01234567") == 0,
	   "the newline before the tail came in the same append");
}

static void t_follower(void)
{
	struct logring r;
	char buf[16], out[64];
	uint64_t off = 0, lost = 0;
	size_t n;

	logring_init(&r, buf, sizeof buf);
	logring_append(&r, "hello\n", 6);
	n = logring_read(&r, &off, out, 4, &lost);
	ok(n == 4 && off == 4 && lost == 0 && memcmp(out, "hell", 4) == 0,
	   "follower: a small buffer gets a piece");
	n = logring_read(&r, &off, out, sizeof out, &lost);
	ok(n == 2 && off == 6 && memcmp(out, "o\n", 2) == 0, "follower: then the rest");
	ok(logring_read(&r, &off, out, sizeof out, &lost) == 0 && off == 6,
	   "follower: in sync, nothing new");
	logring_append(&r, "0123456789", 10);
	logring_append(&r, "ABCDEFGHIJ", 10);
	n = logring_read(&r, &off, out, sizeof out, &lost);
	ok(lost == 4 && off == 26 && n == 16 && memcmp(out, "456789ABCDEFGHIJ", 16) == 0,
	   "follower fell behind: told how much was lost, resumes at the oldest byte");
	off = 1000;
	ok(logring_read(&r, &off, out, sizeof out, &lost) == 0 && off == 26 && lost == 0,
	   "a cursor beyond head moves back to head");
	logring_append(&r, "K\nL\n", 4);
	off = logring_lines_start(&r, 1);
	logring_append(&r, "M\n", 2);
	n = logring_read(&r, &off, out, sizeof out, NULL);
	ok(off == 32 && n == 4 && memcmp(out, "L\nM\n", 4) == 0,
	   "logs -f -n 1: lines_start, then follow (lost may be NULL)");
}

static void t_zero_size(void)
{
	struct logring r;
	uint64_t off = 0, lost = 0;
	char out[8];

	logring_init(&r, NULL, 0);
	logring_append(&r, "abc\n", 4);
	ok(r.head == 4 && logring_lines_start(&r, 3) == 4, "size 0: keeps nothing");
	ok(logring_read(&r, &off, out, sizeof out, &lost) == 0 && lost == 4 && off == 4,
	   "size 0: a follower learns it lost everything");
}

/* Where the last n lines start, worked out forward over everything ever
 * written, to check the ring against. */
static uint64_t model_lines_start(const char *all, uint64_t head, uint64_t size, unsigned n)
{
	uint64_t tail = head > size ? head - size : 0, starts[4096], i;
	size_t k = 0;

	if (n == 0 || head == tail)
		return head;
	for (i = tail; i < head; i++)
		if (i == 0 || all[i - 1] == '\n')
			starts[k++] = i;
	if (k == 0)
		return tail; /* only the remains of a cut line */
	return k > n ? starts[k - n] : starts[0];
}

/* Random appends against a model that keeps everything. */
static void t_model(void)
{
	static char all[1 << 16];
	static const size_t sizes[] = { 1, 2, 3, 7, 16, 61, 256 };
	unsigned seed = 1;
	size_t z, i, bad_read = 0, bad_lines = 0, bad_follow = 0;

	for (z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		char buf[256], out[512];
		struct logring r;
		uint64_t head = 0, follow = 0, lost;

		logring_init(&r, buf, sizes[z]);
		while (head < sizeof all - 600) {
			size_t len = (size_t)(rand_r(&seed) % 40), tail, want;
			unsigned n;

			if (rand_r(&seed) % 10 == 0)
				len = (size_t)(rand_r(&seed) % 600);
			for (i = 0; i < len; i++)
				all[head + i] = rand_r(&seed) % 5 ? (char)('a' + i % 26) : '\n';
			logring_append(&r, all + head, len);
			head += len;
			tail = head > sizes[z] ? head - sizes[z] : 0;
			{
				uint64_t off = 0;

				want = read_all(&r, &off, out, sizeof out, &lost);
				if (want != head - tail || memcmp(out, all + tail, want) ||
				    lost != tail)
					bad_read++;
			}
			for (n = 0; n < 6; n++)
				if (logring_lines_start(&r, n) !=
				    model_lines_start(all, head, sizes[z], n))
					bad_lines++;
			if (rand_r(&seed) % 3 == 0) {
				uint64_t from = follow < tail ? tail : follow, was = follow;

				read_all(&r, &follow, out, sizeof out, &lost);
				if (follow != head || lost != from - was ||
				    memcmp(out, all + from, head - from))
					bad_follow++;
			}
		}
	}
	ok(bad_read == 0, "model: the ring always holds the last size bytes (%zu bad)", bad_read);
	ok(bad_lines == 0, "model: lines_start agrees (%zu bad)", bad_lines);
	ok(bad_follow == 0, "model: a follower sees every byte or is told (%zu bad)", bad_follow);
}

struct sink {
	char out[4096];
	size_t len;
	int calls;
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct sink *s = ctx;

	memcpy(s->out + s->len, line, len);
	s->len += len;
	s->out[s->len] = '\0';
	s->calls++;
}

static void feed(struct logring_echo *e, struct sink *s, const char *str)
{
	logring_echo_feed(e, str, strlen(str), collect, s);
}

static void t_echo(void)
{
	struct logring_echo e;
	struct sink s = { .len = 0 };
	char long_line[LOGRING_ECHO_LINE * 2 + 11];
	size_t i;

	logring_echo_init(&e, "web");
	feed(&e, &s, "a\nbb\n");
	ok(strcmp(s.out, "web: a\nweb: bb\n") == 0 && s.calls == 2, "echo: one call per line");
	s = (struct sink){ .len = 0 };
	feed(&e, &s, "ab");
	feed(&e, &s, "");
	ok(s.calls == 0, "echo: a partial line is held");
	feed(&e, &s, "c\nd");
	feed(&e, &s, "e\n\n");
	ok(strcmp(s.out, "web: abc\nweb: de\nweb: \n") == 0, "echo: lines across feeds");
	s = (struct sink){ .len = 0 };
	logring_echo_flush(&e, collect, &s);
	ok(s.calls == 0, "echo: flush with nothing held emits nothing");
	feed(&e, &s, "tail");
	logring_echo_flush(&e, collect, &s);
	ok(strcmp(s.out, "web: tail\n") == 0, "echo: flush emits the partial line");

	s = (struct sink){ .len = 0 };
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	feed(&e, &s, long_line);
	ok(s.calls == 2 && s.len == 2 * (5 + LOGRING_ECHO_LINE + 1),
	   "echo: a long line goes out in pieces of LOGRING_ECHO_LINE");
	logring_echo_flush(&e, collect, &s);
	ok(s.calls == 3 && e.len == e.prefix, "echo: the rest at flush");

	s = (struct sink){ .len = 0 };
	memset(long_line, 'y', LOGRING_ECHO_LINE);
	long_line[LOGRING_ECHO_LINE] = '\n';
	long_line[LOGRING_ECHO_LINE + 1] = '\0';
	for (i = 0; i < LOGRING_ECHO_LINE + 1; i++)
		logring_echo_feed(&e, long_line + i, 1, collect, &s);
	ok(s.calls == 1 && s.len == 5 + LOGRING_ECHO_LINE + 1,
	   "echo: a line of exactly LOGRING_ECHO_LINE is not split");

	s = (struct sink){ .len = 0 };
	feed(&e, &s, "a\033[2J\rb\tc\x7f\xc3\xa9\x9b\xc2\x9b\r\n");
	ok(strcmp(s.out, "web: a\\x1b[2Jb\tc\\x7f\xc3\xa9\\x9b\\x9b\n") == 0,
	   "echo: C0, DEL, raw 0x9B and U+009B escaped, \\r dropped, UTF-8 kept");

	s = (struct sink){ .len = 0 };
	logring_echo_init(&e, "a-name-that-is-much-longer-than-32-characters");
	feed(&e, &s, "x\n");
	ok(s.len == 32 + 2 + 2 && memcmp(s.out + 32, ": x\n", 4) == 0,
	   "echo: an over-long name is cut, never overflows");
}

/* Times: one stamp per append that begins a line in a new millisecond. */
static void t_times(void)
{
	static _Alignas(8) char buf[LOGRING_ALLOC(256)];  /* 8-aligned, as malloc's */
	struct logring r;
	uint64_t a, b, c;

	logring_init_timed(&r, buf, 256);
	ok(r.nst == LOGRING_STAMPS(256) && logring_time(&r, 0) == -1, "times: none at first");
	logring_append_at(&r, "one\ntw", 6, 1000);
	logring_append_at(&r, "o\nthree\n", 8, 2000);
	a = 0, b = 4, c = 8;
	ok(logring_time(&r, a) == 1000 && logring_time(&r, b) == 1000,
	   "times: a line takes the time its first byte arrived");
	ok(logring_time(&r, c) == 2000, "times: the line begun by a later append has its time");
	logring_append_at(&r, "fo", 2, 3000);
	logring_append_at(&r, "ur\n", 3, 4000);
	ok(logring_time(&r, 15) == 3000 && r.count == 3,
	   "times: an append that begins no line adds no stamp (%u)", r.count);
	logring_append_at(&r, "5\n", 2, 4000);
	logring_append_at(&r, "6\n", 2, 4000);
	ok(r.count == 4 && logring_time(&r, 19) == 4000 && logring_time(&r, 21) == 4000,
	   "times: lines of the same millisecond share a stamp");

	/* More lines than stamps: the oldest lose their time, never a wrong one. */
	logring_init_timed(&r, buf, 256);
	for (int i = 0; i < 100; i++)
		logring_append_at(&r, "x\n", 2, 10 + i);
	ok(r.count == r.nst && logring_time(&r, r.head - 2) == 109,
	   "times: the newest line keeps its time when the stamps are full");
	ok(logring_time(&r, (uint64_t)(100 - r.nst) * 2 - 2) == -1 &&
	   logring_time(&r, (uint64_t)(100 - r.nst) * 2) == 10 + 100 - r.nst,
	   "times: a line older than the oldest stamp has none (-1)");
	logring_append(&r, "y\n", 2);
	ok(logring_time(&r, r.head - 2) == 109, "times: an untimed append keeps the last time");
	ok((uintptr_t)r.st % 8 == 0 && (char *)(r.st + r.nst) <= buf + sizeof buf,
	   "times: the stamps fit after the bytes, aligned");
}

static void t_time_text(void)
{
	char out[26] = "";

	logring_time_text(out, 0);
	ok(!memcmp(out, "1970-01-01T00:00:00.000Z ", 25), "time text: the epoch");
	logring_time_text(out, 951782400001LL);
	ok(!memcmp(out, "2000-02-29T00:00:00.001Z ", 25), "time text: a leap day (%.25s)", out);
	logring_time_text(out, 1796149327123LL);
	ok(!memcmp(out, "2026-12-01T18:22:07.123Z ", 25), "time text: %.25s", out);
	logring_time_text(out, -1);
	ok(!memcmp(out, "-                        ", 25), "time text: unknown is '-'");
}

int main(void)
{
	t_empty();
	t_lines();
	t_exactly_full();
	t_wraparound();
	t_long_line();
	t_follower();
	t_zero_size();
	t_model();
	t_echo();
	t_times();
	t_time_text();
	return done();
}
