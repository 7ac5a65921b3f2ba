/* The control socket's peers: the jail a client runs in. */
#ifndef BRIG_CTLPEER_H
#define BRIG_CTLPEER_H

#include "supervisor.h"

#include <stddef.h>
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

#endif
