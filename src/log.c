/* Runs in: every brig process; the queue matters in the supervisor and
 * PID 1. The only mutable global of brig is the sink below: every module
 * logs, and threading a sink through every call would buy nothing in a
 * single-threaded program. */
#include "log.h"

#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* All zero at start (in .bss, not in the binary): the fds are kept plus
 * one, so 0 means none. Nothing here changes once the loop runs: what
 * does (the queue and its counts) is in the supervisor's memory
 * (log_queue). */
static struct {
	int console1;   /* non-blocking; 0 before log_init: then stderr */
	int kmsg1;      /* /dev/kmsg; 0: none */
	int echo;       /* the kernel echoes kmsg lines below this level to the console */
} sink;

static struct log_queue boot;             /* until log_queue() */
static struct log_queue *queue = &boot;   /* the one in use */

void log_queue(struct log_queue *q)
{
	*q = boot;  /* what still waits goes along */
	queue = q;
}

static int console_fd(void)
{
	return sink.console1 ? sink.console1 - 1 : 2;
}

void log_init(int console, int kmsg)
{
	char path[32], buf[16] = "";
	int fd;

	/* A fresh open gives our own file description, so O_NONBLOCK does not
	 * leak to the terminal or pipe we share with a shell. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", console);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	sink.console1 = (fd >= 0 ? fd : console) + 1;
	if (!kmsg)
		return;
	sink.kmsg1 = open("/dev/kmsg", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) + 1;
	/* The kernel drops /dev/kmsg writes past its rate limit and still
	 * reports success. The sysctl takes a whole line: without its
	 * newline the write fails with EINVAL. */
	if (fdio_write_file(AT_FDCWD, "/proc/sys/kernel/printk_devkmsg", "on\n") < 0)
		log_msg(LOG_WARN, "printk_devkmsg: %m");
	/* The first number of printk is the console log level: the kernel
	 * prints a kmsg line below it on the console itself, inside our
	 * write(2), at the console's speed. */
	sink.echo = 8;
	if (fdio_read_file(AT_FDCWD, "/proc/sys/kernel/printk", buf, sizeof buf) > 0 &&
	    buf[0] >= '0' && buf[0] <= '9')
		sink.echo = buf[0] - '0';
}

void log_flush(void)
{
	struct log_queue *q = queue;
	int fd = console_fd();
	size_t done = 0;
	ssize_t n;

	while (done < q->len) {
		n = write(fd, q->buf + done, q->len - done);
		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && errno == EAGAIN)
			break;
		else {
			done = q->len;  /* a console that is gone takes nothing more */
			q->lost++;
		}
	}
	memmove(q->buf, q->buf + done, q->len - done);
	q->len -= done;
}

/* Queues one line if it fits below limit, after the note of lines lost. */
static void put(const char *line, size_t len, bool own)
{
	struct log_queue *q = queue;
	size_t limit = sizeof q->buf / (own ? 1 : 2);
	char note[48];
	int n;

	if (q->lost) {
		n = snprintf(note, sizeof note, "brig: [%u lines lost: console busy]\n", q->lost);
		if (q->len + (size_t)n + len > limit) {
			q->lost++;
			return;
		}
		memcpy(q->buf + q->len, note, (size_t)n);
		q->len += (size_t)n;
		q->lost = 0;
	}
	if (q->len + len > limit) {
		q->lost++;
		return;
	}
	memcpy(q->buf + q->len, line, len);
	q->len += len;
	if (own)
		log_flush();
}

/* A jail's lines wait for the loop's next turn (log_flush): one write for
 * all the lines of a turn, not one a line. */
void log_raw(const char *line, size_t len)
{
	put(line, len, false);
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n, m, kl;

	n = snprintf(line, sizeof line, "<%d>brig: ", (int)lv);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	m = (size_t)m > sizeof line - (size_t)n - 2 ? (int)(sizeof line - (size_t)n - 2) : m;
	line[n + m] = '\n';
	/* In kmsg at a level the kernel does not echo (a more severe line
	 * says less in dmesg than it means, but the console shows it once
	 * and the writer never waits on a serial port). */
	kl = (int)lv < sink.echo ? sink.echo : (int)lv;
	if (sink.kmsg1 && kl <= 7) {
		line[1] = (char)('0' + kl);
		(void)!write(sink.kmsg1 - 1, line, (size_t)(n + m + 1));
	}
	log_flush();
	put(line + 3, (size_t)(n + m + 1 - 3), true);
}


int log_waiting_fd(void)
{
	return queue->len ? console_fd() : -1;
}

void log_drain(unsigned ms)
{
	struct pollfd p = { .fd = console_fd(), .events = POLLOUT };
	int outq = 0;

	for (; ms > 0; ms -= 10) {
		log_flush();
		if (log_waiting_fd() < 0 && (ioctl(p.fd, TIOCOUTQ, &outq) < 0 || outq == 0))
			return;
		if (log_waiting_fd() >= 0)
			poll(&p, 1, 10);
		else
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		if (ms < 10)
			return;
	}
}
