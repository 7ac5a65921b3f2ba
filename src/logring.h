/* A jail's output: a byte ring of log_size for `brig logs`, and the line
 * splitter that echoes it to the console as "NAME: line".
 * Pure: no I/O, no allocation; the caller owns every buffer. */
#ifndef BRIG_LOGRING_H
#define BRIG_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes are named by their offset in everything the jail ever wrote; the
 * ring holds offsets [logring_tail(), head). Offsets only grow, so a
 * follower keeps one as its cursor and can tell when it fell behind. */
/* The arrival time of the line that begins at off, and of every line after
 * it up to the next stamp: one stamp per append that begins a line in a
 * new millisecond. */
struct logring_stamp {
	uint64_t off;
	int64_t ms;    /* wall clock, ms since the epoch */
};

struct logring {
	char *buf;     /* size bytes, owned by the caller */
	size_t size;   /* 0: keeps nothing */
	uint64_t head; /* bytes ever appended: the offset after the newest */
	bool sol;      /* the oldest byte held starts a line */
	bool nl;       /* the next byte appended starts a line */
	struct logring_stamp *st;  /* a ring of nst stamps, oldest at st[first]; NULL: none */
	unsigned nst, first, count;
};

/* Uses buf[0..size) until the ring is dropped; the caller allocates it once,
 * at config load. Keeps no times. */
void logring_init(struct logring *r, char *buf, size_t size);

/* Stamps per ring of size bytes: times are kept for the newest
 * LOGRING_STAMPS(size) lines at least (all of them when lines average 64
 * bytes or more, or arrive in bursts). */
#define LOGRING_STAMPS(size) ((size) / 64 + 4)
/* Bytes to allocate for a ring of size bytes with its stamps. */
#define LOGRING_ALLOC(size) \
	(((size) + 7) / 8 * 8 + LOGRING_STAMPS(size) * sizeof(struct logring_stamp))

/* logring_init() with the stamps after the bytes: buf holds
 * LOGRING_ALLOC(size) bytes (malloc's alignment). */
void logring_init_timed(struct logring *r, char *buf, size_t size);

/* Appends bytes as they arrive, partial lines included, overwriting the
 * oldest. data may be NULL when len is 0. */
void logring_append(struct logring *r, const char *data, size_t len);

/* logring_append() of bytes that arrived at ms (wall clock). */
void logring_append_at(struct logring *r, const char *data, size_t len, int64_t ms);

/* The arrival time of the line that begins at off; -1 when unknown (its
 * stamp was overwritten, or the ring keeps no times). */
int64_t logring_time(const struct logring *r, uint64_t off);

/* Writes the 25 bytes "2026-12-01T18:22:07.123Z " (UTC, as `logs -t`
 * shows it) for ms, or "-" and blanks for -1; no NUL. */
void logring_time_text(char *out, int64_t ms);

/* The offset of the oldest byte held. */
uint64_t logring_tail(const struct logring *r);

/* The offset where the last n lines begin (`logs -n N`); read from there with
 * logring_read(). An unterminated last line counts as a line. With fewer
 * than n lines held, the oldest whole line; the overwritten remains of an
 * older line are skipped unless they are all the ring holds (the tail of a
 * line longer than the ring). n = 0 gives head. */
uint64_t logring_lines_start(const struct logring *r, unsigned n);

/* Copies up to cap bytes from offset *off on into out, advances *off and
 * returns the count (0: nothing new). A cursor older than the tail fell
 * behind: it moves to the tail and *lost (may be NULL) gets the bytes
 * skipped, else 0. A cursor beyond head moves back to head. */
size_t logring_read(const struct logring *r, uint64_t *off, char *out, size_t cap,
		    uint64_t *lost);

/* Longest piece of a line echoed at once; a longer line goes out in pieces. */
#define LOGRING_ECHO_LINE 512
/* "NAME: " with a name of at most CFG_NAME_MAX (32) characters. */
#define LOGRING_ECHO_PREFIX 34

/* The console echo of one jail: holds at most one partial line. */
struct logring_echo {
	char line[LOGRING_ECHO_PREFIX + LOGRING_ECHO_LINE + 1]; /* "NAME: " text '\n' */
	size_t prefix; /* length of "NAME: " */
	size_t len;    /* bytes in line, prefix included */
};

/* emit gets one whole console line, "NAME: text\n", to write at once. */
typedef void (*logring_emit_fn)(void *ctx, const char *line, size_t len);

/* A longer name is cut: config.c never lets one through. */
void logring_echo_init(struct logring_echo *e, const char *name);

/* Emits each line completed by data, and a piece of LOGRING_ECHO_LINE bytes
 * whenever a line grows past that. '\r' is dropped and the rest escaped
 * (esc.h: C0 and C1 controls, invalid UTF-8), so a jail can neither move the
 * cursor over the prefix nor send escape sequences to the console. */
void logring_echo_feed(struct logring_echo *e, const char *data, size_t len,
		       logring_emit_fn emit, void *ctx);

/* Emits the partial line held, if any (at EOF of the jail's output). */
void logring_echo_flush(struct logring_echo *e, logring_emit_fn emit, void *ctx);

#endif
