/* The client commands: `brig status|start|stop|...` through the control
 * socket, and `brig poweroff|reboot|halt` (and the links of those names). */
#ifndef BRIG_CTLCLIENT_H
#define BRIG_CTLCLIENT_H

/* `brig CMD ARG...`: argv[0] is the command. Returns the exit status. */
int control_client_main(int argc, char **argv);

/* `brig poweroff|reboot|halt`; argv[0] is the action, then [--socket PATH].
 * Asks the supervisor through its control socket when one exists
 * (--socket, $BRIG_SOCKET, /run/brig/control.sock), else sends PID 1 the
 * busybox signal (USR2, TERM, USR1) if PID 1 is brig. Returns the exit
 * status: 0 done, 1 not, 2 unknown action. */
int control_power_main(int argc, char **argv);

#endif
