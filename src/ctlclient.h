/* The client commands: `brig status|start|stop|...` through the control
 * socket, and `brig poweroff|reboot|halt` (and the links of those names). */
#ifndef BRIG_CTLCLIENT_H
#define BRIG_CTLCLIENT_H

#include <stddef.h>

/* `brig CMD ARG...`: argv[0] is the command. Returns the exit status. */
int control_client_main(int argc, char **argv);

/* Sends one request to the supervisor at path and collects its stdout text
 * in out (NUL-terminated, at most cap - 1 bytes); stderr text goes to
 * stderr. Returns the reply's exit status, 1 when it cannot be had. */
int control_query(const char *path, char **w, int n, char *out, size_t cap);

/* `brig poweroff|reboot|halt`; argv[0] is the action, then [--socket PATH].
 * Asks the supervisor through its control socket when one exists
 * (--socket, $BRIG_SOCKET, /run/brig/control.sock), else sends PID 1 the
 * busybox signal (USR2, TERM, USR1) if PID 1 is brig. Returns the exit
 * status: 0 done, 1 not, 2 unknown action. */
int control_power_main(int argc, char **argv);

#endif
