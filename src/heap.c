/* Runs in: the supervisor. Pure. */
#include "heap.h"

static void swap(struct heap *h, int a, int b)
{
	__typeof__(h->e[0]) t = h->e[a];

	h->e[a] = h->e[b];
	h->e[b] = t;
	h->pos[h->e[a].id] = (int16_t)(a + 1);
	h->pos[h->e[b].id] = (int16_t)(b + 1);
}

/* Moves entry i up or down until the heap order holds again. */
static void fix(struct heap *h, int i)
{
	while (i > 0 && h->e[(i - 1) / 2].at > h->e[i].at) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && h->e[l].at < h->e[m].at)
			m = l;
		if (r < h->n && h->e[r].at < h->e[m].at)
			m = r;
		if (m == i)
			return;
		swap(h, i, m);
		i = m;
	}
}

void heap_set(struct heap *h, int id, uint64_t at)
{
	int i;

	if (id < 0 || id >= HEAP_MAX)
		return;
	i = h->pos[id] - 1;
	if (i < 0 && at) {
		i = h->n++;
		h->e[i].id = id;
		h->pos[id] = (int16_t)(i + 1);
	} else if (i >= 0 && !at) {
		h->pos[id] = 0;
		if (i == --h->n)
			return;
		h->e[i] = h->e[h->n];
		h->pos[h->e[i].id] = (int16_t)(i + 1);
		fix(h, i);
		return;
	} else if (i < 0) {
		return;
	}
	h->e[i].at = at;
	fix(h, i);
}

uint64_t heap_top(const struct heap *h, int *id)
{
	if (!h->n)
		return 0;
	*id = h->e[0].id;
	return h->e[0].at;
}

uint64_t heap_get(const struct heap *h, int id)
{
	return id >= 0 && id < HEAP_MAX && h->pos[id] ? h->e[h->pos[id] - 1].at : 0;
}
