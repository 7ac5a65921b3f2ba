/* Unit tests of the loop's two tables: the pid hash (pidhash.c) and the
 * deadline heap (heap.c), each against a plain array doing the same, over
 * many random operations with colliding keys. */
#include "heap.h"
#include "pidhash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void t_pidhash(void)
{
	static struct pidhash h;
	static int model[1 << 16];  /* pid -> id + 1 */
	int i, bad = 0, n = 0;

	ok(pidhash_take(&h, 42) == -1, "an empty table has no pid");
	ok(pidhash_put(&h, 42, 7) == 0 && pidhash_put(&h, 42, 8) == -1,
	   "a pid goes in once");
	ok(pidhash_take(&h, 42) == 7 && pidhash_take(&h, 42) == -1, "and comes out once");
	ok(pidhash_put(&h, 0, 1) == -1 && pidhash_put(&h, -5, 1) == -1, "pid 0 and < 0 refused");
	/* Pids that are multiples of the table size collide at home slots. */
	for (i = 0; i < 200000; i++) {
		pid_t pid = (pid_t)(rnd() % 4 ? 1 + rnd() % 65535 : (1 + rnd() % 127) * 512);
		int id = (int)(rnd() % 256);

		if (pid >= 1 << 16)
			continue;
		if (model[pid]) {
			bad += pidhash_take(&h, pid) != model[pid] - 1;
			model[pid] = 0;
			n--;
		} else if (n < 255) {
			bad += pidhash_put(&h, pid, id) != 0;
			model[pid] = id + 1;
			n++;
		}
	}
	for (i = 1; i < 1 << 16; i++)
		if (model[i])
			bad += pidhash_take(&h, i) != model[i] - 1;
	ok(bad == 0 && h.n == 0, "200,000 random puts and takes agree with a plain array (%d bad)",
	   bad);
	for (i = 1; i <= PIDHASH_SLOTS; i++)
		if (pidhash_put(&h, i, i) < 0)
			break;
	ok(i == PIDHASH_SLOTS, "a full table refuses the next pid instead of looping (%d)", i);
}

static void t_heap(void)
{
	static struct heap h;
	static uint64_t model[HEAP_MAX];
	int i, k, id, bad = 0, order = 0;
	uint64_t at, prev;

	ok(heap_top(&h, &id) == 0, "an empty heap has no deadline");
	heap_set(&h, 3, 50);
	heap_set(&h, 5, 20);
	heap_set(&h, 3, 10);
	ok(heap_top(&h, &id) == 10 && id == 3, "moving a deadline earlier puts it on top");
	heap_set(&h, 3, 0);
	ok(heap_top(&h, &id) == 20 && id == 5 && heap_get(&h, 3) == 0, "0 takes it out");
	heap_set(&h, 5, 0);
	heap_set(&h, HEAP_MAX, 1);
	heap_set(&h, -1, 1);
	ok(h.n == 0, "ids out of range are ignored");
	for (i = 0; i < 100000; i++) {
		id = (int)(rnd() % HEAP_MAX);
		at = rnd() % 4 ? 1 + rnd() % 1000 : 0;
		heap_set(&h, id, at);
		model[id] = at;
		if (i % 97)
			continue;
		uint64_t min = 0;

		for (k = 0; k < HEAP_MAX; k++) {
			if (model[k] != heap_get(&h, k))
				bad++;
			if (model[k] && (!min || model[k] < min))
				min = model[k];
		}
		bad += heap_top(&h, &id) != min || (min && model[id] != min);
	}
	for (prev = 0; (at = heap_top(&h, &id)); prev = at) {
		order += at < prev;
		heap_set(&h, id, 0);
		model[id] = 0;
	}
	for (k = 0; k < HEAP_MAX; k++)
		bad += model[k] != 0;
	ok(bad == 0, "100,000 random sets agree with a plain array, top the minimum (%d bad)", bad);
	ok(order == 0, "taking the top until empty gives the deadlines in order");
}

int main(void)
{
	t_pidhash();
	t_heap();
	return done();
}
