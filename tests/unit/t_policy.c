/* Unit tests of policy.c: restart/backoff decisions against a fake clock. */
#include "policy.h"

#include <stdint.h>
#include <string.h>

#include "tap.h"

#define SEC 1000ULL
#define T0 (1000 * SEC) /* the fake clock's first reading */

static const struct policy defaults = {
	.restart = RESTART_ALWAYS,
	.delay_ms = 100,
	.max_delay_ms = 30 * SEC,
	.reset_after_ms = 10 * SEC,
	.burst = 10,
	.interval_ms = 60 * SEC,
	.failure_action = FAILACT_NONE,
};

static const char *const act_name[] = { "restart", "stop", "done", "fail" };
static const char *const end_name[] = { "exit", "signal", "start failed" };
static const char *const pol_name[] = { "always", "on-failure", "never" };

/* One run of a scenario: how it ends and what the policy must answer. */
struct step {
	enum run_end end;
	int status;
	uint64_t ran_ms;
	enum policy_action want;
	uint64_t want_delay; /* checked for POL_RESTART only */
};

#define CRASH(ran, act, delay) { RUN_EXITED, 1, (ran), (act), (delay) }

/* What the supervisor does, against a fake clock: spawn (policy_started),
 * let the run last ran_ms, decide, wait out the delay. Stops at the first
 * step that disagrees; returns its index, or -1 when all agreed. */
static int play(const struct policy *p, struct policy_hist *h, uint64_t *clock,
		const struct step *s, int n, struct policy_decision *last)
{
	int i;

	for (i = 0; i < n; i++) {
		struct run_info run = { s[i].end, s[i].status, false, *clock, 0 };
		struct policy_decision d;

		policy_started(h, *clock);
		*clock += s[i].ran_ms;
		run.end_ms = *clock;
		d = policy_next(p, h, &run, *clock);
		*last = d;
		if (d.action != s[i].want ||
		    (d.action == POL_RESTART && d.delay_ms != s[i].want_delay))
			return i;
		if (d.action != POL_RESTART)
			return i + 1 == n ? -1 : i;
		*clock += d.delay_ms;
	}
	return -1;
}

static struct policy_decision once(const struct policy *p, struct policy_hist *h,
				   enum run_end end, int status, bool stop)
{
	struct run_info run = { end, status, stop, T0, T0 + 5 };

	policy_started(h, T0);
	return policy_next(p, h, &run, T0 + 5);
}

