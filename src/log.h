/* The message sink: the supervisor's console (stderr, or /dev/console in
 * init mode) and, in init mode, /dev/kmsg. Never blocks: a console that
 * cannot keep up loses lines, and the next line says how many. */
#ifndef BRIG_LOG_H
#define BRIG_LOG_H

#include "err.h"

#include <stddef.h>

enum log_level {
	LOG_ERROR = 3,  /* kmsg priorities */
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/* console_fd: where lines go (the sink takes its own non-blocking copy);
 * kmsg: also write to /dev/kmsg. */
void log_init(int console_fd, int kmsg);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "brig: jail NAME: FILE:LINE: msg: strerror" from an err filled below. */
void log_jail_err(const char *jail, const char *file, const struct err *e);
/* A raw line already formatted ("NAME: text\n"): console only. */
void log_raw(const char *line, size_t len);

#endif
