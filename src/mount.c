/* mount_plan runs anywhere (pure). mount_prepare runs in: `brig run` and
 * the supervisor, on the host. mount_apply runs in: the jail's setup child,
 * in the jail's private mount namespace, before pivot_root and just after
 * it; nothing it does is visible on the host, and nothing is created in the
 * host's tree except the state dir and volumes/NAME (mount_prepare). */
#include "mount.h"

#include "net.h"

#include "path.h"
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

#define TMP_DATA "size=16m,mode=1777"  /* /tmp, /dev/shm */
#define RUN_DATA "size=16m,mode=755"   /* /run of the host's root, the tmpfs /sys */
#define FLAG_MASK (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define RO_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
/* The modes of mount points brig makes (the setup runs with umask 0): the
 * sticky bit marks them as brig's, which no jail file or dir made on the
 * way normally carries. */
#define MADE_DIR (S_ISVTX | 0755)
#define MADE_FILE (S_ISVTX | 0644)

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

static void add_tmpfs(struct mount_plan *p, const char *dst, const char *data)
{
	struct mount_step *s = add(p, MOP_TMPFS, dst, 0);

	s->data = data;
	s->flags = MS_NOSUID | MS_NODEV;
}

static int add_entry(struct mount_plan *p, const struct mount_ent *m, struct err *e)
{
	struct mount_step *s;

	if (!m->dst || !strcmp(m->dst, "/"))
		return err_set_at(e, m->line, EINVAL, "cannot mount over the jail's root");
	s = add(p, m->kind == MNT_TMPFS ? MOP_TMPFS : m->kind == MNT_BIND ? MOP_BIND : MOP_VOLUME,
		m->dst, m->line);
	s->flags = m->flags;
	s->data = m->data;
	s->src = m->src;
	if (m->kind == MNT_VOLUME) {
		/* A volume is read-write; what it holds is never setuid or a device. */
		s->flags = (m->flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV;
		s->data = m->src;  /* the name; src is made when it is opened */
		s->src = NULL;
		p->nvolumes++;
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

static enum mount_parent parent_of(const struct mount_plan *p, const struct mount_step *s)
{
	if (s->op == MOP_TMPFS || s->op == MOP_DEV || (s->op == MOP_SYS && !p->netns))
		return MPAR_TMPFS;
	return MPAR_OTHER;
}

/* Only a writable root of its own may take new mount points; the host's
 * tree and a read-only root never do. */
static void set_parents(struct mount_plan *p)
{
	int i, j;

	for (i = 0; i < p->nsteps; i++) {
		struct mount_step *s = &p->steps[i];
		int best = -1;

		for (j = 0; j < i; j++)
			if (below(s->dst, p->steps[j].dst) &&
			    (best < 0 || strlen(p->steps[j].dst) >= strlen(p->steps[best].dst)))
				best = j;
		s->parent = best < 0 ? MPAR_ROOT : parent_of(p, &p->steps[best]);
		s->create = s->parent == MPAR_TMPFS ||
			    (s->parent == MPAR_ROOT && p->own_root && !p->readonly);
	}
}

int mount_plan(const struct jail_cfg *cfg, const char *state_dir, struct mount_plan *p,
	       struct err *e)
{
	int i;

	memset(p, 0, sizeof *p);
	p->root = cfg->root ? cfg->root : "/";
	p->overlay = cfg->overlay;
	p->state_dir = state_dir;
	p->staging = !cfg->root || cfg->overlay;
	p->own_root = cfg->root || cfg->overlay;
	p->readonly = cfg->readonly_root && !cfg->overlay;
	p->userns = (cfg->namespaces & CLONE_NEWUSER) != 0;
	/* sysfs shows the mounter's network namespace and needs power over
	 * it: a namespace the supervisor holds is not the jail's user
	 * namespace's, so such a jail gets the empty /sys. */
	p->netns = cfg->net != NET_HOST &&
		   !(p->userns && (cfg->net == NET_JAIL || net_needs_hold(cfg)));
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
	if (!cfg->tmp_named)
		add_tmpfs(p, "/tmp", TMP_DATA);
	/* A file that mounts /sys or /run itself has it on top of these. */
	add(p, MOP_SYS, "/sys", 0);
	/* A jail granted the control socket finds it on a /run of its own. */
	if (!cfg->root || cfg->control != CONTROL_NO)
		add_tmpfs(p, "/run", RUN_DATA);
	for (i = 0; i < cfg->nmounts; i++)
		if (add_entry(p, &cfg->mounts[i], e) < 0)
			return -1;
	sort_by_depth(p);
	set_parents(p);
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
	set_parents(p);
	return 0;
}

/* ---- on the host, before the clone ---- */

int mount_prepare(const struct mount_plan *p, struct err *e)
{
	int sfd, vfd = -1, fd, i, rc = 0;
	bool made;

	if (!p->staging && !p->nvolumes)
		return 0;
	sfd = path_open(AT_FDCWD, p->state_dir, O_RDONLY | O_DIRECTORY, 0700);
	if (sfd < 0)
		return err_sys(e, "state dir %s", p->state_dir);
	/* Closed to other users, so nothing planted setuid in a volume is
	 * within their reach. */
	if (p->nvolumes && ((vfd = path_open(sfd, "volumes", O_RDONLY | O_DIRECTORY, 0700)) < 0 ||
			    fchmod(vfd, 0700) < 0))
		rc = err_sys(e, "%s/volumes", p->state_dir);
	for (i = 0; i < p->nsteps && rc == 0; i++) {
		const struct mount_step *s = &p->steps[i];

		if (s->op != MOP_VOLUME)
			continue;
		made = mkdirat(vfd, s->data, 0755) == 0;
		fd = path_open(vfd, s->data, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0 || (made && (p->vol_uid || p->vol_gid) &&
			       fchown(fd, p->vol_uid, p->vol_gid) < 0))
			rc = err_set_at(e, s->line, errno, "volume %s", s->data);
		if (fd >= 0)
			close(fd);
	}
	close(sfd);
	if (vfd >= 0)
		close(vfd);
	return rc;
}

void mount_tidy(const struct mount_plan *p)
{
	char path[PATH_MAX], *slash;
	struct stat st;
	int root, dir, i;
	bool gone;

	if (p->readonly || p->overlay || !p->own_root ||
	    (root = path_open(AT_FDCWD, p->root, O_RDONLY | O_DIRECTORY, 0)) < 0)
		return;
	for (i = p->nsteps - 1; i >= 0; i--) {
		if (p->steps[i].parent != MPAR_ROOT ||
		    snprintf(path, sizeof path, ".%s", p->steps[i].dst) >= (int)sizeof path)
			continue;
		/* The target, then each parent brig made, deepest first. */
		do {
			slash = strrchr(path, '/');
			*slash = '\0';
			dir = path_open(root, path, O_RDONLY | O_DIRECTORY, 0);
			gone = dir >= 0 && fstatat(dir, slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			       (st.st_mode & 07777) == (S_ISDIR(st.st_mode) ? MADE_DIR : MADE_FILE) &&
			       unlinkat(dir, slash + 1, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) == 0;
			if (dir >= 0)
				close(dir);
		} while (gone && strchr(path, '/'));
	}
	close(root);
}

/* ---- in the jail's mount namespace ---- */

static unsigned attr_of(unsigned long flags)
{
	return (flags & MS_RDONLY ? SYS_MOUNT_ATTR_RDONLY : 0) |
	       (flags & MS_NOSUID ? SYS_MOUNT_ATTR_NOSUID : 0) |
	       (flags & MS_NODEV ? SYS_MOUNT_ATTR_NODEV : 0) |
	       (flags & MS_NOEXEC ? SYS_MOUNT_ATTR_NOEXEC : 0);
}

/* A detached copy of dirfd/path ("": dirfd itself) with flags set. */
static int clone_at(int dirfd, const char *path, unsigned long flags)
{
	struct sys_mount_attr a = { .attr_set = attr_of(flags) };
	unsigned rec = flags & MS_REC ? SYS_AT_RECURSIVE : 0;
	int fd = sys_open_tree(dirfd, path,
			       SYS_OPEN_TREE_CLONE | O_CLOEXEC | rec | (*path ? 0 : SYS_AT_EMPTY_PATH));

	if (fd >= 0 && a.attr_set && sys_mount_setattr(fd, "", SYS_AT_EMPTY_PATH | rec, &a) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int move(int fd, const char *dst)
{
	return sys_move_mount(fd, "", AT_FDCWD, dst, SYS_MOVE_MOUNT_F_EMPTY_PATH);
}

/* Creates dst when missing: a directory, or an empty file to bind a file
 * on, its missing parents directories, all marked as brig's by their mode
 * (mount_tidy removes them). After pivot_root and through no symlink:
 * nothing leads it elsewhere. */
static int make_target(const char *dst, bool dir)
{
	char path[PATH_MAX], *name;
	int fd, rc = -1;

	if (snprintf(path, sizeof path, "%s", dst) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	name = strrchr(path, '/');
	*name++ = '\0';
	fd = path_open(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, MADE_DIR);
	if (fd >= 0) {
		rc = dir ? mkdirat(fd, name, MADE_DIR) : mknodat(fd, name, S_IFREG | MADE_FILE, 0);
		if (rc < 0 && errno == EEXIST)
			rc = 0;
		close(fd);
	}
	return rc;
}

static const struct {
	const char *name;
	unsigned major, minor;
} dev_nodes[] = {
	{ "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
	{ "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};
#define NNODES (int)(sizeof dev_nodes / sizeof dev_nodes[0])

/* File descriptors mount_apply holds between opening and attaching. */
struct held {
	int step[MOUNT_MAX_STEPS];  /* MOP_BIND, MOP_VOLUME: detached copies */
	int dev[NNODES];            /* userns: copies of the host's device nodes */
	int proc;                   /* a fresh procfs */
	int sys;                    /* with a network namespace: a fresh sysfs */
};

/* A new instance of a pseudo file system, detached. In a user namespace
 * the kernel refuses one unless a full one is already visible in the mount
 * namespace (mount_too_revealing): so before the host's tree goes. */
static int open_fs(const char *type, unsigned attr)
{
	int fs = sys_fsopen(type, SYS_FSOPEN_CLOEXEC), m = -1, saved;

	if (fs < 0)
		return -1;
	if (sys_fsconfig(fs, SYS_FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = sys_fsmount(fs, SYS_FSMOUNT_CLOEXEC, attr);
	saved = errno;
	close(fs);
	errno = saved;
	return m;
}

static int open_sources(const struct mount_plan *p, struct held *h, struct err *e)
{
	char vol[PATH_MAX + 64];  /* past PATH_MAX, path_open says ENAMETOOLONG */
	const char *what;
	int i, j, fd = 0, dir;

	for (i = 0; i < p->nsteps; i++) {
		const struct mount_step *s = &p->steps[i];

		what = s->src;
		if (s->op == MOP_VOLUME) {
			snprintf(vol, sizeof vol, "%s/volumes/%s", p->state_dir, s->data);
			what = vol;
		}
		if (s->op == MOP_BIND || s->op == MOP_VOLUME) {
			/* Resolved through no symlink: a path a jail can write into
			 * (a volume) never redirects another jail's mount. */
			dir = path_open(AT_FDCWD, what, O_PATH, 0);
			fd = h->step[i] = dir < 0 ? -1 : clone_at(dir, "", s->flags);
			if (dir >= 0)
				close(dir);
		} else if (s->op == MOP_PROC) {
			what = "proc";
			fd = h->proc = open_fs(what, attr_of(MS_NOSUID | MS_NODEV | MS_NOEXEC));
		} else if (s->op == MOP_SYS && p->netns) {
			what = "sysfs";
			fd = h->sys = open_fs(what, attr_of(RO_FLAGS));
		} else if (s->op == MOP_DEV && p->userns) {
			/* mknod is refused in a user namespace. */
			for (j = 0; j < NNODES && fd >= 0; j++)
				fd = h->dev[j] = clone_at(AT_FDCWD, what = dev_nodes[j].name, 0);
		}
		if (fd < 0)
			return err_set_at(e, s->line, errno, "mount source %s", what);
	}
	return 0;
}

static int mount_overlay(const struct mount_plan *p, const char *newroot, struct err *e)
{
	char data[4096];
	const char *base = strcmp(p->overlay, "tmpfs") ? p->overlay : p->state_dir;
	int n;

	if (strpbrk(p->root, ",:\\") || strpbrk(base, ",:\\"))
		return err_set_at(e, p->overlay_line, EINVAL,
				  "overlay: a path holds ',', ':' or '\\'");
	n = snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", p->root,
		     base, base);
	if (n < 0 || (size_t)n >= sizeof data)
		return err_set_at(e, p->overlay_line, ENAMETOOLONG, "overlay options");
	if (mount("overlay", newroot, "overlay", 0, data) < 0)
		return err_set_at(e, p->overlay_line, errno, "mount overlay on %s (%s)", p->root,
				  data);
	return 0;
}

/* The state dir is brig's own; the tmpfs over it exists only in this mount
 * namespace and holds the new root's mount point (and a tmpfs overlay's
 * upper/ and work/). */
static int make_staging(const struct mount_plan *p, char *newroot, size_t len, struct err *e)
{
	const char *what = "root";

	if ((size_t)snprintf(newroot, len, "%s/root", p->state_dir) >= len)
		return err_set(e, ENAMETOOLONG, "state dir %s", p->state_dir);
	if (mount("tmpfs", p->state_dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0 ||
	    chdir(p->state_dir) < 0 || mkdir(what, 0755) < 0 ||
	    (p->overlay && !strcmp(p->overlay, "tmpfs") &&
	     (mkdir(what = "upper", 0755) < 0 || mkdir(what = "work", 0755) < 0)))
		return err_sys(e, "staging %s in %s", what, p->state_dir);
	return 0;
}

static int build_root(const struct mount_plan *p, char *newroot, size_t len, struct err *e)
{
	if (p->staging) {
		if (make_staging(p, newroot, len, e) < 0)
			return -1;
	} else if (snprintf(newroot, len, "%s", p->root) >= (int)len) {
		return err_set_at(e, p->root_line, ENAMETOOLONG, "root %s", p->root);
	}
	if (p->overlay)
		return mount_overlay(p, newroot, e);
	/* The root mount point itself (pivot_root needs one), without what is
	 * mounted below it: the host's /proc, /sys, /run and the rest stay out. */
	if (mount(p->root, newroot, NULL, MS_BIND, NULL) < 0)
		return err_set_at(e, p->root_line, errno, "bind root %s", p->root);
	return 0;
}

/* pivot_root(".", ".") stacks the old root on the new one; detaching the
 * top of "." then drops the whole host tree from this namespace. */
static int enter_root(const struct mount_plan *p, const char *newroot, struct err *e)
{
	if (chdir(newroot) < 0 || sys_pivot_root(".", ".") < 0 || umount2(".", MNT_DETACH) < 0)
		return err_set_at(e, p->root_line, errno, "pivot_root to %s", newroot);
	return 0;
}

static bool fd_is_dir(int fd)
{
	struct stat st;

	return fd < 0 || fstat(fd, &st) < 0 || S_ISDIR(st.st_mode);
}

static int dev_setup(const struct mount_plan *p, const struct held *h, int line, struct err *e)
{
	static const char *const links[][2] = {
		{ "pts/ptmx", "/dev/ptmx" }, { "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" }, { "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
	};
	const char *what = "/dev/pts";
	int i;

	for (i = 0; i < NNODES; i++) {
		what = dev_nodes[i].name;
		if (!p->userns ? mknod(what, S_IFCHR | 0666,
				       makedev(dev_nodes[i].major, dev_nodes[i].minor)) < 0
			       : mknod(what, S_IFREG | 0666, 0) < 0 || move(h->dev[i], what) < 0)
			goto fail;
	}
	what = "/dev/pts";
	if (mkdir(what, 0755) < 0 || mount("devpts", what, "devpts", MS_NOSUID | MS_NOEXEC,
					   "newinstance,ptmxmode=0666,mode=0620") < 0)
		goto fail;
	/* Its pages are the jail's memory: bounded like /tmp. */
	what = "/dev/shm";
	if (mkdir(what, 01777) < 0 ||
	    mount("tmpfs", what, "tmpfs", MS_NOSUID | MS_NODEV, TMP_DATA) < 0)
		goto fail;
	for (i = 0; i < (int)(sizeof links / sizeof links[0]); i++) {
		what = links[i][1];
		if (symlink(links[i][0], what) < 0)
			goto fail;
	}
	return 0;
fail:
	return err_set_at(e, line, errno, "make %s", what);
}

/* What /proc shows of the host rather than of the jail: settings go
 * read-only (a network namespace of its own keeps its /proc/sys/net), and
 * the rest is hidden under an empty read-only file or directory. Names are
 * relative to /proc; one a kernel lacks is skipped. */
static const char *const proc_ro[] = { "sys", "sysrq-trigger", "irq", "bus", "fs" };
static const char *const proc_hidden[] = {
	"kcore",      "keys",	    "key-users",     "timer_list",    "sched_debug",
	"kallsyms",   "kpagecount", "kpageflags",    "kpagecgroup",   "latency_stats",
	"timer_stats", "acpi",      "scsi",
};
#define NHIDDEN (int)(sizeof proc_hidden / sizeof proc_hidden[0])

static int proc_readonly(const struct mount_plan *p, int line, struct err *e)
{
	const char *what = "sys/net";
	int net = -1, fd, i;

	if (p->netns && (net = clone_at(AT_FDCWD, what, 0)) < 0)
		goto fail;
	for (i = 0; i < (int)(sizeof proc_ro / sizeof proc_ro[0]); i++) {
		what = proc_ro[i];
		if ((fd = clone_at(AT_FDCWD, what, RO_FLAGS)) < 0 && errno == ENOENT)
			continue;
		if (fd < 0 || move(fd, what) < 0)
			goto fail;
		close(fd);
	}
	what = "sys/net";
	if (net < 0 || move(net, what) == 0)
		return 0;
fail:
	return err_set_at(e, line, errno, "harden /proc/%s", what);
}

/* A tmpfs over /proc/sys for a moment holds an empty file and an empty
 * dir; each hidden path gets a copy of one of them (open_tree(2) copies
 * only a mount attached in our namespace, on Linux 6.1). Relative to /proc. */
static int proc_hide(int line, struct err *e)
{
	struct sys_mount_attr ro = { .attr_set = attr_of(RO_FLAGS) };
	const char *what = "sys";
	struct stat st;
	int i, fd, rc = mount("tmpfs", what, "tmpfs", 0, "size=4k,mode=555");

	if (rc == 0 && (mknod("sys/e", S_IFREG | 0444, 0) < 0 || mkdir("sys/d", 0555) < 0 ||
			sys_mount_setattr(AT_FDCWD, what, 0, &ro) < 0))
		rc = -1;
	for (i = 0; i < NHIDDEN && rc == 0; i++) {
		what = proc_hidden[i];
		if (fstatat(AT_FDCWD, what, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		fd = clone_at(AT_FDCWD, S_ISDIR(st.st_mode) ? "sys/d" : "sys/e", 0);
		if (fd < 0 || move(fd, what) < 0)
			rc = -1;
		if (fd >= 0)
			close(fd);
	}
	if (rc < 0 || umount2("sys", MNT_DETACH) < 0)
		return err_set_at(e, line, errno, "harden /proc/%s", what);
	return 0;
}

static int mount_one(const struct mount_step *s, int fd, const struct held *h)
{
	switch (s->op) {
	case MOP_BIND:
	case MOP_VOLUME:
		return move(fd, s->dst);
	case MOP_TMPFS:
		return mount("tmpfs", s->dst, "tmpfs", s->flags & FLAG_MASK, s->data);
	case MOP_PROC:
		return move(h->proc, s->dst);
	case MOP_SYS:
		if (h->sys >= 0)
			return move(h->sys, s->dst);
		return mount("tmpfs", s->dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, RUN_DATA);
	case MOP_DEV:
		return mount("tmpfs", s->dst, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=65536");
	}
	errno = EINVAL;
	return -1;
}

static int attach(const struct mount_plan *p, const struct mount_step *s, int fd,
		  const struct held *h, struct err *e)
{
	int rc = mount_one(s, fd, h);

	if (rc < 0 && errno == ENOENT && s->create)
		rc = make_target(s->dst, fd_is_dir(fd)) < 0 ? -1 : mount_one(s, fd, h);
	if (rc < 0 && errno == ENOENT && !s->create)
		return err_set_at(e, s->line, 0,
				  "mount target %s does not exist in the read-only root: create it "
				  "in the root, mount a tmpfs on a parent, or set overlay = tmpfs",
				  s->dst);
	if (rc < 0)
		return err_set_at(e, s->line, errno, "mount target %s", s->dst);
	if (s->op == MOP_DEV)
		return dev_setup(p, h, s->line, e);
	if (s->op != MOP_PROC)
		return 0;
	if (chdir("/proc") < 0)
		return err_set_at(e, s->line, errno, "chdir /proc");
	rc = proc_hide(s->line, e) < 0 || proc_readonly(p, s->line, e) < 0 ? -1 : 0;
	(void)chdir("/");
	return rc;
}

static void release(struct held *h)
{
	int *fd = (int *)h, i;

	for (i = 0; i < (int)(sizeof *h / sizeof *fd); i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

int mount_apply(const struct mount_plan *p, struct err *e)
{
	struct sys_mount_attr ro = { .attr_set = SYS_MOUNT_ATTR_RDONLY };
	struct held h;
	char newroot[PATH_MAX];
	bool systmp = false;
	int i, rc = -1;

	memset(&h, -1, sizeof h);
	/* 1. Nothing mounted here propagates to the host, or back. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		err_sys(e, "make mounts private");
		goto out;
	}
	/* 2. Bind sources and fresh file systems, while the host's tree is in
	 *    view. */
	if (open_sources(p, &h, e) < 0)
		goto out;
	/* 3. The new root, then enter it: from here on paths are the jail's, so
	 *    a symlink in the root can never lead a mkdir onto the host. */
	if (build_root(p, newroot, sizeof newroot, e) < 0 || enter_root(p, newroot, e) < 0)
		goto out;
	/* 4. Read-only before anything is mounted on top, which keeps its own
	 *    flags. */
	if (p->readonly && sys_mount_setattr(AT_FDCWD, "/", 0, &ro) < 0) {
		err_set_at(e, p->readonly_line ? p->readonly_line : p->root_line, errno,
			   "make the root read-only");
		goto out;
	}
	/* 5. Every step, parents before children; the tmpfs /sys goes
	 *    read-only once /sys/fs/cgroup is in place. */
	for (i = 0; i < p->nsteps; i++) {
		if (attach(p, &p->steps[i], h.step[i], &h, e) < 0)
			goto out;
		if (p->steps[i].op == MOP_SYS && !p->netns)
			systmp = true;
	}
	if (systmp && sys_mount_setattr(AT_FDCWD, "/sys", 0, &ro) < 0) {
		err_sys(e, "make /sys read-only");
		goto out;
	}
	rc = 0;
out:
	release(&h);
	return rc;
}
