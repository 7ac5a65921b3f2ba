/* mount_plan runs anywhere (pure). mount_apply runs in: the jail init, in
 * the jail's private mount namespace, before pivot_root and just after it;
 * nothing here is visible on the host, and nothing is created in the host's
 * tree except the state dir and volumes/NAME. */
#include "mount.h"

#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define TMP_DATA "size=16777216,mode=1777"
#define FLAG_MASK (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* ---- planning (pure) ---- */

static int depth(const char *path)
{
	int n = 0;

	for (; *path; path++)
		if (*path == '/' && path[1])
			n++;
	return n;
}

/* outer covers inner's parent: inner lies strictly below outer. */
static bool below(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	if (!strcmp(outer, "/"))
		return strcmp(inner, "/") != 0;
	return !strncmp(inner, outer, n) && inner[n] == '/';
}

static struct mount_step *add(struct mount_plan *p, enum mount_op op, const char *dst, int line)
{
	struct mount_step *s = &p->steps[p->nsteps++];

	memset(s, 0, sizeof *s);
	s->op = op;
	s->dst = dst;
	s->line = line;
	return s;
}

static const char *volume_path(struct mount_plan *p, const char *name)
{
	size_t left = sizeof p->pool - p->pool_used;
	int n = snprintf(p->pool + p->pool_used, left, "%s/volumes/%s", p->state_dir, name);
	const char *s = p->pool + p->pool_used;

	if (n < 0 || (size_t)n >= left)
		return NULL;
	p->pool_used += (size_t)n + 1;
	return s;
}

