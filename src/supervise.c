/* Runs in: the `brig supervise` process, a child subreaper under another
 * init. */
#include "supervise.h"

#include "ctlserver.h"
#include "log.h"
#include "usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int supervise_main(int argc, char **argv)
{
	struct sup_opts o = { 0 };
	uint64_t deadline;
	int i;

	for (i = 0; i < argc; i++) {
		const char **dst = !strcmp(argv[i], "--config-dir")    ? &o.config_dir
				   : !strcmp(argv[i], "--socket")      ? &o.socket
				   : !strcmp(argv[i], "--cgroup-root") ? &o.cgroup_root
				   : !strcmp(argv[i], "--state-dir")   ? &o.state_dir
								       : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(brig_usage, stdout);
			return 0;
		}
		if (!dst || i + 1 >= argc) {
			fputs(brig_usage, stderr);
			return 2;
		}
		*dst = argv[++i];
	}
	if (!o.socket)
		o.socket = getenv("BRIG_SOCKET");
	log_init(2, 0);
	return control_run(&o, &deadline) == SUP_END_EXIT ? 0 : 1;
}