/* Every policy × type × way of ending, no stop requested, fresh history. */
static void t_matrix(void)
{
	static const struct {
		enum restart_policy r;
		bool oneshot;
		enum run_end end;
		int status;
		enum policy_action want;
	} m[] = {
		{ RESTART_ALWAYS, false, RUN_EXITED, 0, POL_RESTART },
		{ RESTART_ALWAYS, false, RUN_EXITED, 1, POL_RESTART },
		{ RESTART_ALWAYS, false, RUN_KILLED, 9, POL_RESTART },
		{ RESTART_ALWAYS, false, RUN_START_FAILED, 0, POL_RESTART },
		{ RESTART_ON_FAILURE, false, RUN_EXITED, 0, POL_STOP },
		{ RESTART_ON_FAILURE, false, RUN_EXITED, 1, POL_RESTART },
		{ RESTART_ON_FAILURE, false, RUN_KILLED, 9, POL_RESTART },
		{ RESTART_ON_FAILURE, false, RUN_START_FAILED, 0, POL_RESTART },
		{ RESTART_NEVER, false, RUN_EXITED, 0, POL_STOP },
		{ RESTART_NEVER, false, RUN_EXITED, 1, POL_FAIL },
		{ RESTART_NEVER, false, RUN_KILLED, 9, POL_FAIL },
		{ RESTART_NEVER, false, RUN_START_FAILED, 0, POL_FAIL },
		{ RESTART_ALWAYS, true, RUN_EXITED, 0, POL_DONE },
		{ RESTART_ALWAYS, true, RUN_EXITED, 1, POL_RESTART },
		{ RESTART_ALWAYS, true, RUN_KILLED, 15, POL_RESTART },
		{ RESTART_ALWAYS, true, RUN_START_FAILED, 0, POL_RESTART },
		{ RESTART_ON_FAILURE, true, RUN_EXITED, 0, POL_DONE },
		{ RESTART_ON_FAILURE, true, RUN_EXITED, 2, POL_RESTART },
		{ RESTART_ON_FAILURE, true, RUN_KILLED, 15, POL_RESTART },
		{ RESTART_ON_FAILURE, true, RUN_START_FAILED, 0, POL_RESTART },
		{ RESTART_NEVER, true, RUN_EXITED, 0, POL_DONE },
		{ RESTART_NEVER, true, RUN_EXITED, 2, POL_FAIL },
		{ RESTART_NEVER, true, RUN_KILLED, 15, POL_FAIL },
		{ RESTART_NEVER, true, RUN_START_FAILED, 0, POL_FAIL },
	};
	size_t i;

	for (i = 0; i < sizeof m / sizeof m[0]; i++) {
		struct policy p = defaults;
		struct policy_hist h = { 0 };
		struct policy_decision d;
		enum failure_action fa;

		p.restart = m[i].r;
		p.oneshot = m[i].oneshot;
		p.failure_action = FAILACT_REBOOT;
		d = once(&p, &h, m[i].end, m[i].status, false);
		fa = d.action == POL_FAIL ? FAILACT_REBOOT : FAILACT_NONE;
		ok(d.action == m[i].want && d.why && d.why[0] && d.failure_action == fa &&
			   (d.action != POL_RESTART || d.delay_ms == 100),
		   "%s %s, %s %d -> %s (got %s)", pol_name[m[i].r],
		   m[i].oneshot ? "oneshot" : "service", end_name[m[i].end], m[i].status,
		   act_name[m[i].want], act_name[d.action]);
	}
}

/* A stop asked for never restarts, whatever the policy and the exit, and
 * leaves the counters alone. */
static void t_stop_requested(void)
{
	static const struct {
		enum run_end end;
		int status;
	} e[] = {
		{ RUN_EXITED, 0 }, { RUN_EXITED, 1 }, { RUN_KILLED, 15 }, { RUN_START_FAILED, 0 },
	};
	int r, o;
	size_t i;

	for (r = RESTART_ALWAYS; r <= RESTART_NEVER; r++)
		for (o = 0; o < 2; o++)
			for (i = 0; i < sizeof e / sizeof e[0]; i++) {
				struct policy p = defaults;
				struct policy_hist h = { .failures = 3, .delay_ms = 400 };
				struct policy_decision d;

				p.restart = r;
				p.oneshot = o;
				p.failure_action = FAILACT_POWEROFF;
				d = once(&p, &h, e[i].end, e[i].status, true);
				ok(d.action == POL_STOP && d.failure_action == FAILACT_NONE &&
					   h.failures == 3 && h.delay_ms == 400,
				   "stop requested: %s %s, %s %d -> stop", pol_name[r],
				   o ? "oneshot" : "service", end_name[e[i].end], e[i].status);
			}
}

static void t_doubling_is_capped(void)
{
	static const uint64_t want[] = { 100,	200,   400,   800,   1600,  3200,  6400,
					 12800, 25600, 30000, 30000, 30000, 30000 };
	struct step s[sizeof want / sizeof want[0]];
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	uint64_t clock = T0;
	size_t i;
	int bad;

	p.interval_ms = 0; /* this test is about delays only */
	for (i = 0; i < sizeof s / sizeof s[0]; i++)
		s[i] = (struct step)CRASH(50, POL_RESTART, want[i]);
	bad = play(&p, &h, &clock, s, sizeof s / sizeof s[0], &d);
	ok(bad < 0, "delays 100, 200, ..., 25600, 30000, 30000 (step %d got %llu)", bad,
	   (unsigned long long)d.delay_ms);
	ok(h.failures == sizeof s / sizeof s[0], "failures counts consecutive restarts (%u)",
	   h.failures);
}

