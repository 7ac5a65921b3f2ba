/* Runs in: every brig process that prints its usage. */
#include "usage.h"

const char brig_usage[] =
	"usage: brig COMMAND [ARG...]\n"
	"\n"
	"Jails:\n"
	"  run [--cgroup-root DIR] FILE.ini [-- ARG...]  one jail in the foreground\n"
	"  check PATH...                                  validate jail files and config dirs\n"
	"Supervisor:\n"
	"  supervise [--config-dir DIR] [--socket PATH] [--cgroup-root DIR] [--state-dir DIR]\n"
	"  init                                           PID 1 of an appliance\n"
	"Control (via --socket PATH, $BRIG_SOCKET or /run/brig/control.sock):\n"
	"  status [--json] [NAME]   start|stop|restart NAME [--no-wait]   kill NAME [SIGNAL]\n"
	"  pause|resume NAME        logs [-f] [-n LINES] NAME  exec NAME [--] CMD [ARG...]\n"
	"  reload                   poweroff|reboot|halt   stats [--no-stream] [NAME...]\n"
	"Other:\n"
	"  version, --help, COMMAND --help\n";
