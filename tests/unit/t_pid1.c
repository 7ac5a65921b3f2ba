/* Unit tests of pid1.c's pure parts: the signal table, brig.config= on the
 * kernel command line, and module order from modules.dep. */
#include "pid1.h"

#include <signal.h>
#include <string.h>

#include "tap.h"

static void t_signals(void)
{
	static const struct {
		int sig;
		bool init;
		enum sup_sig kind;
		enum sup_end end;
		const char *name;
	} table[] = {
		{ SIGTERM, true, SUP_SIG_SHUTDOWN, SUP_END_REBOOT, "init: TERM reboots" },
		{ SIGINT, true, SUP_SIG_SHUTDOWN, SUP_END_REBOOT, "init: INT (Ctrl-Alt-Del) reboots" },
		{ SIGUSR1, true, SUP_SIG_SHUTDOWN, SUP_END_HALT, "init: USR1 halts" },
		{ SIGUSR2, true, SUP_SIG_SHUTDOWN, SUP_END_POWEROFF, "init: USR2 powers off" },
		{ SIGPWR, true, SUP_SIG_SHUTDOWN, SUP_END_POWEROFF, "init: PWR powers off" },
		{ SIGHUP, true, SUP_SIG_RELOAD, SUP_END_EXIT, "init: HUP reloads" },
		{ SIGCHLD, true, SUP_SIG_OTHER, SUP_END_EXIT, "init: CHLD is not a request" },
		{ SIGQUIT, true, SUP_SIG_OTHER, SUP_END_EXIT, "init: QUIT is not a request" },
		{ SIGTERM, false, SUP_SIG_SHUTDOWN, SUP_END_EXIT, "supervise: TERM ends it" },
		{ SIGINT, false, SUP_SIG_SHUTDOWN, SUP_END_EXIT, "supervise: INT ends it" },
		{ SIGHUP, false, SUP_SIG_RELOAD, SUP_END_EXIT, "supervise: HUP reloads" },
		{ SIGUSR2, false, SUP_SIG_OTHER, SUP_END_EXIT, "supervise: USR2 is nothing" },
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		enum sup_end end = SUP_END_EXIT;
		enum sup_sig k = sup_signal_action(table[i].sig, table[i].init, &end);

		ok(k == table[i].kind && (k != SUP_SIG_SHUTDOWN || end == table[i].end), "%s",
		   table[i].name);
	}
}

static void t_cmdline(void)
{
	char out[64];

	ok(pid1_cmdline_config("console=ttyS0 brig.config=/etc/x quiet\n", out, sizeof out) == 0 &&
		   !strcmp(out, "/etc/x"),
	   "brig.config= among other words");
	ok(pid1_cmdline_config("brig.config=/a brig.config=/b", out, sizeof out) == 0 &&
		   !strcmp(out, "/b"),
	   "the last brig.config= wins");
	ok(pid1_cmdline_config("a \"brig.config=/with space\" b", out, sizeof out) == 0 &&
		   !strcmp(out, "/with space"),
	   "a quoted word keeps its blank, loses its quotes");
	ok(pid1_cmdline_config("brig.config=\"/q v\"", out, sizeof out) == 0 && !strcmp(out, "/q v"),
	   "a quoted value");
	ok(pid1_cmdline_config("xbrig.config=/a brig.configx=/b", out, sizeof out) < 0,
	   "only the exact key counts");
	ok(pid1_cmdline_config("brig.config=", out, sizeof out) < 0, "an empty value is none");
	ok(pid1_cmdline_config("brig.config=/0123456789", out, 8) < 0, "a value too long is none");
	ok(pid1_cmdline_config("", out, sizeof out) < 0, "an empty command line");
}

static const char dep[] =
	"kernel/fs/overlayfs/overlay.ko:\n"
	"kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n"
	"kernel/net/802/stp.ko: kernel/net/llc/llc.ko\n"
	"kernel/net/llc/llc.ko:\n"
	"kernel/drivers/hid/hid-generic.ko: kernel/drivers/hid/hid.ko\n"
	"kernel/drivers/hid/hid.ko:\n"
	"kernel/fs/xfs/xfs.ko.xz:";

static void t_modules(void)
{
	const char *p[8];
	char line[256];
	int n;

	n = pid1_module_paths(dep, sizeof dep - 1, "bridge", line, sizeof line, p, 8);
	ok(n == 3 && !strcmp(p[0], "kernel/net/llc/llc.ko") &&
		   !strcmp(p[1], "kernel/net/802/stp.ko") &&
		   !strcmp(p[2], "kernel/net/bridge/bridge.ko"),
	   "dependencies load from the end of the list, the module last");
	n = pid1_module_paths(dep, sizeof dep - 1, "overlay", line, sizeof line, p, 8);
	ok(n == 1 && !strcmp(p[0], "kernel/fs/overlayfs/overlay.ko"), "a module without deps");
	n = pid1_module_paths(dep, sizeof dep - 1, "hid_generic", line, sizeof line, p, 8);
	ok(n == 2 && !strcmp(p[1], "kernel/drivers/hid/hid-generic.ko"), "'_' matches '-'");
	n = pid1_module_paths(dep, sizeof dep - 1, "xfs", line, sizeof line, p, 8);
	ok(n == 1 && !strcmp(p[0], "kernel/fs/xfs/xfs.ko.xz"), "a compressed module, last line");
	ok(pid1_module_paths(dep, sizeof dep - 1, "hid", line, sizeof line, p, 8) == 1,
	   "a name that is a prefix of another matches only itself");
	ok(pid1_module_paths(dep, sizeof dep - 1, "stp.ko", line, sizeof line, p, 8) == 0 &&
		   pid1_module_paths(dep, sizeof dep - 1, "over", line, sizeof line, p, 8) == 0,
	   "no partial matches");
	ok(pid1_module_paths(dep, sizeof dep - 1, "bridge", line, 16, p, 8) < 0,
	   "a line longer than the buffer is an error");
	ok(pid1_module_paths(dep, sizeof dep - 1, "bridge", line, sizeof line, p, 2) < 0,
	   "more paths than room is an error");
	n = pid1_module_paths("kernel/net/unix/unix.ko\nkernel/fs/ext4/ext4.ko\n", 47, "unix",
			      line, sizeof line, p, 1);
	ok(n == 1 && !strcmp(p[0], "kernel/net/unix/unix.ko"), "modules.builtin lines");
}

int main(void)
{
	t_signals();
	t_cmdline();
	t_modules();
	return done();
}
