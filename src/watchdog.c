/* Runs in: PID 1 (init mode), its supervisor loop included. */
#include "watchdog.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

uint64_t watchdog_kick(struct watchdog *wd, uint64_t now)
{
	if (!wd || wd->fd < 0)
		return 0;
	if (now >= wd->next_ms) {
		/* A device without the ioctl (or a test's stand-in) takes a
		 * write, which every watchdog driver counts as a keepalive. */
		if (ioctl(wd->fd, WDIOC_KEEPALIVE, 0) < 0 && write(wd->fd, "k", 1) != 1)
			log_msg(LOG_ERROR, "watchdog keepalive: %m");
		wd->next_ms = now + wd->interval_ms;
	}
	return wd->next_ms;
}

void watchdog_open(struct watchdog *wd, const char *dev, uint64_t interval_ms, uint64_t now)
{
	struct timespec pause = { 0, 50000000 };
	int i, timeout = 0;

	/* A watchdog module loaded just before may still be probing. */
	for (i = 0; i < 20 && (wd->fd = open(dev, O_WRONLY | O_CLOEXEC | O_NOCTTY)) < 0 &&
		    errno == ENOENT;
	     i++)
		nanosleep(&pause, NULL);
	if (wd->fd < 0) {
		log_msg(LOG_ERROR, "watchdog %s: %m", dev);
		return;
	}
	wd->interval_ms = interval_ms;
	wd->next_ms = 0;
	watchdog_kick(wd, now);
	if (ioctl(wd->fd, WDIOC_GETTIMEOUT, &timeout) == 0 &&
	    (uint64_t)timeout * 1000 <= interval_ms)
		log_msg(LOG_WARN, "watchdog %s: watchdog_interval is not below the device's %d s",
			dev, timeout);
	log_msg(LOG_INFO, "watchdog %s: keepalive every %llu ms, device timeout %d s", dev,
		(unsigned long long)interval_ms, timeout);
}

void watchdog_finish(struct watchdog *wd, bool disarm)
{
	if (wd->fd < 0)
		return;
	if (!disarm) {
		ioctl(wd->fd, WDIOC_KEEPALIVE, 0);
		return;
	}
	(void)!write(wd->fd, "V", 1);
	close(wd->fd);
	wd->fd = -1;
}
