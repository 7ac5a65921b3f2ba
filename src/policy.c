/* Runs in: the supervisor (and anything that links it, e.g. unit tests).
 * Pure: no clock, no I/O, no allocation; the caller passes every time. */
#include "policy.h"

#include <string.h>

void policy_reset(struct policy_hist *h)
{
	memset(h, 0, sizeof *h);
}

void policy_started(struct policy_hist *h, uint64_t now_ms)
{
	h->starts[h->next] = now_ms;
	h->next = (h->next + 1) % POLICY_BURST_MAX;
	if (h->nstarts < POLICY_BURST_MAX)
		h->nstarts++;
}

/* A run that got going and lasted reset_after. A failed start never counts:
 * a ready timeout longer than reset_after would otherwise clear the counters
 * on every attempt and loop forever. An end before the start (the clock went
 * backwards) is a run of zero length. */
static bool long_run(const struct policy *p, const struct run_info *run)
{
	return run->end != RUN_START_FAILED && run->end_ms >= run->start_ms &&
	       run->end_ms - run->start_ms >= p->reset_after_ms;
}

/* Would the restart being decided, counted as a start at now, make more than
 * burst starts within the interval ending at now? A start stamped after now
 * (the clock went backwards) counts as within. The ring holds the newest
 * POLICY_BURST_MAX starts, which is all a burst up to that size needs. */
static bool over_burst(const struct policy *p, const struct policy_hist *h, uint64_t now)
{
	unsigned burst = p->burst < POLICY_BURST_MAX ? p->burst : POLICY_BURST_MAX;
	unsigned i, n = 1;

	if (p->interval_ms == 0)
		return false;
	for (i = 0; i < h->nstarts; i++)
		if (h->starts[i] >= now || now - h->starts[i] < p->interval_ms)
			n++;
	return n > burst;
}

/* delay_ms for the first restart, then twice the last one, never above
 * max_delay_ms and never wrapping around. */
static uint64_t next_delay(const struct policy *p, const struct policy_hist *h)
{
	uint64_t d = p->delay_ms;

	if (h->failures)
		d = h->delay_ms > p->max_delay_ms / 2 ? p->max_delay_ms : h->delay_ms * 2;
	return d < p->max_delay_ms ? d : p->max_delay_ms;
}

static bool wants_restart(enum restart_policy r, bool clean)
{
	return r == RESTART_ALWAYS || (r == RESTART_ON_FAILURE && !clean);
}

struct policy_decision policy_next(const struct policy *p, struct policy_hist *h,
				   const struct run_info *run, uint64_t now_ms)
{
	struct policy_decision d = { .action = POL_STOP, .failure_action = FAILACT_NONE };
	bool clean = run->end == RUN_EXITED && run->status == 0;

	if (long_run(p, run))
		policy_reset(h);
	if (run->stop_requested) {
		d.why = "stop requested";
		return d;
	}
	if (clean && (p->oneshot || !wants_restart(p->restart, clean))) {
		d.action = p->oneshot ? POL_DONE : POL_STOP;
		d.why = "exited 0";
		return d;
	}
	if (!wants_restart(p->restart, clean) || over_burst(p, h, now_ms)) {
		d.action = POL_FAIL;
		d.failure_action = p->failure_action;
		d.why = p->restart == RESTART_NEVER ? "failed, restart policy never"
						    : "too many starts within interval";
		return d;
	}
	d.action = POL_RESTART;
	d.delay_ms = next_delay(p, h);
	d.why = "restarting";
	h->delay_ms = d.delay_ms;
	if (h->failures < UINT32_MAX)
		h->failures++;
	return d;
}
