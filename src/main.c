/* Runs in: every brig process at start. Picks the role from argv[0] and the
 * first word; the only place that calls exit(). */
#include "check.h"
#include "control.h"
#include "jail.h"
#include "pid1.h"
#include "run.h"
#include "supervisor.h"

#include <stdbool.h>
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
	"  reload                   poweroff|reboot|halt     stats [--no-stream] [NAME...]\n"
	"Other:\n"
	"  version, --help, COMMAND --help\n";

static const char *base_name(const char *s)
{
	const char *p = strrchr(s, '/');

	return p ? p + 1 : s;
}

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static const char *const commands[] = {
	"check", "run", "supervise", "init", "status", "start", "stop", "restart", "kill",
	"pause", "resume", "logs", "stats", "exec", "reload", "poweroff", "reboot", "halt", "version",
	"--version", "--help", "-h", "help", "--socket", NULL,
};

static bool known(const char *cmd)
{
	int i;

	for (i = 0; commands[i]; i++)
		if (is(cmd, commands[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *self = base_name(argc > 0 ? argv[0] : "brig");
	const char *cmd;

	/* A jail init: jail_start exec'd this fresh image of brig. */
	if (argc == 3 && is(argv[1], "jail-init"))
		return jail_init_main(argc, argv);
	/* Called as init, or PID 1 without a command of its own: the
	 * appliance's init. `brig run` as PID 1 of a container stays a run. */
	if (is(self, "init") || (getpid() == 1 && (argc < 2 || !known(argv[1]))))
		return pid1_main(argc, argv);
	if (is(self, "poweroff") || is(self, "reboot") || is(self, "halt")) {
		argv[0] = (char *)self;
		return pid1_client_main(argc, argv);
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[1];
	if (is(cmd, "--help") || is(cmd, "-h") || is(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (is(cmd, "version") || is(cmd, "--version")) {
		printf("brig %s\n", BRIG_VERSION);
		return 0;
	}
	if (is(cmd, "check"))
		return check_main(argc - 2, argv + 2);
	if (is(cmd, "run"))
		return run_main(argc - 2, argv + 2);
	if (is(cmd, "supervise"))
		return supervisor_main(argc - 2, argv + 2);
	if (is(cmd, "init"))
		return pid1_main(argc - 1, argv + 1);
	if (is(cmd, "poweroff") || is(cmd, "reboot") || is(cmd, "halt"))
		return pid1_client_main(argc - 1, argv + 1);
	if (is(cmd, "status") || is(cmd, "start") || is(cmd, "stop") || is(cmd, "restart") ||
	    is(cmd, "kill") || is(cmd, "pause") || is(cmd, "resume") || is(cmd, "logs") ||
	    is(cmd, "stats") ||
	    is(cmd, "exec") || is(cmd, "reload") || is(cmd, "--socket"))
		return control_client_main(argc - 1, argv + 1);
	fprintf(stderr, "brig: unknown command '%s' (see brig --help)\n", cmd);
	return 2;
}
