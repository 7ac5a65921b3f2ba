/* Restart and backoff decisions for one jail (brig.ini(5) [restart]).
 * Pure: no clock, no I/O, no allocation. Every time is an argument, in
 * milliseconds of a monotonic clock (CLOCK_MONOTONIC or CLOCK_BOOTTIME). */
#ifndef BRIG_POLICY_H
#define BRIG_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* The largest burst the history can judge; config.c rejects a larger one. */
#define POLICY_BURST_MAX 32

enum restart_policy {
	RESTART_ALWAYS,
	RESTART_ON_FAILURE,  /* exit code != 0 or killed by a signal */
	RESTART_NEVER,
};

enum failure_action {
	FAILACT_NONE,
	FAILACT_REBOOT,
	FAILACT_POWEROFF,
};

/* The [restart] keys of one jail, plus its type. */
struct policy {
	enum restart_policy restart;
	bool oneshot;            /* type = oneshot: exit 0 means done, never restarted */
	uint64_t delay_ms;       /* wait before the first restart */
	uint64_t max_delay_ms;   /* cap on the doubling, and on delay_ms itself */
	uint64_t reset_after_ms; /* a run this long clears the doubling and burst count */
	unsigned burst;          /* more starts than this within interval: failed */
	uint64_t interval_ms;    /* 0: no start limit */
	enum failure_action failure_action;
};

/* What one jail remembers between its runs. All zero is a fresh history. */
struct policy_hist {
	uint32_t failures;                 /* consecutive restarts since the last reset */
	uint64_t delay_ms;                 /* the delay handed out last */
	uint64_t starts[POLICY_BURST_MAX]; /* ring: the most recent start times */
	unsigned nstarts;                  /* slots used */
	unsigned next;                     /* slot the next start goes into */
};

enum run_end {
	RUN_EXITED,       /* the service exited; status is its exit code */
	RUN_KILLED,       /* a signal killed it; status is the signal number */
	RUN_START_FAILED, /* never got running: setup error, exec failure, ready timeout */
};

struct run_info {
	enum run_end end;
	int status;
	bool stop_requested; /* by a user or by shutdown: never restarted */
	uint64_t start_ms;   /* when this run was spawned */
	uint64_t end_ms;     /* when it ended */
};

enum policy_action {
	POL_RESTART, /* start again after delay_ms: state backoff */
	POL_STOP,    /* stay down: state stopped */
	POL_DONE,    /* a oneshot exited 0: state done */
	POL_FAIL,    /* give up: state failed, then failure_action */
};

struct policy_decision {
	enum policy_action action;
	uint64_t delay_ms;                  /* POL_RESTART only */
	enum failure_action failure_action; /* POL_FAIL only; FAILACT_NONE otherwise */
	const char *why;                    /* static text for the console line */
};

/* Forgets every failure and start: a user `start` on a failed jail. */
void policy_reset(struct policy_hist *h);

/* Records a start, whoever asked for it (boot, user, restart), at spawn time. */
void policy_started(struct policy_hist *h, uint64_t now_ms);

/* Decides what follows the end of a run, judged at now_ms (normally
 * run->end_ms). Updates h: a long run clears it; a restart counts as one
 * more consecutive failure and remembers its delay. The restart itself is
 * recorded only when the caller spawns it, with policy_started(). */
struct policy_decision policy_next(const struct policy *p, struct policy_hist *h,
				   const struct run_info *run, uint64_t now_ms);

#endif
