/* A shell on the console: init mode's emergency_shell and console. */
#ifndef BRIG_SHELL_H
#define BRIG_SHELL_H

#include <sys/types.h>

/* Starts argv on the console in a session of its own, the console its
 * controlling terminal, every signal reset; what names it in the log.
 * Returns its pid, or -1 (logged) when it could not fork. */
pid_t shell_start(char *const *argv, const char *what);

#endif
