/* One jail: cgroup, namespaces, root, credentials, and its init. */
#ifndef BRIG_JAIL_H
#define BRIG_JAIL_H

#include "cgroup.h"
#include "config.h"
#include "err.h"
#include "mount.h"

#include <sys/types.h>

struct jail_opts {
	const char *cgroup_root;  /* the jail's cgroup is <cgroup_root>/<name> */
	const char *state_dir;    /* volumes/ and the staging mount point */
	char *const *argv;        /* replaces cfg->argv when not NULL (looked up in the
				   * jail's PATH when it holds no '/') */
	int stdio_fd;             /* >= 0: the service's stdout and stderr, stdin /dev/null
				   * (the jail init's too); -1: the caller's stdio */
	int ready_fd;             /* >= 0: becomes fd cfg->ready_fd of the service (ready =
				   * fd:N); -1: none */
	const char *notify_path;  /* host path of the supervisor's notify socket (writable
				   * by any user: only this jail reaches it), bound into the
				   * jail at JAIL_NOTIFY_*, exported as NOTIFY_SOCKET */
	const char *control_path; /* host path of the control socket, bound into the jail
				   * at JAIL_CONTROL ([security] control granted); NULL */
	int netns_fd;             /* >= 0: the network namespace the jail enters (net_hold,
				   * or a jail:NAME's); -1: none held (host, or a fresh one) */
};

/* Where the control socket appears in a jail granted [security] control: on
 * a /run tmpfs of brig's, or the file's own /run. */
#define JAIL_CONTROL "/run/brig/control.sock"

/* Where a notify socket appears inside the jail: brig's /dev tmpfs with
 * dev = minimal, else its private /tmp, else /run (which must exist). */
#define JAIL_NOTIFY_DEV "/dev/notify"
#define JAIL_NOTIFY_TMP "/tmp/.notify"
#define JAIL_NOTIFY_RUN "/run/notify"

struct jail {
	pid_t pid;          /* host pid of the jail init; 0 when not running */
	int errfd;          /* read end: one struct err when setup or exec failed,
			     * EOF once the service has exec'd or the jail is gone */
	struct cgroup cg;
	struct mount_plan plan;
};

/* Runs in: `brig run`, the supervisor. Builds the jail's cgroup, then clones
 * the jail init straight into it (clone3 CLONE_INTO_CGROUP; before Linux 5.7
 * the child waits on a pipe until it was moved there) with new PID and mount
 * namespaces and the configured others. The child execs a fresh image of
 * brig (/proc/self/exe) as the jail init, handing it the jail's setup in a
 * memfd, so it holds nothing of the caller's memory; the jail init builds
 * the jail and starts the service, nothing of which runs before everything
 * is in place. The caller must have SIGCHLD blocked, waits for j->pid, then
 * calls jail_report and jail_end. On failure nothing is left behind. */
int jail_start(const struct jail_cfg *cfg, const struct jail_opts *o, struct jail *j,
	       struct err *e);

/* After the jail init was reaped: 1 and *report filled when setup or exec
 * failed (report->line is the config line, 0: none), else 0. Closes errfd. */
int jail_report(struct jail *j, struct err *report);

/* Removes the mount points brig made in a root dir of the jail's own and
 * the cgroup (killing anything left in it); always call once the jail init
 * is reaped. */
int jail_end(struct jail *j, struct err *e);

/* The same for a caller that keeps no struct jail (the supervisor): only
 * the mount points, planned again from cfg into scratch. */
void jail_tidy(const struct jail_cfg *cfg, const char *state_dir, struct jail *scratch);

/* Runs in: the jail init, a fresh image of brig exec'd by jail_start
 * (argv: brig jail-init FD, FD the memfd). Never returns to a caller that
 * could go on: its result is the jail's exit status (brig(8), EXIT STATUS). */
int jail_init_main(int argc, char **argv);

#endif
