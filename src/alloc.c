/* Runs in: every brig process of the static musl build. malloc, calloc,
 * realloc and free in a few hundred bytes instead of musl's eight
 * kilobytes: brig allocates only while config loads (strings, one
 * struct per jail) and frees it all on the next reload, so a simple
 * size-class allocator serves it as well as a general one.
 *
 * A request of up to CLASS_MAX - HDR bytes takes a chunk of the next power
 * of two from 32 to CLASS_MAX bytes, carved from 64 KiB arenas and kept on
 * a free list of its class when freed (arenas are never returned: what a
 * config needed once, the next one needs again). A larger request is a
 * mapping of its own, unmapped by free. Every chunk starts with a 16-byte
 * header holding its size, so pointers are 16-byte aligned.
 *
 * Not thread-safe: brig has one thread. The service child of a jail
 * init shares its memory until exec (CLONE_VFORK), but the jail init is
 * suspended meanwhile, so the two never run at once.
 *
 * The unit tests, built against glibc, keep glibc's allocator;
 * tests/unit/t_alloc.c includes this file with ALLOC_NAME set to test it
 * under other names. */
#include <errno.h> /* first: it tells a glibc build by __GLIBC__ */
#if !defined(__GLIBC__) || defined(ALLOC_NAME)
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#ifndef ALLOC_NAME
#define ALLOC_NAME(f) f
#endif

#define HDR 16
#define CLASS_MIN_SHIFT 5  /* 32 bytes */
#define CLASSES 8          /* 32 .. 4096 */
#define CLASS_MAX ((size_t)1 << (CLASS_MIN_SHIFT + CLASSES - 1))
#define ARENA (64 * 1024)

static void *free_list[CLASSES];
static char *arena_at, *arena_end;

/* Through an integer: p - HDR lies outside the object the caller holds. */
static size_t *header(void *p)
{
	return (size_t *)((uintptr_t)p - HDR);
}

/* Class index for a chunk of total size need (header included). */
static unsigned class_of(size_t need)
{
	unsigned c = 0;

	while (((size_t)1 << (CLASS_MIN_SHIFT + c)) < need)
		c++;
	return c;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *small(size_t need)
{
	unsigned c = class_of(need);
	size_t size = (size_t)1 << (CLASS_MIN_SHIFT + c);
	char *chunk = free_list[c];

	if (chunk) {
		free_list[c] = *(void **)(void *)(chunk + HDR);
	} else {
		if ((size_t)(arena_end - arena_at) < size) {
			/* The old arena's tail is left unused: at most one chunk. */
			if (!(arena_at = map(ARENA)))
				return arena_end = NULL, NULL;
			arena_end = arena_at + ARENA;
		}
		chunk = arena_at;
		arena_at += size;
	}
	*(size_t *)(void *)chunk = size;
	return chunk + HDR;
}

void *ALLOC_NAME(malloc)(size_t n)
{
	size_t len;
	char *p;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	if (n + HDR <= CLASS_MAX) {
		p = small(n + HDR);
	} else {
		len = (n + HDR + 4095) & ~(size_t)4095;
		if ((p = map(len))) {
			*(size_t *)(void *)p = len;
			p += HDR;
		}
	}
	if (!p)
		errno = ENOMEM;
	return p;
}

void ALLOC_NAME(free)(void *p)
{
	size_t size;

	if (!p)
		return;
	size = *header(p);
	if (size > CLASS_MAX) {
		munmap(header(p), size);
		return;
	}
	*(void **)p = free_list[class_of(size)];
	free_list[class_of(size)] = header(p);
}

void *ALLOC_NAME(calloc)(size_t m, size_t n)
{
	void *p;

	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	p = ALLOC_NAME(malloc)(m * n);
	/* A mapping of its own is zero already; a recycled chunk is not. */
	if (p && *header(p) <= CLASS_MAX)
		memset(p, 0, m * n);
	return p;
}

void *ALLOC_NAME(realloc)(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return ALLOC_NAME(malloc)(n);
	have = *header(p) - HDR;
	if (n <= have && (have + HDR <= CLASS_MAX || n + HDR > CLASS_MAX))
		return p;  /* still fits: a shrunk mapping keeps its pages */
	if (!(q = ALLOC_NAME(malloc)(n)))
		return NULL;
	memcpy(q, p, n < have ? n : have);
	ALLOC_NAME(free)(p);
	return q;
}
#endif
