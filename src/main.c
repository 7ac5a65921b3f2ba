/* Runs in: every brig process at start. Picks the role from argv[0] and the
 * first word; the only place that calls exit(). */
#include "check.h"
#include "ctlclient.h"
#include "pid1.h"
#include "run.h"
#include "supervise.h"
#include "usage.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "unknown"
#endif


static const char *base_name(const char *s)
{
	const char *p = strrchr(s, '/');

	return p ? p + 1 : s;
}

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* Every command, and how it runs: the words after the command (skip 2) or
 * with it (skip 1). */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	int skip;
} commands[] = {
	{ "check", check_main, 2 },	       { "run", run_main, 2 },
	{ "supervise", supervise_main, 2 },    { "init", pid1_main, 1 },
	{ "poweroff", control_power_main, 1 }, { "reboot", control_power_main, 1 },
	{ "halt", control_power_main, 1 },     { "status", control_client_main, 1 },
	{ "start", control_client_main, 1 },   { "stop", control_client_main, 1 },
	{ "restart", control_client_main, 1 }, { "kill", control_client_main, 1 },
	{ "pause", control_client_main, 1 },   { "resume", control_client_main, 1 },
	{ "logs", control_client_main, 1 },    { "exec", control_client_main, 1 },
	{ "reload", control_client_main, 1 },  { "--socket", control_client_main, 1 },
	{ "version", NULL, 0 },		       { "--version", NULL, 0 },
	{ "--help", NULL, 0 },		       { "-h", NULL, 0 },
	{ "help", NULL, 0 },
};

#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

static int find(const char *cmd)
{
	int i;

	for (i = 0; i < N_COMMANDS && !is(cmd, commands[i].name); i++)
		;
	return i;
}

int main(int argc, char **argv)
{
	const char *self = base_name(argc > 0 ? argv[0] : "brig");
	int i;

	/* Called as init, or PID 1 without a command of its own: the
	 * appliance's init. `brig run` as PID 1 of a container stays a run. */
	if (is(self, "init") || (getpid() == 1 && (argc < 2 || find(argv[1]) == N_COMMANDS)))
		return pid1_main(argc, argv);
	if (is(self, "poweroff") || is(self, "reboot") || is(self, "halt")) {
		argv[0] = (char *)self;
		return control_power_main(argc, argv);
	}
	if (argc < 2) {
		fputs(brig_usage, stderr);
		return 2;
	}
	i = find(argv[1]);
	if (i == N_COMMANDS) {
		fprintf(stderr, "brig: unknown command '%s' (see brig --help)\n", argv[1]);
		return 2;
	}
	if (commands[i].fn)
		return commands[i].fn(argc - commands[i].skip, argv + commands[i].skip);
	if (argv[1][0] == 'v' || argv[1][2] == 'v')
		printf("brig %s\n", BRIG_VERSION);
	else
		fputs(brig_usage, stdout);
	return 0;
}
