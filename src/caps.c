/* Runs in: the jail's service child after pivot_root (everything but
 * caps_keep_only) and the jail init (caps_keep_only). No stdio: names are
 * looked up with fdio_lines over the jail's own files. */
#include "caps.h"

#include "fdio.h"
#include "seccomp.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct creds {
	uid_t uid;
	gid_t gid;
	gid_t groups[CFG_MAX_GROUPS];
	int ngroups;
};

struct db_find {
	int field;        /* which ':' field must equal key */
	const char *key;
	char *out;        /* the matching line */
	size_t len;
};

/* Returns a pointer to field n of a colon-separated line (fields end at ':'). */
static const char *field_at(const char *line, int n)
{
	while (n-- > 0) {
		line = strchr(line, ':');
		if (!line)
			return NULL;
		line++;
	}
	return line;
}

static bool field_is(const char *f, const char *key)
{
	size_t n = strlen(key);

	return f && !strncmp(f, key, n) && (f[n] == ':' || f[n] == '\0');
}

static int db_line(void *ctx, char *line)
{
	struct db_find *d = ctx;

	if (!field_is(field_at(line, d->field), d->key) || strlen(line) >= d->len)
		return 0;
	memcpy(d->out, line, strlen(line) + 1);
	return 1;
}

/* Finds the first line of path whose field `field` is key. 1: found, 0: not
 * there (or no such file), -1: read error. */
static int db_find(const char *path, int field, const char *key, char *out, size_t len)
{
	struct db_find d = { field, key, out, len };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	rc = fdio_lines(fd, db_line, &d);
	close(fd);
	return rc;
}

/* A decimal id below (uint32_t)-1, which the kernel reserves. */
static bool parse_id(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || (*end && *end != ':') || v >= 0xffffffffUL)
		return false;
	*out = (unsigned)v;
	return true;
}

static int resolve_user(const struct jail_cfg *cfg, struct creds *cr, struct err *e)
{
	char line[FDIO_LINE_MAX], key[16];
	const char *u = cfg->user, *colon;
	int at = cfg->line[K_USER];
	unsigned uid, gid;
	int rc;

	cr->uid = 0;
	cr->gid = 0;
	if (!u)
		return 0;
	if (parse_id(u, &uid)) {
		colon = strchr(u, ':');
		cr->uid = uid;
		if (colon)
			return parse_id(colon + 1, &gid) ? (cr->gid = gid, 0)
							 : err_set_at(e, at, EINVAL, "user %s", u);
		/* No GID given: the passwd line of that UID, else GID = UID. */
		cr->gid = uid;
		(void)snprintf(key, sizeof key, "%u", uid);
		if (db_find("/etc/passwd", 2, key, line, sizeof line) == 1 &&
		    parse_id(field_at(line, 3), &gid))
			cr->gid = gid;
		return 0;
	}
	rc = db_find("/etc/passwd", 0, u, line, sizeof line);
	if (rc < 0)
		return err_set_at(e, at, errno, "user %s: read /etc/passwd", u);
	if (rc == 0)
		return err_set_at(e, at, 0, "user %s: no such user in %s/etc/passwd", u,
				  cfg->root ? cfg->root : "");
	if (!field_at(line, 3) || !parse_id(field_at(line, 2), &uid) ||
	    !parse_id(field_at(line, 3), &gid))
		return err_set_at(e, at, 0, "user %s: bad line in /etc/passwd", u);
	cr->uid = uid;
	cr->gid = gid;
	return 0;
}

static int resolve_group(const char *root, const char *g, gid_t *out, int at, struct err *e)
{
	char line[FDIO_LINE_MAX];
	unsigned gid;
	int rc;

	if (parse_id(g, &gid) && !strchr(g, ':')) {
		*out = gid;
		return 0;
	}
	rc = db_find("/etc/group", 0, g, line, sizeof line);
	if (rc < 0)
		return err_set_at(e, at, errno, "group %s: read /etc/group", g);
	if (rc == 0)
		return err_set_at(e, at, 0, "group %s: no such group in %s/etc/group", g, root);
	if (!parse_id(field_at(line, 2), &gid))
		return err_set_at(e, at, 0, "group %s: bad line in /etc/group", g);
	*out = gid;
	return 0;
}

static int caps_resolve(const struct jail_cfg *cfg, struct creds *cr, struct err *e)
{
	int i;

	if (resolve_user(cfg, cr, e) < 0)
		return -1;
	cr->ngroups = 0;
	for (i = 0; i < cfg->ngroups && i < CFG_MAX_GROUPS; i++) {
		if (resolve_group(cfg->root ? cfg->root : "", cfg->groups[i], &cr->groups[i],
				  cfg->line[K_GROUPS], e) < 0)
			return -1;
		cr->ngroups++;
	}
	return 0;
}

