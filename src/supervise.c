/* Runs in: the `brig supervise` process, a child subreaper under another
 * init. */
#include "supervise.h"

#include "ctlserver.h"
#include "log.h"
#include "usage.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int supervise_main(int argc, char **argv)
{
	struct sup_opts o = { 0 };
	uint64_t deadline;
	int i;

	static const char opts[] = "--config-dir\0--socket\0--cgroup-root\0--state-dir\0";
	const char **dst[] = { &o.config_dir, &o.socket, &o.cgroup_root, &o.state_dir }, *n;
	int k;

	for (i = 0; i < argc; i++) {
		for (k = 0; (n = value_nth(opts, k)) && strcmp(argv[i], n); k++)
			;
		if (!n || i + 1 >= argc) {
			fputs(brig_usage, strcmp(argv[i], "--help") ? stderr : stdout);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
		*dst[k] = argv[++i];
	}
	if (!o.socket)
		o.socket = getenv("BRIG_SOCKET");
	log_init(2, 0);
	return control_run(&o, &deadline) == SUP_END_EXIT ? 0 : 1;
}
