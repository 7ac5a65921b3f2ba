/* What the service runs as: user, groups, capabilities, no_new_privs,
 * rlimits and umask. */
#ifndef BRIG_CAPS_H
#define BRIG_CAPS_H

#include "config.h"
#include "err.h"

#include <stdint.h>
#include <sys/types.h>

struct creds {
	uid_t uid;
	gid_t gid;
	gid_t groups[CFG_MAX_GROUPS];
	int ngroups;
};

/* Resolves cfg->user and cfg->groups. Names are looked up in /etc/passwd and
 * /etc/group of the current root, so call it after pivot_root. "UID" without
 * ":GID" takes the GID of the passwd line with that UID, else GID = UID.
 * e->line names the key on failure. */
int caps_resolve(const struct jail_cfg *cfg, struct creds *cr, struct err *e);

/* Sets cfg->rlimits and cfg->umask. */
int caps_set_limits(const struct jail_cfg *cfg, struct err *e);

/* Becomes cr and keeps only the capabilities in cfg->caps: lowers the
 * bounding set, sets groups, gid, uid, then permitted = effective =
 * inheritable = ambient = cfg->caps, then no_new_privs. Needs CAP_SETPCAP,
 * CAP_SETUID and CAP_SETGID on entry. */
int caps_drop(const struct jail_cfg *cfg, const struct creds *cr, struct err *e);

/* Permitted = effective = keep (bit n: capability n), inheritable and
 * ambient empty. For the jail init, which only needs CAP_KILL. */
int caps_keep_only(uint64_t keep, struct err *e);

#endif
