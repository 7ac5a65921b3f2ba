/* The jail init's loop: brig's code as PID 1 of the jail's PID namespace. */
#ifndef BRIG_REAPER_H
#define BRIG_REAPER_H

#include <sys/types.h>

/* Runs in: the jail init, after it forked the service. sigfd is a signalfd
 * for SIGCHLD and every signal to forward, all of them blocked. Reaps every
 * child (orphans re-parented to PID 1 included) and forwards every other
 * signal to the service (the jail init and the service each have a session
 * of their own, so no terminal signals either directly). When the service has ended,
 * kills everything left in the namespace and reaps it. Returns the jail's
 * exit status: the service's exit code, or 128 + the signal that killed it.
 * Never fails. */
int reaper_run(int sigfd, pid_t service);

/* A wait status as an exit status: the code, or 128 + signal. */
int reaper_status(int wstatus);

#endif
