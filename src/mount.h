/* The jail's file system view: planned from the config without touching
 * anything (mount_plan, pure and unit-tested), then built in the jail's own
 * mount namespace (mount_apply). */
#ifndef BRIG_MOUNT_H
#define BRIG_MOUNT_H

#include "config.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

#define MOUNT_MAX_STEPS (CFG_MAX_MOUNTS + 4)  /* the entries, /proc, /dev, /tmp, notify */

enum mount_op {
	MOP_BIND,    /* src, a host path, on dst */
	MOP_VOLUME,  /* like MOP_BIND; src (STATE_DIR/volumes/NAME) is created first */
	MOP_TMPFS,   /* a fresh tmpfs with data as options */
	MOP_PROC,    /* a fresh procfs: the jail's PID namespace */
	MOP_DEV,     /* tmpfs /dev: null zero full random urandom tty, pts/, shm/, links */
};

enum mount_parent {
	MPAR_ROOT,   /* dst's parent lies on the jail's root */
	MPAR_TMPFS,  /* ... on a tmpfs brig mounts (a tmpfs entry, /tmp, /dev) */
	MPAR_OTHER,  /* ... on a bind, volume or /proc: dst must exist */
};

struct mount_step {
	enum mount_op op;
	const char *src;      /* MOP_BIND, MOP_VOLUME: host path; else NULL */
	const char *dst;      /* absolute path inside the jail */
	const char *data;     /* MOP_TMPFS options ("size=N,mode=M") or NULL */
	unsigned long flags;  /* MS_RDONLY MS_NOSUID MS_NODEV MS_NOEXEC MS_REC */
	enum mount_parent parent;
	bool create;          /* a missing dst is created (dir, or file for a file bind) */
	int line;             /* config line; 0 for a built-in mount */
};

struct mount_plan {
	const char *root;       /* host path that becomes "/": cfg->root, or "/" */
	const char *overlay;    /* NULL, "tmpfs" or a host dir holding upper/ and work/ */
	const char *state_dir;  /* staging tmpfs mount point; volumes/ lives below it */
	bool staging;           /* the root is mounted on a tmpfs at state_dir (host root
				 * or overlay), else onto itself */
	bool readonly;          /* the root and what the root bind brought along go read-only */
	bool own_root;          /* root set or overlay: missing targets may be made in it */
	bool userns;            /* in a user namespace: device nodes are bind mounted and
				 * /proc is created before the host's is out of view */
	unsigned vol_uid, vol_gid;  /* owner of a volume dir brig creates: the host ids of
				     * the jail's root with a user namespace, else 0 */
	int root_line, overlay_line, readonly_line;
	struct mount_step steps[MOUNT_MAX_STEPS];  /* in the order they are applied */
	int nsteps;
	char pool[8192];        /* volume source paths */
	size_t pool_used;
};

/* Pure: no I/O. Builds the steps from cfg: /proc, /dev and /tmp as
 * configured, then cfg->mounts[], stably sorted by depth of dst so a mount
 * nested in another always comes after it, each with where its parent lies
 * and whether a missing target may be created: on a tmpfs brig mounted, or
 * in a root directory of its own (root set, or overlay); never in the host's
 * own tree. */
int mount_plan(const struct jail_cfg *cfg, const char *state_dir, struct mount_plan *p,
	       struct err *e);

/* Adds one more bind step (a host path src on dst inside the jail) to a
 * plan, keeping the order and parents mount_plan gives. */
int mount_plan_bind(struct mount_plan *p, const char *src, const char *dst, unsigned long flags,
		    struct err *e);

/* Runs in: the caller (`brig run`, the supervisor), before the jail is
 * cloned: creates the state dir (when staging) and missing volume dirs on the
 * host, which the jail init could not do from inside a user namespace. */
int mount_prepare(const struct mount_plan *p, struct err *e);

/* Runs in: the jail init, in its fresh mount namespace, before the service
 * exists. Makes every mount private, builds the root, enters it with
 * pivot_root and detaches the old one, then applies the steps. Needs the
 * host's /proc and the step sources still reachable on entry. Leaves the
 * cwd at the new "/". On failure e->line names the key. */
int mount_apply(const struct mount_plan *p, struct err *e);

#endif
