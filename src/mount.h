/* The jail's file system view: planned from the config without touching
 * anything (mount_plan, pure and unit-tested), then built in the jail's own
 * mount namespace (mount_apply). */
#ifndef BRIG_MOUNT_H
#define BRIG_MOUNT_H

#include "config.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* The entries, then /proc, /dev, /tmp, /sys, /run, notify, /sys/fs/cgroup. */
#define MOUNT_MAX_STEPS (CFG_MAX_MOUNTS + 7)

enum mount_op {
	MOP_BIND,    /* src, a host path resolved without symlinks, on dst */
	MOP_VOLUME,  /* like MOP_BIND from STATE_DIR/volumes/NAME, created first */
	MOP_TMPFS,   /* a fresh tmpfs with data as options */
	MOP_PROC,    /* a fresh procfs (the jail's PID namespace), host files hidden */
	MOP_DEV,     /* tmpfs /dev: null zero full random urandom tty, pts/, shm/, links */
	MOP_SYS,     /* read-only sysfs with a network namespace, else an empty tmpfs
		      * made read-only once everything below it is mounted */
};

enum mount_parent {
	MPAR_ROOT,   /* dst's parent lies on the jail's root */
	MPAR_TMPFS,  /* ... on a tmpfs brig mounts (a tmpfs entry, /tmp, /dev, /sys) */
	MPAR_OTHER,  /* ... on a bind, volume, /proc or sysfs: dst must exist */
};

struct mount_step {
	enum mount_op op;
	const char *src;      /* MOP_BIND: host path; else NULL */
	const char *dst;      /* absolute path inside the jail */
	const char *data;     /* MOP_TMPFS options ("size=N,mode=M"), MOP_VOLUME its name */
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
	bool readonly;          /* the root goes read-only (never the mounts on it) */
	bool own_root;          /* root set or overlay: never the host's own tree */
	bool userns;            /* in a user namespace: device nodes are bind mounted */
	bool netns;             /* a network namespace of the jail's own: sysfs, and a
				 * writable /proc/sys/net */
	unsigned vol_uid, vol_gid;  /* owner of a volume dir brig creates: the host ids of
				     * the jail's root with a user namespace, else 0 */
	int root_line, overlay_line, readonly_line;
	struct mount_step steps[MOUNT_MAX_STEPS];  /* in the order they are applied */
	int nsteps;
	int nvolumes;
};

/* Pure: no I/O. Builds the steps from cfg: /proc, /dev, /tmp, /sys and
 * (for the host's root) /run as configured or by default, then
 * cfg->mounts[], stably sorted by depth of dst so a mount nested in another
 * always comes after it, each with where its parent lies and whether a
 * missing target may be created: on a tmpfs brig mounted, or in a writable
 * root directory of its own (root set and readonly_root = no, or an
 * overlay); never in the host's tree or a read-only root. */
int mount_plan(const struct jail_cfg *cfg, const char *state_dir, struct mount_plan *p,
	       struct err *e);

/* Adds one more bind step (a host path src on dst inside the jail) to a
 * plan, keeping the order and parents mount_plan gives. */
int mount_plan_bind(struct mount_plan *p, const char *src, const char *dst, unsigned long flags,
		    struct err *e);

/* Runs in: the caller (`brig run`, the supervisor), before the jail is
 * cloned: creates the state dir (0700, when staging), volumes/ (0700) and
 * missing volume dirs on the host, none of them through a symlink. */
int mount_prepare(const struct mount_plan *p, struct err *e);

/* Runs in: the caller, once the jail is gone. In a writable root dir of the
 * jail's own, removes the mount points mount_apply made there (and the
 * parents it made for them), never through a symlink. */
void mount_tidy(const struct mount_plan *p);

/* Runs in: the jail's setup child, in the jail's fresh mount namespace,
 * before the service exists. Makes every mount private, opens every source
 * while the host's tree is in view, builds the root (bound without its
 * submounts), enters it with pivot_root and detaches the old one, then
 * applies the steps. Leaves the cwd at the new "/". e->line names the key. */
int mount_apply(const struct mount_plan *p, struct err *e);

#endif
