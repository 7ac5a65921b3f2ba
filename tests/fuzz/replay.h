/* main() for the replay build of a fuzz target (-DFUZZ_REPLAY): runs the
 * target once on each file named on the command line, e.g. a crash file
 * libFuzzer left behind, under gdb or a gcc sanitizer build. Included last
 * by each target; empty in the libFuzzer build, which has its own main(). */
#ifndef BRIG_FUZZ_REPLAY_H
#define BRIG_FUZZ_REPLAY_H
#ifdef FUZZ_REPLAY

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_one(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n = -1;
	int rc = -1;

	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		printf("replayed %s (%ld bytes)\n", path, n);
		rc = 0;
	} else {
		fprintf(stderr, "replay: cannot read %s\n", path);
	}
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		bad |= replay_one(argv[i]) < 0;
	return bad;
}

#endif
#endif
