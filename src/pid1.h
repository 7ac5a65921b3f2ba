/* Init mode (brig(8), INIT MODE): brig as the host's PID 1. Three files: pid1.c (the
 * boot), modules.c (kernel modules), shutdown.c (waiting outside the
 * supervisor loop, the shutdown, pid1_panic). */
#ifndef BRIG_PID1_H
#define BRIG_PID1_H

#include "supervisor.h"
#include "watchdog.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* PID 1's nice value; what it starts runs at 0. */
#define PID1_NICE (-10)

/* `brig init`, or brig started as PID 1 or through a link named `init`.
 * As PID 1 it never returns. Anywhere else it refuses and returns 2. */
int pid1_main(int argc, char **argv);

/* CLOCK_MONOTONIC in ms. */
uint64_t pid1_now(void);

enum pid1_wait {
	W_TIMEOUT,  /* the deadline passed */
	W_WATCHED,  /* the watched pid was reaped; its status in *status */
	W_NOCHILD,  /* until_empty: no process is left */
	W_SHUTDOWN, /* a shutdown signal: the action in *end */
	W_RELOAD,   /* SIGHUP */
};

/* Runs in: PID 1, outside the supervisor's loop. Reaps every child, pets
 * the watchdog and takes signals until something in enum pid1_wait
 * happens. deadline: CLOCK_MONOTONIC ms, UINT64_MAX for none. end NULL:
 * shutdown signals and SIGHUP are ignored (during shutdown itself). */
enum pid1_wait pid1_wait(struct watchdog *wd, pid_t watch, int *status, bool until_empty,
			 uint64_t deadline, enum sup_end *end);

/* Runs in: PID 1 once the jails are down (brig(8), INIT MODE): TERM to every process,
 * KILL at deadline (the shutdown's, from its request), sync, unmount, the
 * watchdog finished, reboot(2) from a child. Never returns. */
void pid1_shutdown(struct watchdog *wd, enum sup_end end, uint64_t deadline)
	__attribute__((noreturn));

/* Logs MSG to /dev/kmsg and the console, syncs and reboots from a vforked
 * child: for a PID 1 whose own loop cannot go on (PID 1 never exits). Never
 * returns; if reboot(2) fails it keeps reaping forever. */
void pid1_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* [init] modules, each with its dependencies, the watchdog petted between. */
void pid1_modules_load(char *const *mods, int n, struct watchdog *wd);

/* Pure: the value of the last `brig.config=DIR` word of a kernel command
 * line, copied into out (cap bytes). Returns 0, or -1 when there is none or
 * it does not fit. Double quotes around the value are dropped. */
int pid1_cmdline_config(const char *cmdline, char *out, size_t cap);

/* Pure: looks NAME up in the text of modules.dep (or modules.builtin: lines
 * without a colon) and lists the files to load in order: dependencies
 * first, the module itself last. '-' and '_' are the same in a module name.
 * The line is copied into line[cap] and paths point into it. Returns the
 * number of paths, 0 when NAME has no line, -1 when the line does not fit
 * in cap or has more than max paths. */
int pid1_module_paths(const char *dep, size_t len, const char *name, char *line, size_t cap,
		      const char **paths, int max);

#endif
