/* Runs in: the `brig run` process. Placeholder until the jail runtime lands. */
#include "run.h"

#include <stdio.h>

int run_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "brig: run: not implemented yet\n");
	return 125;
}