/* With the defaults, a service that dies at once is restarted 9 times over
 * about 51 s and then given up: the burst is judged when the exit is. */
static void t_defaults_end_failed(void)
{
	static const struct step s[] = {
		CRASH(0, POL_RESTART, 100),   CRASH(0, POL_RESTART, 200),
		CRASH(0, POL_RESTART, 400),   CRASH(0, POL_RESTART, 800),
		CRASH(0, POL_RESTART, 1600),  CRASH(0, POL_RESTART, 3200),
		CRASH(0, POL_RESTART, 6400),  CRASH(0, POL_RESTART, 12800),
		CRASH(0, POL_RESTART, 25600), CRASH(0, POL_FAIL, 0),
	};
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	uint64_t clock = T0;
	int bad;

	p.failure_action = FAILACT_REBOOT;
	bad = play(&p, &h, &clock, s, sizeof s / sizeof s[0], &d);
	ok(bad < 0 && d.failure_action == FAILACT_REBOOT,
	   "defaults: 10 starts then failed with failure_action (step %d)", bad);
	ok(clock - T0 == 51100, "defaults: gave up 51.1 s after the first start (%llu ms)",
	   (unsigned long long)(clock - T0));
}

static void t_delay_edges(void)
{
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	int i, all = 1;

	p.interval_ms = 0;
	p.delay_ms = 0;
	for (i = 0; i < 100; i++)
		all &= once(&p, &h, RUN_EXITED, 1, false).delay_ms == 0;
	ok(all, "delay 0: every restart is immediate");

	p = defaults;
	p.interval_ms = 0;
	p.delay_ms = 50 * SEC;
	policy_reset(&h);
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.delay_ms == 30 * SEC, "delay above max_delay: capped from the first restart");

	p.delay_ms = UINT64_MAX / 3;
	p.max_delay_ms = UINT64_MAX;
	policy_reset(&h);
	for (i = 0; i < 4; i++)
		d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.delay_ms == UINT64_MAX, "doubling saturates at max_delay instead of wrapping");

	p.delay_ms = 1;
	p.max_delay_ms = 30 * SEC;
	h = (struct policy_hist){ .failures = UINT32_MAX, .delay_ms = 30 * SEC };
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.delay_ms == 30 * SEC && h.failures == UINT32_MAX, "failures counter saturates");

	p.delay_ms = 7;
	p.max_delay_ms = 7;
	policy_reset(&h);
	for (i = 0, all = 1; i < 5; i++)
		all &= once(&p, &h, RUN_KILLED, 9, false).delay_ms == 7;
	ok(all, "delay == max_delay: a fixed delay");
}

static void t_reset_after(void)
{
	static const struct step s[] = {
		CRASH(50, POL_RESTART, 100),
		CRASH(50, POL_RESTART, 200),
		CRASH(50, POL_RESTART, 400),
		CRASH(10 * SEC - 1, POL_RESTART, 800), /* just short of reset_after */
		CRASH(10 * SEC, POL_RESTART, 100),     /* exactly reset_after: reset */
		CRASH(50, POL_RESTART, 200),
		CRASH(3600 * SEC, POL_RESTART, 100),
	};
	static const struct step failed_starts[] = {
		{ RUN_START_FAILED, 0, 30 * SEC, POL_RESTART, 100 },
		{ RUN_START_FAILED, 0, 30 * SEC, POL_RESTART, 200 },
		{ RUN_START_FAILED, 0, 30 * SEC, POL_RESTART, 400 },
	};
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	uint64_t clock = T0;
	int bad;

	bad = play(&p, &h, &clock, s, sizeof s / sizeof s[0], &d);
	ok(bad < 0, "a run of reset_after or longer restarts the doubling (step %d)", bad);

	policy_reset(&h);
	bad = play(&p, &h, &clock, failed_starts, 3, &d);
	ok(bad < 0, "a ready timeout longer than reset_after does not reset (step %d)", bad);

	p.reset_after_ms = 0;
	p.burst = 1;
	policy_reset(&h);
	for (bad = 0; bad < 20; bad++) {
		d = once(&p, &h, RUN_EXITED, 1, false);
		if (d.action != POL_RESTART || d.delay_ms != 100)
			break;
	}
	ok(bad == 20, "reset_after 0: every run is long, no doubling, no start limit");
}

