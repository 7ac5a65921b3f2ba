/* Init mode (brig(8), INIT MODE): brig as the host's PID 1, and the client commands
 * poweroff, reboot and halt that ask it to shut down. */
#ifndef BRIG_PID1_H
#define BRIG_PID1_H

#include "supervisor.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* `brig init`, or brig started as PID 1 or through a link named `init`.
 * As PID 1 it never returns. Anywhere else it refuses and returns 2. */
int pid1_main(int argc, char **argv);

/* `brig poweroff|reboot|halt` and the links of those names; argv[0] is the
 * action, then [--socket PATH]. Asks the supervisor through its control
 * socket when one exists (--socket, $BRIG_SOCKET, /run/brig/control.sock),
 * else sends PID 1 the busybox signal (USR2, TERM, USR1) if PID 1 is brig.
 * Returns the exit status: 0 done, 1 not, 2 unknown action. */
int pid1_client_main(int argc, char **argv);

/* Starts argv on the console in a session of its own, the console its
 * controlling terminal (emergency_shell, console); what names it in the
 * log. Returns its pid, or -1. */
pid_t pid1_shell_start(char *const *argv, const char *what);

/* What an init-mode signal asks for. */
enum pid1_sig {
	PID1_SIG_OTHER,     /* not one of brig(8)'s signals: the caller ignores it */
	PID1_SIG_RELOAD,    /* SIGHUP */
	PID1_SIG_SHUTDOWN,  /* TERM INT USR1 USR2 PWR; *end says which action */
};

/* Pure: the signal table of brig(8). *end is set for PID1_SIG_SHUTDOWN only. */
enum pid1_sig pid1_signal_action(int sig, enum sup_end *end);

/* The watchdog opened by init mode. The supervisor loop calls this with the
 * CLOCK_MONOTONIC time in ms whenever it wakes; a keepalive is sent when one
 * is due. Returns the time of the next one, for the loop's timer, or 0 when
 * there is no watchdog (supervise mode, or none configured). Never fails:
 * a failed keepalive is logged, and the device resets the machine. */
uint64_t pid1_watchdog_kick(uint64_t now_ms);

/* Logs MSG to /dev/kmsg and the console, syncs and reboots from a vforked
 * child: for a PID 1 whose own loop cannot go on (STYLE 2.6). Never
 * returns; if reboot(2) fails it keeps reaping forever. */
void pid1_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

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
