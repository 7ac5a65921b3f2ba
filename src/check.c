/* Runs in: the `brig check` process; never in PID 1. */
#include "check.h"

#include "cfgdir.h"
#include "usage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int check_path(const char *path, struct diag *d)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct config_set *set = calloc(1, sizeof *set);
		int n;

		if (!set)
			return 1;
		n = config_load_dir(path, set, NULL, NULL, d);
		n += config_check_graph(set, NULL, NULL, d);
		config_free_set(set);
		free(set);
		return n;
	} else {
		struct jail_cfg c;
		int n = config_load_file(path, &c, d);

		config_free(&c);
		return n;
	}
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
		if (!strcmp(argv[i], "--") && !files)
			continue;
		check_path(argv[i], &d);
		files++;
	}
	if (!files) {
		fputs(brig_usage, stderr);
		return 2;
	}
	if (d.errors || d.warnings)
		fprintf(stderr, "%d error%s, %d warning%s\n", d.errors, d.errors == 1 ? "" : "s",
			d.warnings, d.warnings == 1 ? "" : "s");
	return d.errors ? 1 : 0;
}
