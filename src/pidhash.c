/* Runs in: the supervisor. Pure: linear probing with backward-shift
 * deletion, so no tombstones accumulate however many pids come and go. */
#include "pidhash.h"

#define MASK (PIDHASH_SLOTS - 1)

static unsigned home(pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & MASK;
}

int pidhash_put(struct pidhash *h, pid_t pid, int id)
{
	unsigned i = home(pid);

	if (pid <= 0 || h->n >= PIDHASH_SLOTS - 1)
		return -1;
	for (; h->s[i].pid; i = (i + 1) & MASK)
		if (h->s[i].pid == pid)
			return -1;
	h->s[i].pid = pid;
	h->s[i].id = id;
	h->n++;
	return 0;
}

int pidhash_take(struct pidhash *h, pid_t pid)
{
	unsigned i = home(pid), j, k;
	int id;

	while (h->s[i].pid && h->s[i].pid != pid)
		i = (i + 1) & MASK;
	if (pid <= 0 || !h->s[i].pid)
		return -1;
	id = h->s[i].id;
	h->s[i].pid = 0;
	h->n--;
	for (j = (i + 1) & MASK; h->s[j].pid; j = (j + 1) & MASK) {
		k = home(h->s[j].pid);
		/* j stays unless its home lies cyclically outside (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		h->s[i] = h->s[j];
		h->s[j].pid = 0;
		i = j;
	}
	return id;
}
