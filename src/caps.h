/* What a process of the jail runs as: user, groups, capabilities,
 * no_new_privs, rlimits, umask, session keyring, workdir. */
#ifndef BRIG_CAPS_H
#define BRIG_CAPS_H

#include "config.h"
#include "err.h"

#include <stdint.h>
#include <sys/types.h>

/* Runs in: a jail's service child or brig exec's child, after pivot_root.
 * Everything a process of the jail gets before its exec, in order: rlimits
 * and umask; user and groups, names looked up in the jail's /etc/passwd and
 * /etc/group ("UID" alone takes the GID of its passwd line, else GID =
 * UID); the bounding set lowered, then groups, gid, uid, then permitted =
 * effective = inheritable = ambient = cfg->caps; no_new_privs; an empty
 * session keyring of its own; workdir, as that user. e->line names the
 * key on failure. Needs CAP_SETPCAP, CAP_SETUID and CAP_SETGID. */
int caps_apply(const struct jail_cfg *cfg, struct err *e);

/* Permitted = effective = keep (bit n: capability n), inheritable and
 * ambient empty: 0, or -1 with errno set. For the jail init, which only
 * needs CAP_KILL. */
int caps_keep_only(uint64_t keep);

#endif
