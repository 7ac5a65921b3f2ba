/* Deadlines of the supervisor: a binary min-heap of (time, id), id below
 * HEAP_MAX, at most one entry per id. Pure: no I/O, no allocation. */
#ifndef BRIG_HEAP_H
#define BRIG_HEAP_H

#include <stdint.h>

#define HEAP_MAX 256

struct heap {
	struct {
		uint64_t at;
		int id;
	} e[HEAP_MAX];
	int n;
	int16_t pos[HEAP_MAX];  /* index in e of id, plus one; 0: not in the heap */
};

/* Sets id's deadline to at; at == 0 takes id out. Ids out of range are
 * ignored. */
void heap_set(struct heap *h, int id, uint64_t at);

/* The earliest deadline (0: none) and its id in *id. */
uint64_t heap_top(const struct heap *h, int *id);

/* id's deadline, 0 when it has none. */
uint64_t heap_get(const struct heap *h, int id);

#endif
