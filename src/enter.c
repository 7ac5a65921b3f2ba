/* Runs in: the `brig exec` client process, as root on the host. It enters a
 * running jail itself, so the supervisor's loop never waits on a command:
 * the jail's cgroup, then its namespaces (user first, so the others are
 * joined with the jail's own privileges), then a child that takes the
 * service's credentials, capabilities and no_new_privs and execs CMD with
 * the caller's stdio. */
#include "enter.h"

#include "caps.h"
#include "config.h"
#include "fdio.h"
#include "reaper.h"
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *name;
	int type;
} ns_order[] = {
	{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },   { "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID },
	{ "mnt", CLONE_NEWNS },
};

#define NNS (sizeof ns_order / sizeof ns_order[0])

/* Opens every namespace first: /proc changes once the mount one is joined. */
static int enter_namespaces(pid_t pid, const struct jail_cfg *c, struct err *e)
{
	int fds[NNS], rc = 0;
	char path[64];
	size_t i;

	for (i = 0; i < NNS; i++) {
		bool want = ns_order[i].type == CLONE_NEWNS ||
			    (c->namespaces & (unsigned long)ns_order[i].type);

		fds[i] = -1;
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns_order[i].name);
		if (want && rc == 0 && (fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			rc = err_set(e, errno, "open %s", path);
	}
	for (i = 0; i < NNS && rc == 0; i++)
		if (fds[i] >= 0 && setns(fds[i], ns_order[i].type) < 0)
			rc = err_set(e, errno, "setns %s namespace of pid %d", ns_order[i].name,
				     (int)pid);
	for (i = 0; i < NNS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* Runs in: the exec child, inside the jail; never returns. */
static void exec_child(const struct jail_cfg *c, char **argv)
{
	struct creds cr;
	struct err e = { 0 };
	char buf[300];
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (chdir(c->workdir ? c->workdir : "/") < 0)
		err_set(&e, errno, "chdir %s", c->workdir ? c->workdir : "/");
	else if (caps_resolve(c, &cr, &e) == 0 && caps_set_limits(c, &e) == 0 &&
		 seccomp_apply(c, false, &e) == 0 && caps_drop(c, &cr, &e) == 0 &&
		 seccomp_apply(c, true, &e) == 0) {
		execvpe(argv[0], argv, (char *const *)c->env);
		fprintf(stderr, "brig: exec %s: %s: %s\n", c->name, argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	fprintf(stderr, "brig: exec %s: %s\n", c->name, err_str(&e, buf, sizeof buf));
	_exit(125);
}

int jail_exec(pid_t pid, const char *file, const char *cgroup_root, char **argv)
{
	struct diag d = { 0 };
	struct jail_cfg c;
	struct err e = { 0 };
	char path[PATH_MAX + 64], me[16], buf[300];
	pid_t child;
	int st;

	if (config_load_file(file, &c, &d) > 0) {
		fprintf(stderr, "brig: exec: %s no longer loads; run `brig check %s`\n", file, file);
		return 125;
	}
	snprintf(path, sizeof path, "%s/%s/cgroup.procs", cgroup_root, c.name);
	snprintf(me, sizeof me, "%d", (int)getpid());
	if (fdio_write_file(AT_FDCWD, path, me) < 0) {
		fprintf(stderr, "brig: exec %s: join cgroup %s: %s\n", c.name, path, strerror(errno));
		return 125;
	}
	if (enter_namespaces(pid, &c, &e) < 0) {
		fprintf(stderr, "brig: exec %s: %s\n", c.name, err_str(&e, buf, sizeof buf));
		return 125;
	}
	child = fork();
	if (child < 0) {
		fprintf(stderr, "brig: exec %s: fork: %s\n", c.name, strerror(errno));
		return 125;
	}
	if (child == 0)
		exec_child(&c, argv);
	/* The terminal's signals reach the child through the process group. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	return reaper_status(st);
}