/* burst 3 within 60 s: three starts happen, the fourth is refused. */
static void t_burst_exact(void)
{
	static const struct step s[] = {
		CRASH(1, POL_RESTART, 0),
		CRASH(1, POL_RESTART, 0),
		CRASH(1, POL_FAIL, 0),
	};
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	uint64_t clock = T0;
	int bad;

	p.burst = 3;
	p.delay_ms = 0;
	p.failure_action = FAILACT_POWEROFF;
	bad = play(&p, &h, &clock, s, 3, &d);
	ok(bad < 0 && d.failure_action == FAILACT_POWEROFF,
	   "burst 3: failed at the 4th start within interval (step %d)", bad);
	{
		struct policy_hist before = h;

		d = policy_next(&p, &h, &(struct run_info){ RUN_EXITED, 1, false, clock, clock },
				clock);
		ok(d.action == POL_FAIL && memcmp(&before, &h, sizeof h) == 0,
		   "deciding to fail leaves the history as it was");
	}

	p.burst = 1;
	policy_reset(&h);
	clock = T0;
	bad = play(&p, &h, &clock, &s[2], 1, &d);
	ok(bad < 0, "burst 1: the first restart within interval is refused (step %d)", bad);
}

/* burst 3, interval 60 s, a fixed delay of 30 s: at most 3 starts in any
 * 60 s, so restarts go on for ever. */
static void t_burst_spread(void)
{
	struct step s[40];
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	uint64_t clock = T0;
	size_t i;
	int bad;

	p.burst = 3;
	p.delay_ms = p.max_delay_ms = 30 * SEC;
	for (i = 0; i < sizeof s / sizeof s[0]; i++)
		s[i] = (struct step)CRASH(0, POL_RESTART, 30 * SEC);
	bad = play(&p, &h, &clock, s, sizeof s / sizeof s[0], &d);
	ok(bad < 0, "starts spread out: 40 restarts, never failed (step %d)", bad);

	p.delay_ms = p.max_delay_ms = 29 * SEC;
	for (i = 0; i < 3; i++)
		s[i] = (struct step)CRASH(0, POL_RESTART, 29 * SEC);
	policy_reset(&h);
	clock = T0;
	bad = play(&p, &h, &clock, s, 3, &d);
	ok(bad == 2 && d.action == POL_FAIL, "29 s apart: 4 starts within 60 s fail (step %d)",
	   bad);
}

/* The window is half-open: a start exactly interval ago is out of it. */
static void t_burst_boundary(void)
{
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct run_info run = { RUN_EXITED, 1, false, 0, 0 };

	p.burst = 1;
	p.interval_ms = 1000;
	policy_started(&h, T0);
	run.start_ms = run.end_ms = T0 + 1000;
	ok(policy_next(&p, &h, &run, T0 + 1000).action == POL_RESTART,
	   "a start exactly interval ago is outside the window");
	policy_reset(&h);
	policy_started(&h, T0);
	run.start_ms = run.end_ms = T0 + 999;
	ok(policy_next(&p, &h, &run, T0 + 999).action == POL_FAIL,
	   "a start interval - 1 ago is inside the window");
}

