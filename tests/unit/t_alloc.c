/* Unit tests of alloc.c, brig's malloc in the musl build, compiled here
 * under a_-prefixed names so the test itself keeps the host's allocator. */
#define ALLOC_NAME(f) a_##f
#include "alloc.c"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static bool aligned(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void t_sizes(void)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 4079, 4080, 4081, 9000, 200000 };
	bool all = true, zero = true;
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = a_calloc(1, sizes[i]);

		if (!p || !aligned(p)) {
			all = false;
			continue;
		}
		for (size_t k = 0; k < sizes[i]; k++)
			zero &= p[k] == 0;
		memset(p, 0xa5, sizes[i]);
		a_free(p);
	}
	ok(all, "every size from 0 to 200000 bytes: a 16-byte aligned block");
	ok(zero, "calloc hands out zeroed memory, recycled chunks included");
}

static void t_reuse(void)
{
	void *a = a_malloc(40), *b = a_malloc(40), *c;

	ok(a && b && a != b, "two live blocks are distinct");
	a_free(a);
	c = a_malloc(44);  /* 40 and 44 bytes share the 64-byte class */
	ok(c == a, "a freed chunk serves the next request of its class");
	a_free(b);
	a_free(c);
	a_free(NULL);
	ok(1, "free(NULL) is a no-op");
}

static void t_realloc(void)
{
	char *p = a_malloc(10), *q;
	bool same = true;
	int i;

	memcpy(p, "0123456789", 10);
	q = a_realloc(p, 12);
	ok(q == p, "realloc within the chunk keeps the block");
	q = a_realloc(q, 20000);
	ok(q && !memcmp(q, "0123456789", 10), "realloc to a mapping keeps the contents");
	for (i = 0; i < 20000; i++)
		q[i] = (char)i;
	p = a_realloc(q, 30000);
	for (i = 0; i < 20000; i++)
		same &= p[i] == (char)i;
	ok(p && same, "realloc of a mapping to a larger one keeps 20000 bytes");
	q = a_realloc(p, 100);
	ok(q && q[99] == (char)99, "realloc of a mapping to a small chunk keeps the head");
	a_free(q);
	p = a_realloc(NULL, 5);
	ok(p != NULL, "realloc(NULL, n) allocates");
	a_free(p);
}

static void t_overflow(void)
{
	errno = 0;
	ok(a_calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM,
	   "calloc whose product overflows fails with ENOMEM");
	errno = 0;
	ok(a_malloc(SIZE_MAX - 8) == NULL && errno == ENOMEM,
	   "malloc(SIZE_MAX - 8) fails with ENOMEM");
}

/* Many blocks of mixed sizes, freed in a scrambled order and reallocated:
 * every block keeps its own pattern while the others come and go. */
static void t_churn(void)
{
	enum { N = 2000 };
	static unsigned char *blk[N];
	static size_t len[N];
	unsigned seed = 12345;
	bool intact = true;
	int round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			if (blk[i] && (seed >> 16) % 3 == 0) {
				for (size_t k = 0; k < len[i]; k++)
					intact &= blk[i][k] == (unsigned char)(i + k);
				a_free(blk[i]);
				blk[i] = NULL;
			} else if (!blk[i]) {
				len[i] = (seed >> 8) % ((seed >> 20) % 8 == 0 ? 9000 : 300);
				blk[i] = a_malloc(len[i]);
				if (!blk[i])
					intact = false, len[i] = 0;
				for (size_t k = 0; k < len[i]; k++)
					blk[i][k] = (unsigned char)(i + k);
			}
		}
	}
	for (i = 0; i < N; i++) {
		for (size_t k = 0; blk[i] && k < len[i]; k++)
			intact &= blk[i][k] == (unsigned char)(i + k);
		a_free(blk[i]);
	}
	ok(intact, "20 rounds over 2000 blocks of mixed sizes: no block overwrites another");
}

int main(void)
{
	t_sizes();
	t_reuse();
	t_realloc();
	t_overflow();
	t_churn();
	return done();
}
