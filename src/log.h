/* The message sink: the supervisor's console (stderr, or /dev/console in
 * init mode) and, in init mode, /dev/kmsg. Nothing here ever blocks: lines
 * wait in a small queue while the console is busy, the loop writes them out
 * as it takes them, and a console that cannot keep up loses lines (jail
 * output first); the next line that fits says how many. */
#ifndef BRIG_LOG_H
#define BRIG_LOG_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_ERROR = 3,  /* kmsg priorities */
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/* console_fd: where lines go (the sink takes its own non-blocking copy);
 * kmsg: also record brig's own lines in /dev/kmsg, at a level the kernel
 * does not echo to the console (brig writes the console itself). */
void log_init(int console_fd, int kmsg);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A jail's output line, already formatted ("NAME: text\n"): console only,
 * and dropped first when the console is busy. */
void log_raw(const char *line, size_t len);

/* The lines waiting for the console; brig's own may fill it, a jail's
 * output half of it. */
struct log_queue {
	size_t len;
	unsigned lost;  /* lines dropped since the last note */
	char buf[8192];
};

/* From now on the queue is q, in the supervisor's memory (before: a small
 * one of log.c's own). */
void log_queue(struct log_queue *q);

/* The console's fd while lines wait for it (poll it for POLLOUT), else -1. */
int log_waiting_fd(void);
/* Writes what the console takes now; never waits. */
void log_flush(void);
/* Waits at most ms for the queue and the terminal's own output queue to
 * empty: PID 1 calls it before a hangup of the console's session or
 * reboot(2), either of which discards what the terminal still holds. */
void log_drain(unsigned ms);

#endif
