/* The control socket's peers: the jail a client runs in. */
#ifndef BRIG_CTLPEER_H
#define BRIG_CTLPEER_H

#include "supervisor.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The jails' cgroups as /proc/PID/cgroup names them to the supervisor:
 * cgroup_root below the cgroup2 mount (mount gets the mount point). NULL
 * when that cannot be told: then every peer must be refused, never taken
 * for the host. */
const char *ctlpeer_jails_cgroup(const char *cgroup_root, char *mount, size_t len);

/* The slot of the jail whose cgroup holds the peer (pid from SO_PEERCRED
 * of fd), -1 for the host, -2 when it cannot be told (no jails_cg, a cgroup
 * below the jails' that is no jail's, the peer gone). */
int ctlpeer_jail(struct sup *sup, const char *jails_cg, int fd, pid_t pid);

/* The one place that decides who may talk to the supervisor: root, and in
 * a jail only as far as its file grants. Sets *grant (enum control_grant;
 * CONTROL_FULL for the host) and *from (the jail's slot, -1: the host).
 * NULL, or why the peer is refused. */
const char *ctlpeer_allowed(struct sup *sup, const char *jails_cg, int fd, int8_t *grant,
			    int16_t *from);

/* A request cmd of a jail's process with grant: NULL when [security]
 * control allows it (status: status and logs; full: all but exec, which
 * would join a cgroup through the jail's read-only /sys/fs/cgroup), else
 * why not. */
const char *ctlpeer_refusal(int grant, const char *cmd);

#endif
