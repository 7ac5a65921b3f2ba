/* pid -> jail slot: an open-addressing hash of the supervisor's children.
 * Pure: no I/O, no allocation; the caller owns the table. */
#ifndef BRIG_PIDHASH_H
#define BRIG_PIDHASH_H

#include <sys/types.h>

/* A power of two at least twice the number of pids ever held (the jails). */
#define PIDHASH_SLOTS 512

struct pidhash {
	struct {
		pid_t pid;  /* 0: empty */
		int id;
	} s[PIDHASH_SLOTS];
	int n;
};

/* Adds pid -> id. Returns 0, or -1 when pid is 0 or already there or the
 * table is full (the caller holds at most half of it: a bug). */
int pidhash_put(struct pidhash *h, pid_t pid, int id);

/* Removes pid and returns its id, or -1 when it is not there (an orphan). */
int pidhash_take(struct pidhash *h, pid_t pid);

#endif
