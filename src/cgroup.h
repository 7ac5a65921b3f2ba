/* cgroup v2: one cgroup per jail, <cgroup root>/<jail name>. */
#ifndef BRIG_CGROUP_H
#define BRIG_CGROUP_H

#include "config.h"
#include "err.h"

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct cgroup {
	char path[PATH_MAX];  /* "<root>/<name>"; "" when there is none */
	int dirfd;            /* the directory, O_RDONLY: for CLONE_INTO_CGROUP; -1 when none */
};

/* The mount point of the first cgroup2 file system in /proc/self/mountinfo,
 * into buf. */
int cgroup_find_mount(char *buf, size_t len, struct err *e);

/* Creates <root>/<cfg->name> (and root itself, one level, when missing),
 * enables in the parents, from the cgroup2 mount down to root, every
 * controller cfg->cgroup[] needs, and writes each entry. A cgroup of that
 * name that still holds processes is an error (EBUSY); an empty leftover is
 * reused. On failure nothing is left behind and e->line names the entry. */
int cgroup_create(const char *root, const struct jail_cfg *cfg, struct cgroup *cg, struct err *e);

/* Moves pid into the jail's cgroup: the fallback when clone3 cannot start
 * the child there (CLONE_INTO_CGROUP needs Linux 5.7). */
int cgroup_attach(const struct cgroup *cg, pid_t pid, struct err *e);

/* Removes the jail's cgroup: when something is still inside, kills it with
 * cgroup.kill and waits (poll on cgroup.events, at most 5 s) until it is
 * empty. Closes dirfd (a caller that closed it already sets it to -1). Safe
 * to call twice. */
int cgroup_remove(struct cgroup *cg, struct err *e);

#endif