static int add_entry(struct mount_plan *p, const struct mount_ent *m, struct err *e)
{
	struct mount_step *s;

	if (!m->dst || !strcmp(m->dst, "/")) {
		err_set(e, EINVAL, "cannot mount over the jail's root");
		e->line = m->line;
		return -1;
	}
	s = add(p, m->kind == MNT_TMPFS ? MOP_TMPFS : m->kind == MNT_BIND ? MOP_BIND : MOP_VOLUME,
		m->dst, m->line);
	s->flags = m->flags;
	s->data = m->data;
	s->src = m->src;
	if (m->kind == MNT_VOLUME) {
		/* A volume is read-write; what it holds is never setuid or a device. */
		s->flags = (m->flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV;
		s->src = volume_path(p, m->src);
		if (!s->src) {
			err_set(e, ENAMETOOLONG, "volume %s: path too long", m->src);
			e->line = m->line;
			return -1;
		}
	}
	return 0;
}

/* Stable: equal depths keep file order. */
static void sort_by_depth(struct mount_plan *p)
{
	int i, j;

	for (i = 1; i < p->nsteps; i++) {
		struct mount_step s = p->steps[i];
		int d = depth(s.dst);

		for (j = i; j > 0 && depth(p->steps[j - 1].dst) > d; j--)
			p->steps[j] = p->steps[j - 1];
		p->steps[j] = s;
	}
}

/* A root of its own may take new mount points; the host's never does. */
static void set_parents(struct mount_plan *p, bool own_root)
{
	int i, j;

	for (i = 0; i < p->nsteps; i++) {
		struct mount_step *s = &p->steps[i];
		int best = -1;

		for (j = 0; j < i; j++)
			if (below(s->dst, p->steps[j].dst) &&
			    (best < 0 || strlen(p->steps[j].dst) >= strlen(p->steps[best].dst)))
				best = j;
		if (best < 0)
			s->parent = MPAR_ROOT;
		else if (p->steps[best].op == MOP_TMPFS || p->steps[best].op == MOP_DEV)
			s->parent = MPAR_TMPFS;
		else
			s->parent = MPAR_OTHER;
		s->create = s->parent == MPAR_TMPFS || (s->parent == MPAR_ROOT && own_root);
	}
}

int mount_plan(const struct jail_cfg *cfg, const char *state_dir, struct mount_plan *p,
	       struct err *e)
{
	struct mount_step *s;
	int i;

	memset(p, 0, sizeof *p);
	p->root = cfg->root ? cfg->root : "/";
	p->overlay = cfg->overlay;
	p->state_dir = state_dir;
	p->staging = !cfg->root || cfg->overlay;
	p->readonly = cfg->readonly_root && !cfg->overlay;
	p->userns = (cfg->namespaces & CLONE_NEWUSER) != 0;
	p->root_line = cfg->line[K_ROOT];
	p->overlay_line = cfg->line[K_OVERLAY];
	p->readonly_line = cfg->line[K_READONLY_ROOT];
	if (p->userns && cfg->uid_map.inside == 0)
		p->vol_uid = cfg->uid_map.outside;
	if (p->userns && cfg->gid_map.inside == 0)
		p->vol_gid = cfg->gid_map.outside;
	if (cfg->nmounts < 0 || cfg->nmounts > CFG_MAX_MOUNTS)
		return BUG(e);
	if (cfg->proc)
		add(p, MOP_PROC, "/proc", cfg->line[K_PROC]);
	if (cfg->dev == DEV_MINIMAL)
		add(p, MOP_DEV, "/dev", cfg->line[K_DEV]);
	if (!cfg->tmp_named) {
		s = add(p, MOP_TMPFS, "/tmp", 0);
		s->data = TMP_DATA;
		s->flags = MS_NOSUID | MS_NODEV;
	}
	for (i = 0; i < cfg->nmounts; i++)
		if (add_entry(p, &cfg->mounts[i], e) < 0)
			return -1;
	p->own_root = cfg->root != NULL || cfg->overlay != NULL;
	sort_by_depth(p);
	set_parents(p, p->own_root);
	return 0;
}

int mount_plan_bind(struct mount_plan *p, const char *src, const char *dst, unsigned long flags,
		    struct err *e)
{
	struct mount_step *s;

	if (p->nsteps >= MOUNT_MAX_STEPS)
		return err_set(e, E2BIG, "more than %d mounts", MOUNT_MAX_STEPS);
	s = add(p, MOP_BIND, dst, 0);
	s->src = src;
	s->flags = flags;
	sort_by_depth(p);
	set_parents(p, p->own_root);
	return 0;
}

/* ---- applying ---- */

static unsigned attr_of(unsigned long flags)
{
	return (flags & MS_RDONLY ? SYS_MOUNT_ATTR_RDONLY : 0) |
	       (flags & MS_NOSUID ? SYS_MOUNT_ATTR_NOSUID : 0) |
	       (flags & MS_NODEV ? SYS_MOUNT_ATTR_NODEV : 0) |
	       (flags & MS_NOEXEC ? SYS_MOUNT_ATTR_NOEXEC : 0);
}

static int step_fail(struct err *e, const struct mount_step *s)
{
	e->line = s->line;
	return -1;
}

/* mkdir -p, every component 0755 (the jail init runs with umask 0). */
static int mkdir_p(char *path)
{
	char *p;

	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int mount_prepare(const struct mount_plan *p, struct err *e)
{
	char path[PATH_MAX];
	int i;

	if (p->staging) {
		if (snprintf(path, sizeof path, "%s", p->state_dir) >= (int)sizeof path)
			return err_set(e, ENAMETOOLONG, "state dir %s", p->state_dir);
		if (mkdir_p(path) < 0)
			return err_set(e, errno, "create state dir %s", p->state_dir);
	}
	for (i = 0; i < p->nsteps; i++) {
		const struct mount_step *s = &p->steps[i];

		if (s->op != MOP_VOLUME)
			continue;
		snprintf(path, sizeof path, "%s", s->src);
		if (mkdir(path, 0755) == 0) {
			if ((p->vol_uid || p->vol_gid) && chown(path, p->vol_uid, p->vol_gid) < 0)
				return err_set(e, errno, "chown volume %s", s->src), step_fail(e, s);
			continue;
		}
		if (errno == EEXIST)
			continue;
		if (errno != ENOENT || mkdir_p(path) < 0 ||
		    ((p->vol_uid || p->vol_gid) && chown(path, p->vol_uid, p->vol_gid) < 0))
			return err_set(e, errno, "create volume %s", s->src), step_fail(e, s);
	}
	return 0;
}

/* Creates dst when missing: a directory, or an empty file to bind a file on. */
static int make_target(const struct mount_step *s, bool dir, struct err *e)
{
	char path[PATH_MAX];
	char *slash;

	if (snprintf(path, sizeof path, "%s", s->dst) >= (int)sizeof path)
		return err_set(e, ENAMETOOLONG, "mount target %s", s->dst), step_fail(e, s);
	if (dir) {
		if (mkdir_p(path) < 0)
			return err_set(e, errno, "create mount target %s", s->dst), step_fail(e, s);
		return 0;
	}
	if (mknod(path, S_IFREG | 0644, 0) == 0 || errno == EEXIST)
		return 0;
	slash = strrchr(path, '/');
	if (errno == ENOENT && slash && slash != path) {
		*slash = '\0';
		if (mkdir_p(path) == 0) {
			*slash = '/';
			if (mknod(path, S_IFREG | 0644, 0) == 0 || errno == EEXIST)
				return 0;
		}
	}
	return err_set(e, errno, "create mount target %s", s->dst), step_fail(e, s);
}

/* A detached copy of a host path, its flags already set, to be attached once
 * the jail's root is in place. */
static int clone_source(const struct mount_step *s, struct err *e)
{
	struct sys_mount_attr a = { .attr_set = attr_of(s->flags) };
	unsigned rec = s->flags & MS_REC ? SYS_AT_RECURSIVE : 0;
	int fd;

	fd = sys_open_tree(AT_FDCWD, s->src, SYS_OPEN_TREE_CLONE | O_CLOEXEC | rec);
	if (fd < 0)
		return err_set(e, errno, "bind source %s", s->src), step_fail(e, s);
	if (a.attr_set && sys_mount_setattr(fd, "", SYS_AT_EMPTY_PATH | rec, &a) < 0) {
		err_set(e, errno, "bind %s: set flags", s->src);
		close(fd);
		return step_fail(e, s);
	}
	return fd;
}

static const struct {
	const char *name;
	unsigned major, minor;
} dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};
#define NNODES (int)(sizeof dev_nodes / sizeof dev_nodes[0])

/* File descriptors mount_apply holds between opening and attaching. */
struct held {
	int step[MOUNT_MAX_STEPS];  /* MOP_BIND, MOP_VOLUME: detached copies */
	int dev[NNODES];            /* userns: copies of the host's device nodes */
	int proc;                   /* userns: a procfs made while the host's is visible */
};

/* In a user namespace a new procfs is refused unless a full one is already
 * visible in the mount namespace (mount_too_revealing), and mknod is not
 * allowed at all: take both while the host's tree is still here. */
static int open_proc(struct err *e)
{
	int fs = sys_fsopen("proc", SYS_FSOPEN_CLOEXEC), m = -1;

	if (fs < 0)
		return err_set(e, errno, "fsopen proc");
	if (sys_fsconfig(fs, SYS_FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = sys_fsmount(fs, SYS_FSMOUNT_CLOEXEC,
				SYS_MOUNT_ATTR_NOSUID | SYS_MOUNT_ATTR_NODEV | SYS_MOUNT_ATTR_NOEXEC);
	if (m < 0)
		err_set(e, errno, "mount proc");
	close(fs);
	return m;
}

static int open_sources(const struct mount_plan *p, struct held *h, struct err *e)
{
	char path[32];
	int i, j;

	for (i = 0; i < p->nsteps; i++) {
		const struct mount_step *s = &p->steps[i];

		if (s->op == MOP_BIND || s->op == MOP_VOLUME) {
			if ((h->step[i] = clone_source(s, e)) < 0)
				return -1;
		} else if (s->op == MOP_PROC && p->userns) {
			if ((h->proc = open_proc(e)) < 0)
				return step_fail(e, s);
		} else if (s->op == MOP_DEV && p->userns) {
			for (j = 0; j < NNODES; j++) {
				snprintf(path, sizeof path, "/dev/%s", dev_nodes[j].name);
				h->dev[j] = sys_open_tree(AT_FDCWD, path,
							  SYS_OPEN_TREE_CLONE | O_CLOEXEC);
				if (h->dev[j] < 0)
					return err_set(e, errno, "bind source %s", path),
					       step_fail(e, s);
			}
		}
	}
	return 0;
}

static int mount_overlay(const struct mount_plan *p, const char *newroot, struct err *e)
{
	char data[4096];
	const char *base = strcmp(p->overlay, "tmpfs") ? p->overlay : p->state_dir;
	int n;

	if (strpbrk(p->root, ",:\\") || strpbrk(base, ",:\\"))
		return err_set(e, EINVAL, "overlay: a path holds ',', ':' or '\\'");
	n = snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", p->root,
		     base, base);
	if (n < 0 || (size_t)n >= sizeof data)
		return err_set(e, ENAMETOOLONG, "overlay options");
	if (mount("overlay", newroot, "overlay", 0, data) < 0)
		return err_set(e, errno, "mount overlay on %s (%s)", p->root, data);
	return 0;
}

/* The state dir is brig's own; the tmpfs over it exists only in this mount
 * namespace and holds the new root's mount point (and a tmpfs overlay's
 * upper/ and work/). */
static int make_staging(const struct mount_plan *p, char *newroot, size_t len, struct err *e)
{
	char dir[PATH_MAX];
	int n;

	n = snprintf(dir, sizeof dir, "%s", p->state_dir);
	if (n < 0 || (size_t)n + 8 >= sizeof dir || (size_t)n + 6 > len)
		return err_set(e, ENAMETOOLONG, "state dir %s", p->state_dir);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0)
		return err_set(e, errno, "mount staging tmpfs on %s", dir);
	memcpy(newroot, dir, (size_t)n);
	memcpy(newroot + n, "/root", 6);
	if (mkdir(newroot, 0755) < 0)
		return err_set(e, errno, "mkdir %s", newroot);
	if (p->overlay && !strcmp(p->overlay, "tmpfs")) {
		snprintf(dir + n, sizeof dir - (size_t)n, "/upper");
		if (mkdir(dir, 0755) < 0)
			return err_set(e, errno, "mkdir %s", dir);
		snprintf(dir + n, sizeof dir - (size_t)n, "/work");
		if (mkdir(dir, 0755) < 0)
			return err_set(e, errno, "mkdir %s", dir);
	}
	return 0;
}

static int build_root(const struct mount_plan *p, char *newroot, size_t len, struct err *e)
{
	int rc;

	if (p->staging) {
		if (make_staging(p, newroot, len, e) < 0)
			return -1;
	} else if (snprintf(newroot, len, "%s", p->root) >= (int)len) {
		return err_set(e, ENAMETOOLONG, "root %s", p->root), e->line = p->root_line, -1;
	}
	if (p->overlay) {
		rc = mount_overlay(p, newroot, e);
		e->line = p->overlay_line;
		return rc;
	}
	/* The root mount point itself: pivot_root needs one. */
	if (mount(p->root, newroot, NULL, MS_BIND | MS_REC, NULL) < 0) {
		err_set(e, errno, "bind root %s", p->root);
		e->line = p->root_line;
		return -1;
	}
	return 0;
}

/* pivot_root(".", ".") stacks the old root on the new one; detaching the
 * top of "." then drops the whole host tree from this namespace. */
static int enter_root(const struct mount_plan *p, const char *newroot, struct err *e)
{
	if (chdir(newroot) < 0)
		err_set(e, errno, "chdir %s", newroot);
	else if (sys_pivot_root(".", ".") < 0)
		err_set(e, errno, "pivot_root to %s", newroot);
	else if (umount2(".", MNT_DETACH) < 0)
		err_set(e, errno, "detach the old root");
	else
		return 0;
	e->line = p->root_line;
	return -1;
}

static int make_readonly(const struct mount_plan *p, struct err *e)
{
	struct sys_mount_attr a = { .attr_set = SYS_MOUNT_ATTR_RDONLY };

	/* Recursive: what a bind of the host's "/" brought along goes too. */
	if (sys_mount_setattr(AT_FDCWD, "/", SYS_AT_RECURSIVE, &a) == 0)
		return 0;
	if (errno == ENOSYS && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0)
		return 0;  /* Linux < 5.12: the top mount only */
	err_set(e, errno, "make the root read-only");
	e->line = p->readonly_line ? p->readonly_line : p->root_line;
	return -1;
}

static bool fd_is_dir(int fd)
{
	struct stat st;

	return fd < 0 || fstat(fd, &st) < 0 || S_ISDIR(st.st_mode);
}

static int dev_node(const struct mount_plan *p, int i, int fd, struct err *e)
{
	char path[32];

	snprintf(path, sizeof path, "/dev/%s", dev_nodes[i].name);
	if (!p->userns) {
		if (mknod(path, S_IFCHR | 0666, makedev(dev_nodes[i].major, dev_nodes[i].minor)) < 0)
			return err_set(e, errno, "mknod %s", path);
		return 0;
	}
	if (mknod(path, S_IFREG | 0666, 0) < 0)
		return err_set(e, errno, "create %s", path);
	if (sys_move_mount(fd, "", AT_FDCWD, path, SYS_MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return err_set(e, errno, "bind %s", path);
	return 0;
}

static int dev_setup(const struct mount_plan *p, const struct held *h, struct err *e)
{
	static const char *const links[][2] = {
		{ "pts/ptmx", "/dev/ptmx" }, { "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" }, { "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
	};
	int i;

	for (i = 0; i < NNODES; i++)
		if (dev_node(p, i, h->dev[i], e) < 0)
			return -1;
	if (mkdir("/dev/pts", 0755) < 0 ||
	    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		return err_set(e, errno, "mount devpts on /dev/pts");
	if (mkdir("/dev/shm", 01777) < 0 ||
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		return err_set(e, errno, "mount tmpfs on /dev/shm");
	for (i = 0; i < (int)(sizeof links / sizeof links[0]); i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			return err_set(e, errno, "symlink %s", links[i][1]);
	return 0;
}

static int mount_one(const struct mount_plan *p, const struct mount_step *s, int fd,
		     const struct held *h, struct err *e)
{
	switch (s->op) {
	case MOP_BIND:
	case MOP_VOLUME:
		return sys_move_mount(fd, "", AT_FDCWD, s->dst, SYS_MOVE_MOUNT_F_EMPTY_PATH);
	case MOP_TMPFS:
		return mount("tmpfs", s->dst, "tmpfs", s->flags & FLAG_MASK, s->data);
	case MOP_PROC:
		if (h->proc >= 0)
			return sys_move_mount(h->proc, "", AT_FDCWD, s->dst,
					      SYS_MOVE_MOUNT_F_EMPTY_PATH);
		return mount("proc", s->dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	case MOP_DEV:
		if (mount("tmpfs", s->dst, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=65536") < 0)
			return -1;
		return dev_setup(p, h, e) < 0 ? -2 : 0;
	}
	errno = EINVAL;
	return -1;
}

/* Flips the root mount alone (not what is mounted on it) read-only or back. */
static int root_ro(bool ro)
{
	struct sys_mount_attr a = { 0 };

	if (ro)
		a.attr_set = SYS_MOUNT_ATTR_RDONLY;
	else
		a.attr_clr = SYS_MOUNT_ATTR_RDONLY;
	return sys_mount_setattr(AT_FDCWD, "/", 0, &a);
}

/* A mount point missing in a root of its own is made on demand: the root,
 * already read-only, is writable again for just that mkdir. */
static int make_in_root(const struct mount_plan *p, const struct mount_step *s, int fd,
			struct err *e)
{
	int rc;

	if (p->readonly && root_ro(false) < 0)
		return err_set(e, errno, "create mount target %s", s->dst), step_fail(e, s);
	rc = make_target(s, fd_is_dir(fd), e);
	if (p->readonly && root_ro(true) < 0 && rc == 0)
		return err_set(e, errno, "make the root read-only"), step_fail(e, s);
	return rc;
}

static int attach(const struct mount_plan *p, const struct mount_step *s, int fd,
		  const struct held *h, struct err *e)
{
	int rc;

	/* On a tmpfs of ours the target is new; elsewhere it usually exists. */
	if (s->create && s->parent != MPAR_ROOT && make_target(s, fd_is_dir(fd), e) < 0)
		return -1;
	rc = mount_one(p, s, fd, h, e);
	if (rc == -1 && errno == ENOENT && s->create && s->parent == MPAR_ROOT) {
		if (make_in_root(p, s, fd, e) < 0)
			return -1;
		rc = mount_one(p, s, fd, h, e);
	}
	if (rc == -2)
		return step_fail(e, s);
	if (rc < 0)
		return err_set(e, errno, "mount target %s", s->dst), step_fail(e, s);
	return 0;
}

static void release(struct held *h)
{
	int i;

	for (i = 0; i < MOUNT_MAX_STEPS; i++)
		if (h->step[i] >= 0)
			close(h->step[i]);
	for (i = 0; i < NNODES; i++)
		if (h->dev[i] >= 0)
			close(h->dev[i]);
	if (h->proc >= 0)
		close(h->proc);
}

int mount_apply(const struct mount_plan *p, struct err *e)
{
	struct held h;
	char newroot[PATH_MAX];
	int i, rc = -1;

	memset(&h, -1, sizeof h);
	/* 1. Nothing mounted here propagates to the host, or back. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		err_set(e, errno, "make mounts private");
		goto out;
	}
	/* 2. Bind sources, while the host's tree is in view. */
	if (open_sources(p, &h, e) < 0)
		goto out;
	/* 3. The new root, then enter it: from here on paths are the jail's, so
	 *    a symlink in the root can never lead a mkdir onto the host. */
	if (build_root(p, newroot, sizeof newroot, e) < 0 || enter_root(p, newroot, e) < 0)
		goto out;
	/* 4. Read-only before anything is mounted on top, which keeps its own
	 *    flags. */
	if (p->readonly && make_readonly(p, e) < 0)
		goto out;
	/* 5. Every step, parents before children. */
	for (i = 0; i < p->nsteps; i++)
		if (attach(p, &p->steps[i], h.step[i], &h, e) < 0)
			goto out;
	rc = 0;
out:
	release(&h);
	return rc;
}