static void t_burst_edges(void)
{
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;
	int i;

	p.burst = 0;
	p.failure_action = FAILACT_REBOOT;
	d = once(&p, &h, RUN_KILLED, 11, false);
	ok(d.action == POL_FAIL && d.failure_action == FAILACT_REBOOT,
	   "burst 0: the first exit that would restart fails instead");
	p.oneshot = true;
	ok(once(&p, &h, RUN_EXITED, 0, false).action == POL_DONE,
	   "burst 0: a oneshot exiting 0 is still done");

	p = defaults;
	p.interval_ms = 0;
	p.delay_ms = 0;
	policy_reset(&h);
	for (i = 0; i < 1000; i++) {
		struct run_info run = { RUN_EXITED, 1, false, T0, T0 };

		policy_started(&h, T0);
		if (policy_next(&p, &h, &run, T0).action != POL_RESTART)
			break;
	}
	ok(i == 1000, "interval 0: no start limit (1000 restarts at one instant)");

	p = defaults;
	p.burst = POLICY_BURST_MAX;
	p.delay_ms = 0;
	policy_reset(&h);
	for (i = 0; i < 3 * POLICY_BURST_MAX; i++)
		policy_started(&h, T0 - 100000); /* long ago, and wrapping the ring */
	for (i = 0; i < POLICY_BURST_MAX - 2; i++)
		policy_started(&h, T0);
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.action == POL_RESTART, "burst POLICY_BURST_MAX: exactly burst starts restart");
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.action == POL_FAIL && h.nstarts == POLICY_BURST_MAX,
	   "burst POLICY_BURST_MAX: judged across a wrapped ring");
	p.burst = 1000;
	ok(once(&p, &h, RUN_EXITED, 1, false).action == POL_FAIL,
	   "a burst above POLICY_BURST_MAX is clamped, never read out of bounds");
}

/* The caller's clock should be monotonic; if it still jumps back, nothing
 * breaks and the start limit stays on the safe side. */
static void t_clock_backwards(void)
{
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct run_info run = { RUN_EXITED, 1, false, T0, T0 - 20 * SEC };
	struct policy_decision d;
	int i;

	p.burst = 2;
	policy_started(&h, T0);
	d = policy_next(&p, &h, &run, T0 - 20 * SEC);
	ok(d.action == POL_RESTART && d.delay_ms == 100 && h.failures == 1,
	   "end before start: a zero-length run, no reset");
	policy_started(&h, T0 - 19 * SEC);
	run = (struct run_info){ RUN_EXITED, 1, false, T0 - 19 * SEC, T0 - 19 * SEC };
	d = policy_next(&p, &h, &run, T0 - 19 * SEC);
	ok(d.action == POL_FAIL, "starts stamped in the future count within the interval");

	policy_reset(&h);
	p.burst = 5;
	p.delay_ms = 0;
	for (i = 0; i < 6; i++) {
		policy_started(&h, T0);
		run = (struct run_info){ RUN_EXITED, 1, false, T0, T0 };
		d = policy_next(&p, &h, &run, T0);
		if (d.action != POL_RESTART)
			break;
	}
	ok(i == 4 && d.action == POL_FAIL, "equal timestamps: burst 5 fails at the 6th start");
}

/* Counters survive a stop and a user start; only policy_reset clears them. */
static void t_reset(void)
{
	struct policy p = defaults;
	struct policy_hist h = { 0 };
	struct policy_decision d;

	p.burst = 3;
	once(&p, &h, RUN_EXITED, 1, false);
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.action == POL_RESTART && d.delay_ms == 200, "second restart waits 200");
	d = once(&p, &h, RUN_EXITED, 0, true);
	ok(d.action == POL_STOP, "user stop");
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.action == POL_FAIL, "a user start does not clear the start limit");
	policy_reset(&h);
	ok(h.failures == 0 && h.nstarts == 0 && h.delay_ms == 0, "policy_reset clears");
	d = once(&p, &h, RUN_EXITED, 1, false);
	ok(d.action == POL_RESTART && d.delay_ms == 100, "after reset: first delay again");
}

int main(void)
{
	t_matrix();
	t_stop_requested();
	t_doubling_is_capped();
	t_defaults_end_failed();
	t_delay_edges();
	t_reset_after();
	t_burst_exact();
	t_burst_spread();
	t_burst_boundary();
	t_burst_edges();
	t_clock_backwards();
	t_reset();
	return done();
}
