/* Runs in: every brig process at start. Picks the role from argv[0] and the
 * first word; the only place that calls exit(). */
#include "check.h"
#include "run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "unknown"
#endif

static const char usage[] =
	"usage: brig COMMAND [ARG...]\n"
	"\n"
	"Jails:\n"
	"  run [--cgroup-root DIR] FILE.ini [-- ARG...]  one jail in the foreground\n"
	"  check PATH...                                  validate jail files and config dirs\n"
	"Supervisor:\n"
	"  supervise [--config-dir DIR] [--socket PATH] [--cgroup-root DIR] [--state-dir DIR]\n"
	"  init                                           PID 1 of an appliance\n"
	"Control (via --socket PATH, $BRIG_SOCKET or /run/brig/control.sock):\n"
	"  status [--json] [NAME]   start|stop|restart NAME   kill NAME [SIGNAL]\n"
	"  pause|resume NAME        logs [-f] [-n LINES] NAME  exec NAME [--] CMD [ARG...]\n"
	"  reload                   poweroff|reboot|halt\n"
	"Other:\n"
	"  version, --help, COMMAND --help\n";

static const char *base_name(const char *s)
{
	const char *p = strrchr(s, '/');

	return p ? p + 1 : s;
}

int main(int argc, char **argv)
{
	const char *cmd;

	(void)base_name(argc > 0 ? argv[0] : "brig");
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("brig %s\n", BRIG_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "check"))
		return check_main(argc - 2, argv + 2);
	if (!strcmp(cmd, "run"))
		return run_main(argc - 2, argv + 2);
	fprintf(stderr, "brig: unknown command '%s' (see brig --help)\n", cmd);
	return 2;
}