static int caps_set_limits(const struct jail_cfg *cfg, struct err *e)
{
	int i;

	for (i = 0; i < cfg->nrlimits && i < CFG_MAX_RLIMITS; i++) {
		const struct rlimit_ent *r = &cfg->rlimits[i];

		if (setrlimit(r->resource, &r->lim) < 0)
			return err_set_at(e, r->line, errno, "setrlimit %d", r->resource);
	}
	umask(cfg->umask);
	return 0;
}

/* Permitted = effective = keep, inheritable = inh, with capset(2) itself:
 * libcap would malloc, and a jail init's heap would cost it a page or two
 * for the jail's whole life. */
static int set_sets(uint64_t keep, uint64_t inh)
{
	struct {
		uint32_t version;
		int pid;
	} h = { 0x20080522, 0 };  /* _LINUX_CAPABILITY_VERSION_3 */
	uint32_t d[6] = { (uint32_t)keep,	  (uint32_t)keep,	  (uint32_t)inh,
			  (uint32_t)(keep >> 32), (uint32_t)(keep >> 32), (uint32_t)(inh >> 32) };

	return (int)syscall(SYS_capset, &h, d);
}

static int set_ids(const struct creds *cr, int line, struct err *e)
{
	if (sys_setgroups((size_t)cr->ngroups, cr->groups) < 0)
		return err_set_at(e, line, errno, "setgroups");
	if (sys_setresgid(cr->gid, cr->gid, cr->gid) < 0)
		return err_set_at(e, line, errno, "setresgid %u", (unsigned)cr->gid);
	if (sys_setresuid(cr->uid, cr->uid, cr->uid) < 0)
		return err_set_at(e, line, errno, "setresuid %u", (unsigned)cr->uid);
	return 0;
}

static int caps_drop(const struct jail_cfg *cfg, const struct creds *cr, struct err *e)
{
	int c, at = cfg->line[K_CAPABILITIES];
	int user = cfg->line[K_USER] ? cfg->line[K_USER] : cfg->line[K_GROUPS];

	/* 1. The bounding set caps what any later exec can gain, setuid
	 *    binaries and file capabilities included. EINVAL: past the last
	 *    capability this kernel knows. */
	for (c = 0; c < 64; c++)
		if (!(cfg->caps & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			return err_set_at(e, at, errno, "drop capability %d from the bounding set",
					  c);
		}
	/* 2. Keep permitted across the uid change when something is kept. */
	if (cfg->caps && cr->uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return err_set_at(e, user, errno, "prctl PR_SET_KEEPCAPS");
	/* 3. Ids: setuid last, it ends CAP_SETGID for a non-root user. */
	if (set_ids(cr, user, e) < 0)
		return -1;
	/* 4. Permitted = effective = inheritable = kept. The kernel drops every
	 *    ambient bit outside permitted & inheritable here. */
	if (set_sets(cfg->caps, cfg->caps) < 0)
		return err_set_at(e, at, errno, "set capabilities");
	/* 5. Raise the kept ones in ambient so a non-root uid holds them
	 *    across exec. */
	for (c = 0; c < 64; c++)
		if ((cfg->caps & (1ULL << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return err_set_at(e, at, errno, "raise ambient capability %d", c);
	/* 6. Last, so nothing above is refused for it. */
	if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_set_at(e, cfg->line[K_NO_NEW_PRIVS], errno, "prctl PR_SET_NO_NEW_PRIVS");
	return 0;
}

/* A session keyring of its own, empty: nothing of the caller's session
 * (ENOSYS: a kernel without keys). */
static int new_keyring(struct err *e)
{
	if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0 && errno != ENOSYS)
		return err_sys(e, "new session keyring");
	return 0;
}

int caps_apply(const struct jail_cfg *cfg, struct err *e)
{
	struct creds cr;

	if (caps_set_limits(cfg, e) < 0 || caps_resolve(cfg, &cr, e) < 0)
		return -1;
	/* Without no_new_privs the filter needs CAP_SYS_ADMIN, so it goes in
	 * before the drop (seccomp_apply picks its one point by no_new_privs);
	 * keyctl is on its deny list, so the keyring comes first then. With
	 * it, the keyring is joined as the service's user, who owns it. */
	if ((!cfg->no_new_privs && new_keyring(e) < 0) || seccomp_apply(cfg, false, e) < 0 ||
	    caps_drop(cfg, &cr, e) < 0 || (cfg->no_new_privs && new_keyring(e) < 0))
		return -1;
	/* As the service's user, so its permissions decide. */
	if (chdir(cfg->workdir ? cfg->workdir : "/") < 0)
		return err_set_at(e, cfg->line[K_WORKDIR], errno, "workdir %s",
				  cfg->workdir ? cfg->workdir : "/");
	/* The filter last before the execve when no_new_privs is set. */
	return seccomp_apply(cfg, true, e);
}

int caps_keep_only(uint64_t keep)
{
	return set_sets(keep, 0);
}
