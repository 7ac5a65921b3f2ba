/* Runs in: the `brig run` process: one jail in the foreground, no restarts.
 * It is never PID 1 of the host, but follows the same rules: signals only
 * through a signalfd, one report line per failure. */
#include "run.h"

#include "cgroup.h"
#include "config.h"
#include "err.h"
#include "jail.h"
#include "net.h"
#include "reaper.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_STATE_DIR "/run/brig"

static const char run_usage[] =
	"usage: brig run [--cgroup-root DIR] FILE.ini [-- ARG...]\n"
	"Build the jail FILE.ini describes, run its command in the foreground and\n"
	"exit with its status (125: brig failed, 126: cannot execute, 127: not\n"
	"found, 128+N: killed by signal N). -- ARG... replaces the command.\n"
	"State dir (volumes): $BRIG_STATE_DIR, else " DEFAULT_STATE_DIR ".\n";

/* Forwarded to the jail init, which forwards them to the service. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
				 SIGCONT };

struct run_args {
	const char *cgroup_root;
	const char *file;
	char **argv;  /* after "--", NULL-terminated; NULL when none */
};

/* FILE:LINE: error: jail NAME: MESSAGE: STRERROR */
static void print_err(const struct jail_cfg *cfg, const char *file, const struct err *e)
{
	char buf[sizeof e->msg + 128];

	err_str(e, buf, sizeof buf);
	if (e->line > 0)
		fprintf(stderr, "%s:%d: error: jail %s: %s\n", file, e->line, cfg->name, buf);
	else
		fprintf(stderr, "%s: error: jail %s: %s\n", file, cfg->name, buf);
}

/* 0: go on; 1: --help printed; -1: usage error printed. */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	int i;

	memset(a, 0, sizeof *a);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(run_usage, stdout);
			return 1;
		} else if (!strcmp(argv[i], "--cgroup-root") && i + 1 < argc && !a->file) {
			a->cgroup_root = argv[++i];
		} else if (!strncmp(argv[i], "--cgroup-root=", 14) && !a->file) {
			a->cgroup_root = argv[i] + 14;
		} else if (!strcmp(argv[i], "--") && a->file) {
			if (i + 1 >= argc)
				break;
			a->argv = argv + i + 1;
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1] && !a->file) {
			fprintf(stderr, "brig: run: unknown option '%s'\n%s", argv[i], run_usage);
			return -1;
		} else if (!a->file) {
			a->file = argv[i];
		} else {
			break;
		}
	}
	if (!a->file || i < argc) {
		fputs(run_usage, stderr);
		return -1;
	}
	return 0;
}

static int make_sigfd(void)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(&set, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Waits for the jail init, forwarding signals, a terminal's ^C included (the
 * service has a session of its own); returns its exit status. A TERM
 * becomes the jail's stop_signal. */
static int wait_jail(const struct jail_cfg *cfg, int sigfd, pid_t pid)
{
	struct signalfd_siginfo si;
	pid_t r;
	int st;

	for (;;) {
		ssize_t n = read(sigfd, &si, sizeof si);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof si)
			break;
		if (si.ssi_signo == SIGCHLD) {
			while ((r = waitpid(pid, &st, WNOHANG)) < 0 && errno == EINTR)
				;
			if (r == pid)
				return reaper_status(st);
			if (r < 0)
				return 125;
		} else {
			int sig = (int)si.ssi_signo;

			(void)kill(pid, sig == SIGTERM ? cfg->stop_signal : sig);
		}
	}
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	return r == pid ? reaper_status(st) : 125;
}

static int cgroup_root(const char *opt, char *buf, size_t len, struct err *e)
{
	if (opt) {
		if (snprintf(buf, len, "%s", opt) >= (int)len)
			return err_set(e, ENAMETOOLONG, "cgroup root %s", opt);
		return 0;
	}
	if (cgroup_find_mount(buf, len - 8, e) < 0)
		return -1;
	strcat(buf, "/brig");
	return 0;
}

static int run_jail(const struct jail_cfg *cfg, const struct run_args *a)
{
	static struct jail j;  /* the mount plan is large; keep it off the stack */
	struct jail_opts o = { .argv = a->argv, .stdio_fd = -1, .ready_fd = -1, .netns_fd = -1 };
	struct net_hold net = { .fd = -1 };
	char root[PATH_MAX];
	struct err e, rep;
	int status, sigfd;

	memset(&e, 0, sizeof e);
	o.state_dir = getenv("BRIG_STATE_DIR");
	if (!o.state_dir || !o.state_dir[0])
		o.state_dir = DEFAULT_STATE_DIR;
	o.cgroup_root = root;
	if (cgroup_root(a->cgroup_root, root, sizeof root, &e) < 0)
		goto fail;
	if ((sigfd = make_sigfd()) < 0) {
		err_sys(&e, "signalfd");
		goto fail;
	}
	/* No restarts here, so nothing outlives the run: not pinned. */
	if (net_needs_hold(cfg) && net_hold(cfg, NULL, &net, &e) < 0)
		goto fail;
	o.netns_fd = net.fd;
	if (jail_start(cfg, &o, &j, &e) < 0)
		goto fail;
	status = wait_jail(cfg, sigfd, j.pid);
	if (jail_report(&j, &rep))
		print_err(cfg, a->file, &rep);
	else if (status == 128 + SIGSYS)
		fprintf(stderr, "brig: %s: killed by SIGSYS (seccomp)\n", cfg->name);
	if (jail_end(&j, &e) < 0)
		print_err(cfg, a->file, &e);
	net_release(cfg->name, NULL, &net);
	return status;
fail:
	print_err(cfg, a->file, &e);
	net_release(cfg->name, NULL, &net);
	return 125;
}

int run_main(int argc, char **argv)
{
	struct diag d = { .emit = diag_stderr };
	struct jail_cfg cfg;
	struct run_args a;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc > 0 ? 0 : 125;
	if (config_load_file(a.file, &cfg, &d) > 0) {
		config_free(&cfg);
		return 125;
	}
	rc = run_jail(&cfg, &a);
	config_free(&cfg);
	return rc;
}
