/* Runs in: the unit test process (any user; touches nothing).
 *
 * mount_plan is pure: a jail file's text in, the steps mount_apply would
 * take out. Each row is a jail file (from J, whose exec is line 2) and the
 * plan rendered one step a line as "OP DST PARENT [+] [SRC] [FLAGS]" (see
 * render()): + marks a target brig may create; a volume's SRC is its name. */
#include "mount.h"

#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define J "[jail]\nexec = /bin/true\n"
#define R J "root = /srv/root\n"
#define STATE "/run/brig"

static const char *const op_name[] = { "bind", "volume", "tmpfs", "proc", "dev", "sys" };
static const char *const parent_name[] = { "root", "tmpfs", "other" };

static void render(const struct mount_plan *p, char *out, size_t len)
{
	size_t n = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < p->nsteps && n < len; i++) {
		const struct mount_step *s = &p->steps[i];

		const char *src = s->op == MOP_VOLUME ? s->data : s->src;

		n += (size_t)snprintf(out + n, len - n, "%s %s %s%s%s%s%s%s%s%s|", op_name[s->op],
				      s->dst, parent_name[s->parent], s->create ? " +" : "",
				      src ? " " : "", src ? src : "",
				      s->flags & MS_RDONLY ? " ro" : "",
				      s->flags & MS_NOSUID ? " nosuid" : "",
				      s->flags & MS_NODEV ? " nodev" : "",
				      s->flags & MS_NOEXEC ? " noexec" : "");
	}
}

static int parse(const char *text, struct jail_cfg *c)
{
	struct diag d = { 0 };

	config_defaults(c, "web");
	return config_parse("web.ini", text, strlen(text), c, &d);
}

struct row {
	const char *name;
	const char *text;
	const char *want;  /* the rendered plan */
};

static const struct row rows[] = {
	{ "a read-only root of its own: built-ins, nothing created in the root", R,
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|" },
	{ "the host's root: /run too, and never a mount point made there", J,
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|"
	  "tmpfs /run root nosuid nodev|" },
	{ "a writable root of its own takes new mount points",
	  R "readonly_root = no\n[mounts]\nbind = /a:/mnt/a\n",
	  "proc /proc root +|dev /dev root +|tmpfs /tmp root + nosuid nodev|sys /sys root +|"
	  "bind /mnt/a root + /a ro|" },
	{ "an overlay takes them too (in its upper dir)",
	  J "overlay = tmpfs\n[mounts]\nbind = /a:/mnt/a\n",
	  "proc /proc root +|dev /dev root +|tmpfs /tmp root + nosuid nodev|sys /sys root +|"
	  "tmpfs /run root + nosuid nodev|bind /mnt/a root + /a ro|" },
	{ "proc = no, dev = none and a /tmp of the file's own",
	  R "[mounts]\nproc = no\ndev = none\ntmpfs = /tmp:size=1M\n",
	  "sys /sys root|tmpfs /tmp root|" },
	{ "nested in a tmpfs: created, and after it whatever the file order",
	  R "[mounts]\nbind = /b:/srv/a/b:rw\ntmpfs = /srv\n",
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|tmpfs /srv root|"
	  "bind /srv/a/b tmpfs + /b|" },
	{ "equal depths keep the file's order", R "[mounts]\nbind = /z:/z\nbind = /a:/a:nosuid\n",
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|bind /z root /z ro|"
	  "bind /a root /a ro nosuid|" },
	{ "under a bind a target must exist", R "[mounts]\nbind = /a:/opt\nbind = /b:/opt/b\n",
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|bind /opt root /a ro|"
	  "bind /opt/b other /b ro|" },
	{ "a volume: read-write, never setuid or a device",
	  R "[mounts]\nvolume = data:/var/lib/x\n",
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|"
	  "volume /var/lib/x root data nosuid nodev|" },
	{ "under /proc and /dev: must exist / created", R "[mounts]\nbind = /a:/proc/x\nbind = /b:/dev/y\n",
	  "proc /proc root|dev /dev root|tmpfs /tmp root nosuid nodev|sys /sys root|"
	  "bind /proc/x other /a ro|bind /dev/y tmpfs + /b ro|" },
};

static void t_rows(void)
{
	static struct mount_plan p;
	static char got[8192];
	struct jail_cfg c;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&c, 0, sizeof c);
		if (parse(rows[i].text, &c) != 0 || mount_plan(&c, STATE, &p, &e) < 0) {
			ok(0, "%s: the file parses and plans", rows[i].name);
			config_free(&c);
			continue;
		}
		render(&p, got, sizeof got);
		if (!ok(!strcmp(got, rows[i].want), "%s", rows[i].name))
			printf("# want %s\n# got  %s\n", rows[i].want, got);
		config_free(&c);
	}
}

/* /sys is a tmpfs of brig's without a network namespace (the cgroup bind is
 * created in it), sysfs with one (where /sys/fs/cgroup exists). */
static void t_sys_and_cgroup(void)
{
	static struct mount_plan p;
	struct jail_cfg c;
	struct err e;
	int net;

	for (net = 0; net < 2; net++) {
		memset(&c, 0, sizeof c);
		parse(net ? R "namespaces = pid mount uts ipc cgroup net\n" : R, &c);
		mount_plan(&c, STATE, &p, &e);
		ok(mount_plan_bind(&p, "/sys/fs/cgroup/brig/web", "/sys/fs/cgroup", MS_RDONLY, &e) == 0,
		   "%s: the cgroup bind is added", net ? "netns" : "host net");
		ok(!strcmp(p.steps[p.nsteps - 1].dst, "/sys/fs/cgroup") &&
			   p.steps[p.nsteps - 1].parent == (net ? MPAR_OTHER : MPAR_TMPFS) &&
			   p.steps[p.nsteps - 1].create == !net,
		   "%s: it lies on /sys, %s", net ? "netns" : "host net",
		   net ? "a sysfs where it must exist" : "a tmpfs where it is created");
		config_free(&c);
	}
}

static void t_errors_and_owner(void)
{
	static struct mount_plan p;
	struct jail_cfg c;
	struct err e;

	memset(&c, 0, sizeof c);
	parse(R "namespaces = pid mount uts ipc cgroup user\n[security]\nuid_map = 0 200000 "
		"1000\ngid_map = 0 300000 1000\n",
	      &c);
	mount_plan(&c, STATE, &p, &e);
	ok(p.userns && p.vol_uid == 200000 && p.vol_gid == 300000,
	   "userns: a volume brig makes belongs to the jail's root (200000:300000)");
	config_free(&c);

	memset(&c, 0, sizeof c);
	parse(R "[mounts]\nvolume = a:/a\nvolume = b:/b\nbind = /c:/c\n", &c);
	mount_plan(&c, STATE, &p, &e);
	ok(p.nvolumes == 2 && p.staging == false && p.own_root,
	   "volumes are counted (mount_prepare makes volumes/ for them)");
	config_free(&c);
}

int main(void)
{
	t_rows();
	t_sys_and_cgroup();
	t_errors_and_owner();
	return done();
}
