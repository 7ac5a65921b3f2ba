/* Runs in: the `brig check` process; never in PID 1. */
#include "check.h"

#include "cfgdir.h"
#include "usage.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True when dst lies strictly below dir. */
static bool below(const char *dst, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(dst, dir, n) && (dst[n] == '/' || (n == 1 && dst[1]));
}

/* A mount target the jail's read-only root must already hold: one that
 * no other mount of the jail (nor /tmp, /dev, /proc) lies above. */
static bool needs_target(const struct jail_cfg *c, const struct mount_ent *m)
{
	static const char *const implicit[] = { "/tmp", "/dev", "/proc", "/sys" };
	unsigned i;
	int j;

	for (i = 0; i < sizeof implicit / sizeof implicit[0]; i++)
		if (below(m->dst, implicit[i]) || !strcmp(m->dst, implicit[i]))
			return false;
	for (j = 0; j < c->nmounts; j++)
		if (below(m->dst, c->mounts[j].dst))
			return false;
	return true;
}

/* What brig run would fail on at start, when this machine has the root
 * dir to look in: a missing mount target in a read-only root. */
static void check_targets(const struct jail_cfg *c, struct diag *d)
{
	char path[PATH_MAX];
	struct stat st;
	int i;

	if (!c->root || c->overlay || !c->readonly_root || stat(c->root, &st) < 0)
		return;
	for (i = 0; i < c->nmounts; i++) {
		const struct mount_ent *m = &c->mounts[i];

		if (!needs_target(c, m))
			continue;
		snprintf(path, sizeof path, "%s%s", c->root, m->dst);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			diag_warn(d, c->file, m->line,
				  "mount target %s does not exist in %s: create it there, mount a "
				  "tmpfs on a parent, or set overlay = tmpfs", m->dst, c->root);
	}
}

/* Returns the number of jails looked at. */
static int check_path(const char *path, struct diag *d)
{
	struct stat st;
	int i, n;

	if (stat(path, &st) < 0) {
		diag_error(d, path, 0, "cannot read: %m");
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		struct config_set *set = calloc(1, sizeof *set);

		if (!set)
			return 0;
		config_load_dir(path, set, NULL, NULL, d);
		config_check_graph(set, NULL, NULL, d);
		for (i = 0; i < set->njails; i++)
			check_targets(set->jails[i], d);
		n = set->njails + set->nbroken + set->left_out;
		config_free_set(set);
		free(set);
		return n;
	} else {
		struct jail_cfg c;

		if (!config_load_file(path, &c, d))
			check_targets(&c, d);
		config_free(&c);
		return 1;
	}
}

static void summary(const char *path, int jails, int errors, int warnings)
{
	fprintf(errors ? stderr : stdout, "%s: %d jail%s, %d error%s, %d warning%s\n", path,
		jails, jails == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
		warnings == 1 ? "" : "s");
}

int check_main(int argc, char **argv)
{
	struct diag d = { .emit = diag_stderr };
	int i, files = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(brig_usage, stdout);
			return 0;
		}
	}
	for (i = 0; i < argc; i++) {
		int e0 = d.errors, w0 = d.warnings, n;

		if (!strcmp(argv[i], "--") && !files)
			continue;
		n = check_path(argv[i], &d);
		summary(argv[i], n, d.errors - e0, d.warnings - w0);
		files++;
	}
	if (!files) {
		fputs(brig_usage, stderr);
		return 2;
	}
	return d.errors ? 1 : 0;
}
