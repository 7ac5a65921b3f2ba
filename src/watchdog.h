/* The hardware watchdog of init mode: opened by PID 1 at boot, petted by
 * the supervisor loop (it gets a pointer in struct sup_opts) and by PID 1
 * outside the loop, finished before reboot(2). No global: the one struct
 * lives in init mode's frame. */
#ifndef BRIG_WATCHDOG_H
#define BRIG_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

struct watchdog {
	int fd;               /* -1: none */
	uint64_t interval_ms; /* keepalive period */
	uint64_t next_ms;     /* CLOCK_MONOTONIC time of the next keepalive */
};

/* Opens dev (retrying for 1 s while a module probes) and sends the first
 * keepalive; logs and leaves wd->fd -1 on failure. */
void watchdog_open(struct watchdog *wd, const char *dev, uint64_t interval_ms, uint64_t now_ms);

/* Sends a keepalive when one is due at now_ms. Returns the time of the next
 * one, or 0 without a watchdog (wd NULL or not open). Never fails: a failed
 * keepalive is logged, and the device resets the machine. */
uint64_t watchdog_kick(struct watchdog *wd, uint64_t now_ms);

/* Before reboot(2): halt and poweroff disarm it (the magic close), so a
 * stopped machine is not reset; reboot keeps it armed in case reboot(2)
 * hangs. */
void watchdog_finish(struct watchdog *wd, bool disarm);

#endif
