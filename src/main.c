/* Runs in: every brig process at start. Picks the role from argv[0] and the
 * first word; the only place that calls exit(). */
#include "check.h"
#include "ctlclient.h"
#include "jail.h"
#include "pid1.h"
#include "run.h"
#include "supervise.h"
#include "usage.h"
#include "value.h"

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

/* Every command in order, and what runs it: an entry of mains[] (8: none,
 * version or help), and in bit 4 whether it takes the words with the
 * command (1) or after it (0). */
static const char names[] =
	"check\0run\0supervise\0init\0poweroff\0reboot\0halt\0status\0start\0stop\0"
	"restart\0kill\0pause\0resume\0logs\0stats\0exec\0reload\0--socket\0version\0--version\0"
	"--help\0-h\0help\0";
static const unsigned char how[] = { 0, 1, 2, 0x13, 0x14, 0x14, 0x14, 0x15, 0x15, 0x15,
				     0x15, 0x15, 0x15, 0x15, 0x15, 0x15, 0x15, 0x15, 0x15, 8,
				     8, 8, 8, 8 };
static int (*const mains[])(int argc, char **argv) = {
	check_main, run_main, supervise_main, pid1_main, control_power_main, control_client_main,
};

static int find(const char *cmd)
{
	const char *n;
	int i;

	for (i = 0; (n = value_nth(names, i)) && !is(cmd, n); i++)
		;
	return n ? i : -1;
}

int main(int argc, char **argv)
{
	const char *self = base_name(argc > 0 ? argv[0] : "brig");
	int i;

	/* A jail init: jail_start exec'd this fresh image of brig. */
	if (argc == 3 && is(argv[1], "jail-init"))
		return jail_init_main(argc, argv);
	/* Called as init, or PID 1 without a command of its own: the
	 * appliance's init. `brig run` as PID 1 of a container stays a run. */
	if (is(self, "init") || (getpid() == 1 && (argc < 2 || find(argv[1]) < 0)))
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
	if (i < 0) {
		fprintf(stderr, "brig: unknown command '%s' (see brig --help)\n", argv[1]);
		return 2;
	}
	if (how[i] < 8 || how[i] > 0x10)
		return mains[how[i] & 7](argc - 2 + (how[i] >> 4), argv + 2 - (how[i] >> 4));
	if (argv[1][0] == 'v' || argv[1][2] == 'v')
		printf("brig %s\n", BRIG_VERSION);
	else
		fputs(brig_usage, stdout);
	return 0;
}
