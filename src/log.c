/* Runs in: the supervisor (and PID 1). The only mutable global of brig is
 * the sink below: every module logs, and threading a sink through every
 * call would buy nothing in a single-threaded program. */
#include "log.h"

#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct {
	int console;    /* non-blocking, or -1 before log_init: then stderr */
	int kmsg;       /* /dev/kmsg or -1 */
	int echoed;     /* the kernel prints kmsg lines below this level on the console */
	unsigned lost;  /* lines dropped because the console was full */
} sink = { -1, -1, 0, 0 };

void log_init(int console_fd, int kmsg)
{
	char path[32];
	int fd;

	/* A fresh open gives our own file description, so O_NONBLOCK does not
	 * leak to the terminal or pipe we share with a shell. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", console_fd);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	sink.console = fd >= 0 ? fd : console_fd;
	/* The kernel drops /dev/kmsg writes past its rate limit and still
	 * reports success: lift the limit, or show everything ourselves. */
	if (kmsg)
		sink.kmsg = open("/dev/kmsg", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (sink.kmsg >= 0 &&
	    fdio_write_file(AT_FDCWD, "/proc/sys/kernel/printk_devkmsg", "on") == 0) {
		/* The first number of printk is the console log level: the
		 * kernel already shows what is below it, once is enough. */
		char buf[16] = "";

		fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (read(fd, buf, sizeof buf - 1) > 0)
				sink.echoed = buf[0] >= '0' && buf[0] <= '9' ? buf[0] - '0' : 0;
			close(fd);
		}
	}
}

/* Writes all of buf to the non-blocking console. With may_wait, a console
 * that is full for a moment (a serial port) gets up to 50 ms; then, or at
 * once without, the rest is lost. */
static bool put_all(int fd, const char *buf, size_t len, bool may_wait)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int waits = 0;

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN && may_wait && waits++ < 5) {
			poll(&p, 1, 10);
		} else {
			return false;
		}
	}
	return true;
}

/* brig's own lines may wait for the console, but only while nothing is
 * being lost: a console that stays full costs the loop one wait, not one
 * per line. Jail output (log_raw) never waits: a flood slows only itself. */
static void put(const char *line, size_t len, bool own)
{
	char note[48];
	int fd = sink.console >= 0 ? sink.console : 2;

	if (sink.lost) {
		int n = snprintf(note, sizeof note, "brig: [%u lines lost]\n", sink.lost);

		if (put_all(fd, note, (size_t)n, false))
			sink.lost = 0;
	}
	if (!put_all(fd, line, len, own && !sink.lost))
		sink.lost++;
}

void log_raw(const char *line, size_t len)
{
	put(line, len, false);
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n, m;

	n = snprintf(line, sizeof line, "<%d>brig: ", (int)lv);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	m = (size_t)m > sizeof line - (size_t)n - 2 ? (int)(sizeof line - (size_t)n - 2) : m;
	line[n + m] = '\n';
	if (sink.kmsg >= 0 && write(sink.kmsg, line, (size_t)(n + m + 1)) > 0 &&
	    (int)lv < sink.echoed)
		return;
	/* The console line has no priority prefix. */
	put(line + 3, (size_t)(n + m + 1 - 3), true);
}

void log_jail_err(const char *jail, const char *file, const struct err *e)
{
	char buf[300];

	err_str(e, buf, sizeof buf);
	if (file && e->line > 0)
		log_msg(LOG_ERROR, "%s:%d: error: jail %s: %s", file, e->line, jail, buf);
	else if (file)
		log_msg(LOG_ERROR, "%s: error: jail %s: %s", file, jail, buf);
	else
		log_msg(LOG_ERROR, "jail %s: %s", jail, buf);
}
