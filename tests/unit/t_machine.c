/* Unit tests of machine.c: every state x event pair of the jail machine,
 * one line each (the next state, the effects, refused or not), then the
 * stories that need several events (a pause during a stop, a shutdown's
 * deadline, a restart that waits for the dependents, a changed config). */
#include "machine.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

#define NOW 1000
#define E(k) (1u << (k))
#define DEADLINE 5000  /* the shutdown's, for EV_SHUTDOWN */

static const struct jail_params params = {
	.ready_on_exec = true,
	.autostart = true,
	.stop_signal = SIGTERM,
	.ready_timeout_ms = 30000,
	.stop_timeout_ms = 5000,
	.policy = { .restart = RESTART_ALWAYS, .delay_ms = 100, .max_delay_ms = 30000,
		    .reset_after_ms = 10000, .burst = 10, .interval_ms = 60000 },
};

/* A record in state st as the loop would have it there. */
static void fixture(struct jail_m *m, enum jail_state st)
{
	machine_init(m, &params, 0);
	m->state = st;
	switch (st) {
	case JS_STARTING:
		m->alive = true;
		m->deadline = NOW + 30000;  /* ready_timeout */
		break;
	case JS_RUNNING:
		m->alive = m->exec_seen = true;
		break;
	case JS_STOPPING:
		m->alive = m->exec_seen = m->signalled = m->stop_wanted = true;
		m->deadline = NOW + 5000;  /* stop_timeout */
		break;
	case JS_BACKOFF:
		m->deadline = NOW + 100;
		break;
	case JS_PAUSED:
		m->alive = m->exec_seen = true;
		m->paused_from = JS_RUNNING;
		break;
	case JS_DONE:
		m->p.oneshot = m->p.policy.oneshot = true;
		break;
	default:
		break;
	}
}

static unsigned effects(const struct jail_out *o)
{
	unsigned set = 0;
	int i;

	for (i = 0; i < o->n; i++)
		if (o->fx[i].kind != FX_LOG)
			set |= E(o->fx[i].kind);
	return set;
}

static const char *fx_names[FX_COUNT] = {
	"SPAWN", "SIGNAL", "KILL", "FREEZE", "THAW", "TIMER", "STOP_DEPENDENTS",
	"WAKE_DEPENDENTS", "WAKE_DEPS", "LOG", "FAILURE_ACTION", "SWAP_CONFIG", "ACQUIRE",
	"RELEASE",
};

static void show(unsigned set, char *buf, size_t len)
{
	size_t o = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < FX_COUNT; k++)
		if (set & E(k))
			o += (size_t)snprintf(buf + o, len - o, "%s ", fx_names[k]);
}

#define W JS_WAITING
#define S JS_STARTING
#define R JS_RUNNING
#define X JS_STOPPING
#define B JS_BACKOFF
#define O JS_STOPPED
#define F JS_FAILED
#define P JS_PAUSED
#define D JS_DONE

#define SPAWN E(FX_SPAWN)
#define SIG E(FX_SIGNAL)
#define KILL E(FX_KILL)
#define FREEZE E(FX_FREEZE)
#define THAW E(FX_THAW)
#define TIMER E(FX_TIMER)
#define STOPDEPS E(FX_STOP_DEPENDENTS)
#define WAKE E(FX_WAKE_DEPENDENTS)
#define WAKEDEPS E(FX_WAKE_DEPS)
#define SWAP E(FX_SWAP_CONFIG)
#define ACQ E(FX_ACQUIRE)
#define STOPNOW (STOPDEPS | SIG | TIMER)  /* stop(): dependents, signal, deadline */
#define START (ACQ | SPAWN)                /* begin(): deps ready */

static const struct pair {
	enum jail_state st;
	enum jail_ev ev;
	enum jail_state to;
	unsigned fx;
	bool refused;
} pairs[] = {
	/* waiting */
	{ W, EV_START, W, 0, 0 },		{ W, EV_STOP, O, WAKE, 0 },
	{ W, EV_RESTART, S, START, 0 },		{ W, EV_KILL, W, 0, 1 },
	{ W, EV_PAUSE, W, 0, 1 },		{ W, EV_RESUME, W, 0, 1 },
	{ W, EV_FROZEN, W, 0, 0 },		{ W, EV_SPAWNED, X, STOPNOW, 0 },
	{ W, EV_SETUP_FAILED, W, 0, 0 },	{ W, EV_EXEC, W, 0, 0 },
	{ W, EV_READY, W, 0, 0 },		{ W, EV_EXITED, W, 0, 0 },
	{ W, EV_TIMER, W, 0, 0 },		{ W, EV_DEP, S, START, 0 },
	{ W, EV_CONFIG, S, SWAP | START, 0 },	{ W, EV_SHUTDOWN, O, WAKE, 0 },
	/* starting, a jail init alive and its ready deadline armed */
	{ S, EV_START, S, 0, 0 },		{ S, EV_STOP, X, STOPNOW, 0 },
	{ S, EV_RESTART, X, STOPNOW, 0 },	{ S, EV_KILL, S, SIG, 0 },
	{ S, EV_PAUSE, S, FREEZE, 0 },		{ S, EV_RESUME, S, 0, 1 },
	{ S, EV_FROZEN, S, 0, 0 },		{ S, EV_SPAWNED, S, 0, 0 },
	{ S, EV_SETUP_FAILED, S, 0, 0 },	{ S, EV_EXEC, R, TIMER | WAKE, 0 },
	{ S, EV_READY, R, TIMER | WAKE, 0 },	{ S, EV_EXITED, B, TIMER | WAKEDEPS, 0 },
	{ S, EV_TIMER, S, KILL | TIMER, 0 },	{ S, EV_DEP, S, 0, 0 },
	{ S, EV_CONFIG, X, STOPNOW, 0 },	{ S, EV_SHUTDOWN, X, STOPNOW, 0 },
	/* running */
	{ R, EV_START, R, 0, 0 },		{ R, EV_STOP, X, STOPNOW, 0 },
	{ R, EV_RESTART, X, STOPNOW, 0 },	{ R, EV_KILL, R, SIG, 0 },
	{ R, EV_PAUSE, R, FREEZE, 0 },		{ R, EV_RESUME, R, 0, 1 },
	{ R, EV_FROZEN, R, 0, 0 },		{ R, EV_SPAWNED, X, STOPNOW, 0 },
	{ R, EV_SETUP_FAILED, R, 0, 0 },	{ R, EV_EXEC, R, 0, 0 },
	{ R, EV_READY, R, 0, 0 },		{ R, EV_EXITED, B, TIMER | WAKEDEPS, 0 },
	{ R, EV_TIMER, R, 0, 0 },		{ R, EV_DEP, R, 0, 0 },
	{ R, EV_CONFIG, X, STOPNOW, 0 },	{ R, EV_SHUTDOWN, X, STOPNOW, 0 },
	/* stopping, the stop signal sent and its deadline armed */
	{ X, EV_START, X, 0, 0 },		{ X, EV_STOP, X, 0, 0 },
	{ X, EV_RESTART, X, 0, 0 },		{ X, EV_KILL, X, SIG, 0 },
	{ X, EV_PAUSE, X, FREEZE, 0 },		{ X, EV_RESUME, X, 0, 1 },
	{ X, EV_FROZEN, X, 0, 0 },		{ X, EV_SPAWNED, X, STOPDEPS | SIG, 0 },
	{ X, EV_SETUP_FAILED, X, 0, 0 },	{ X, EV_EXEC, X, 0, 0 },
	{ X, EV_READY, X, 0, 0 },		{ X, EV_EXITED, O, TIMER | WAKEDEPS | WAKE, 0 },
	{ X, EV_TIMER, X, KILL | TIMER, 0 },	{ X, EV_DEP, X, 0, 0 },
	{ X, EV_CONFIG, X, 0, 0 },		{ X, EV_SHUTDOWN, X, TIMER, 0 },
	/* backoff, its restart deadline armed */
	{ B, EV_START, S, TIMER | START, 0 },	{ B, EV_STOP, O, TIMER | WAKE, 0 },
	{ B, EV_RESTART, S, TIMER | START, 0 }, { B, EV_KILL, B, 0, 1 },
	{ B, EV_PAUSE, B, 0, 1 },		{ B, EV_RESUME, B, 0, 1 },
	{ B, EV_FROZEN, B, 0, 0 },		{ B, EV_SPAWNED, X, STOPNOW, 0 },
	{ B, EV_SETUP_FAILED, B, 0, 0 },	{ B, EV_EXEC, B, 0, 0 },
	{ B, EV_READY, B, 0, 0 },		{ B, EV_EXITED, B, 0, 0 },
	{ B, EV_TIMER, S, TIMER | START, 0 },	{ B, EV_DEP, B, 0, 0 },
	{ B, EV_CONFIG, S, SWAP | TIMER | START, 0 }, { B, EV_SHUTDOWN, O, TIMER | WAKE, 0 },
	/* stopped */
	{ O, EV_START, S, START, 0 },		{ O, EV_STOP, O, 0, 0 },
	{ O, EV_RESTART, S, START, 0 },		{ O, EV_KILL, O, 0, 1 },
	{ O, EV_PAUSE, O, 0, 1 },		{ O, EV_RESUME, O, 0, 1 },
	{ O, EV_FROZEN, O, 0, 0 },		{ O, EV_SPAWNED, X, STOPNOW, 0 },
	{ O, EV_SETUP_FAILED, O, 0, 0 },	{ O, EV_EXEC, O, 0, 0 },
	{ O, EV_READY, O, 0, 0 },		{ O, EV_EXITED, O, 0, 0 },
	{ O, EV_TIMER, O, 0, 0 },		{ O, EV_DEP, O, 0, 0 },
	{ O, EV_CONFIG, S, SWAP | START, 0 },	{ O, EV_SHUTDOWN, O, 0, 0 },
	/* failed */
	{ F, EV_START, S, START, 0 },		{ F, EV_STOP, F, 0, 0 },
	{ F, EV_RESTART, S, START, 0 },		{ F, EV_KILL, F, 0, 1 },
	{ F, EV_PAUSE, F, 0, 1 },		{ F, EV_RESUME, F, 0, 1 },
	{ F, EV_FROZEN, F, 0, 0 },		{ F, EV_SPAWNED, X, STOPNOW, 0 },
	{ F, EV_SETUP_FAILED, F, 0, 0 },	{ F, EV_EXEC, F, 0, 0 },
	{ F, EV_READY, F, 0, 0 },		{ F, EV_EXITED, F, 0, 0 },
	{ F, EV_TIMER, F, 0, 0 },		{ F, EV_DEP, F, 0, 0 },
	{ F, EV_CONFIG, S, SWAP | START, 0 },	{ F, EV_SHUTDOWN, F, 0, 0 },
	/* paused while running */
	{ P, EV_START, P, 0, 0 },		{ P, EV_STOP, X, STOPNOW | THAW, 0 },
	{ P, EV_RESTART, X, STOPNOW | THAW, 0 }, { P, EV_KILL, P, SIG, 0 },
	{ P, EV_PAUSE, P, 0, 0 },		{ P, EV_RESUME, R, THAW, 0 },
	{ P, EV_FROZEN, P, 0, 0 },		{ P, EV_SPAWNED, X, STOPNOW | THAW, 0 },
	{ P, EV_SETUP_FAILED, P, 0, 0 },	{ P, EV_EXEC, P, 0, 0 },
	{ P, EV_READY, P, 0, 0 },		{ P, EV_EXITED, B, TIMER | WAKEDEPS, 0 },
	{ P, EV_TIMER, P, 0, 0 },		{ P, EV_DEP, P, 0, 0 },
	{ P, EV_CONFIG, X, STOPNOW | THAW, 0 }, { P, EV_SHUTDOWN, X, STOPNOW | THAW, 0 },
	/* done (a oneshot) */
	{ D, EV_START, S, START, 0 },		{ D, EV_STOP, D, 0, 0 },
	{ D, EV_RESTART, S, START, 0 },		{ D, EV_KILL, D, 0, 1 },
	{ D, EV_PAUSE, D, 0, 1 },		{ D, EV_RESUME, D, 0, 1 },
	{ D, EV_FROZEN, D, 0, 0 },		{ D, EV_SPAWNED, X, STOPNOW, 0 },
	{ D, EV_SETUP_FAILED, D, 0, 0 },	{ D, EV_EXEC, D, 0, 0 },
	{ D, EV_READY, D, 0, 0 },		{ D, EV_EXITED, D, 0, 0 },
	{ D, EV_TIMER, D, 0, 0 },		{ D, EV_DEP, D, 0, 0 },
	{ D, EV_CONFIG, S, SWAP | START, 0 },	{ D, EV_SHUTDOWN, D, 0, 0 },
};

static const char *ev_names[EV_COUNT] = {
	"START", "STOP", "RESTART", "KILL", "PAUSE", "RESUME", "FROZEN", "SPAWNED",
	"SETUP_FAILED", "EXEC", "READY", "EXITED", "TIMER", "DEP", "CONFIG", "SHUTDOWN",
};

static void t_pairs(void)
{
	bool seen[JS_COUNT][EV_COUNT] = { { false } };
	size_t i;
	int st, ev;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const struct pair *p = &pairs[i];
		struct jail_view v = { .now = NOW, .deps_ready = true };
		int arg = p->ev == EV_KILL ? SIGUSR1 : p->ev == EV_EXITED ? 1 << 8 : 0;
		struct jail_out out;
		struct jail_m m;
		char got[200], want[200];

		fixture(&m, p->st);
		if (p->ev == EV_SHUTDOWN)
			v.deadline = DEADLINE;
		machine_step(&m, p->ev, arg, &v, &out);
		show(effects(&out), got, sizeof got);
		show(p->fx, want, sizeof want);
		ok(m.state == p->to && effects(&out) == p->fx && out.refused == p->refused,
		   "%s x %s -> %s { %s}%s", machine_state_name(p->st), ev_names[p->ev],
		   machine_state_name(p->to), want, p->refused ? " refused" : "");
		if (m.state != p->to || effects(&out) != p->fx || out.refused != p->refused)
			printf("#   got %s { %s}%s\n", machine_state_name(m.state), got,
			       out.refused ? " refused" : "");
		seen[p->st][p->ev] = true;
	}
	for (st = 0; st < JS_COUNT; st++)
		for (ev = 0; ev < EV_COUNT; ev++)
			if (!seen[st][ev])
				ok(0, "the pair %s x %s has a line", machine_state_name(st),
				   ev_names[ev]);
}

/* ---- stories ---- */

struct run {
	struct jail_m m;
	struct jail_view v;
	struct jail_out out;
};

static void step(struct run *r, enum jail_ev ev, int arg)
{
	machine_step(&r->m, ev, arg, &r->v, &r->out);
}

static bool has(const struct run *r, enum jail_fx kind, int arg)
{
	int i;

	for (i = 0; i < r->out.n; i++)
		if (r->out.fx[i].kind == kind && (arg < 0 || r->out.fx[i].arg == arg))
			return true;
	return false;
}

/* Issue 14: stop, pause, the deadline comes while paused, resume. */
static void t_pause_during_stop(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true } };

	fixture(&r.m, JS_RUNNING);
	step(&r, EV_STOP, 0);
	ok(r.m.state == JS_STOPPING && r.m.deadline == NOW + 5000, "stop: stop_timeout armed");
	step(&r, EV_PAUSE, 0);
	step(&r, EV_FROZEN, 0);
	ok(r.m.state == JS_PAUSED && r.m.paused_from == JS_STOPPING && r.m.deadline == NOW + 5000,
	   "paused during the stop: the deadline is kept");
	step(&r, EV_RESUME, 0);
	ok(r.m.state == JS_STOPPING && r.m.deadline == NOW + 5000,
	   "resume: stopping again, the same deadline");
	step(&r, EV_PAUSE, 0);
	step(&r, EV_FROZEN, 0);
	r.v.now = NOW + 5000;
	r.m.deadline = 0;  /* the loop takes a deadline out of the heap as it fires */
	step(&r, EV_TIMER, 0);
	ok(r.m.state == JS_PAUSED && has(&r, FX_KILL, -1) && r.m.deadline,
	   "the deadline while paused kills the frozen jail, and a retry is armed");
	step(&r, EV_EXITED, SIGKILL);
	ok(r.m.state == JS_STOPPED && !r.m.alive && !r.m.deadline, "then it is stopped");
	/* Paused while stopping, its dependents alive, then stopped again
	 * (found by the core fuzzer: the deadline was lost). */
	fixture(&r.m, JS_RUNNING);
	r.v.now = NOW;
	step(&r, EV_STOP, 0);
	step(&r, EV_PAUSE, 0);
	step(&r, EV_FROZEN, 0);
	r.v.dependents_alive = true;
	step(&r, EV_STOP, 0);
	ok(r.m.state == JS_STOPPING && has(&r, FX_THAW, -1) && r.m.deadline == NOW + 5000,
	   "a stop of a jail paused while stopping thaws it and keeps its deadline");
	step(&r, EV_PAUSE, 0);
	step(&r, EV_FROZEN, 0);
	r.v.deadline = NOW + 1000;
	step(&r, EV_SHUTDOWN, 0);
	ok(r.m.state == JS_STOPPING && r.m.deadline == NOW + 1000,
	   "and a shutdown cuts it to the shutdown's");
}

/* The shutdown's deadline cuts every stop: a jail waiting for its
 * dependents gets it as its deadline and is killed there. */
static void t_shutdown_deadline(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true, .dependents_alive = true,
				.deadline = NOW + 2000 } };

	fixture(&r.m, JS_RUNNING);
	step(&r, EV_SHUTDOWN, 0);
	ok(r.m.state == JS_STOPPING && !has(&r, FX_SIGNAL, -1) && r.m.deadline == NOW + 2000,
	   "shutdown with live dependents: no signal yet, the shutdown's deadline armed");
	r.v.now = NOW + 2000;
	r.m.deadline = 0;
	step(&r, EV_TIMER, 0);
	ok(has(&r, FX_KILL, -1), "at the deadline it is killed, dependents or not");
	fixture(&r.m, JS_RUNNING);
	r.m.p.stop_timeout_ms = 8000;
	r.v.now = NOW;
	r.v.dependents_alive = false;
	step(&r, EV_SHUTDOWN, 0);
	ok(has(&r, FX_SIGNAL, SIGTERM) && r.m.deadline == NOW + 2000,
	   "stop_timeout 8s is cut to what is left of shutdown_timeout");
	r.v.deadline = 0;
	fixture(&r.m, JS_RUNNING);
	step(&r, EV_STOP, 0);
	r.v.deadline = NOW + 1000;
	step(&r, EV_SHUTDOWN, 0);
	ok(r.m.deadline == NOW + 1000, "a stop already under way is cut too");
	step(&r, EV_EXITED, SIGTERM);
	ok(r.m.state == JS_STOPPED && !has(&r, FX_SPAWN, -1), "and nothing restarts");
}

/* Dependents first: the stop signal waits for the last of them. */
static void t_dependents_first(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true, .dependents_alive = true } };

	fixture(&r.m, JS_RUNNING);
	step(&r, EV_RESTART, 0);
	ok(r.m.state == JS_STOPPING && has(&r, FX_STOP_DEPENDENTS, 1) && !has(&r, FX_SIGNAL, -1),
	   "restart: the dependents go first (and come back), no signal yet");
	step(&r, EV_DEP, 0);
	ok(!has(&r, FX_SIGNAL, -1), "a change while a dependent lives: still no signal");
	r.v.dependents_alive = false;
	step(&r, EV_DEP, 0);
	ok(has(&r, FX_SIGNAL, SIGTERM) && r.m.deadline == NOW + 5000,
	   "the last dependent gone: the stop signal and its deadline");
	r.v.deps_ready = false;
	step(&r, EV_EXITED, SIGTERM);
	ok(r.m.state == JS_WAITING && has(&r, FX_WAKE_DEPS, -1),
	   "the restart waits for its own dependencies");
	r.v.deps_ready = true;
	step(&r, EV_DEP, 0);
	ok(r.m.state == JS_STARTING && has(&r, FX_SPAWN, -1), "and starts once they are ready");
}

/* A changed config applies at the next start, with fresh counters. */
static void t_config(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true } };

	fixture(&r.m, JS_RUNNING);
	r.m.restarts = 7;
	r.m.hist.failures = 3;
	step(&r, EV_CONFIG, 0);
	ok(r.m.state == JS_STOPPING && !has(&r, FX_SWAP_CONFIG, -1), "changed: it stops first");
	step(&r, EV_EXITED, SIGTERM);
	ok(has(&r, FX_SWAP_CONFIG, -1) && has(&r, FX_SPAWN, -1) && r.m.restarts == 0 &&
		   r.m.hist.failures == 0,
	   "then the new config, fresh counters, a start");
	fixture(&r.m, JS_STOPPED);
	r.m.p.autostart = false;
	step(&r, EV_CONFIG, 0);
	ok(r.m.state == JS_STOPPED && has(&r, FX_SWAP_CONFIG, -1),
	   "stopped with autostart = no: the new config, no start");
}

static void t_restart_policy(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true } };
	int i;

	fixture(&r.m, JS_STOPPED);
	r.m.p.policy.burst = 2;
	for (i = 0; i < 3 && r.m.state != JS_FAILED; i++) {
		step(&r, r.m.state == JS_BACKOFF ? EV_TIMER : EV_START, 0);
		step(&r, EV_SPAWNED, 0);
		step(&r, EV_EXITED, 1 << 8);
	}
	ok(r.m.state == JS_FAILED && r.m.why, "burst 2: the third start is refused: failed");
	fixture(&r.m, JS_STOPPED);
	r.m.p.policy.failure_action = FAILACT_REBOOT;
	r.m.p.policy.restart = RESTART_NEVER;
	step(&r, EV_START, 0);
	step(&r, EV_SETUP_FAILED, 0);
	ok(r.m.state == JS_FAILED && has(&r, FX_FAILURE_ACTION, FAILACT_REBOOT),
	   "a spawn that failed, policy never: failed, and the failure action");
	fixture(&r.m, JS_DONE);
	r.v.now = NOW;
	step(&r, EV_START, 0);
	step(&r, EV_SPAWNED, 0);
	ok(!r.m.deadline, "a oneshot has no ready deadline");
	step(&r, EV_EXITED, 0);
	ok(r.m.state == JS_DONE && has(&r, FX_WAKE_DEPENDENTS, -1) && machine_satisfies(&r.m),
	   "a oneshot that exits 0 is done and wakes its dependents");
}

static void t_stop_pending_spawn(void)
{
	struct run r = { .v = { .now = NOW, .deps_ready = true } };

	fixture(&r.m, JS_STOPPED);
	step(&r, EV_START, 0);
	ok(r.m.spawning && !r.m.alive, "start: a spawn is asked");
	step(&r, EV_STOP, 0);
	ok(r.m.state == JS_STOPPED && !r.m.spawning, "a stop before it happens calls it off");
	step(&r, EV_SETUP_FAILED, 0);
	ok(r.m.state == JS_STOPPED, "a late spawn failure changes nothing");
	step(&r, EV_START, 0);
	r.v.deps_ready = false;
	step(&r, EV_RESTART, 0);
	ok(r.m.state == JS_WAITING && !r.m.spawning,
	   "its dependency restarting before the spawn: waiting, the spawn called off (fuzz)");
}

static void t_satisfies(void)
{
	struct jail_m m;

	fixture(&m, JS_PAUSED);
	ok(machine_satisfies(&m), "paused while running still satisfies a dependent");
	m.paused_from = JS_STARTING;
	ok(!machine_satisfies(&m) && machine_may_become_ready(&m),
	   "paused while starting does not, but may");
	fixture(&m, JS_FAILED);
	ok(!machine_may_become_ready(&m), "failed cannot become ready by itself");
	fixture(&m, JS_STOPPING);
	ok(!machine_may_become_ready(&m), "stopping for good cannot");
	m.restart_wanted = true;
	ok(machine_may_become_ready(&m), "stopping to restart can");
}

int main(void)
{
	t_pairs();
	t_pause_during_stop();
	t_shutdown_deadline();
	t_dependents_first();
	t_config();
	t_restart_policy();
	t_stop_pending_spawn();
	t_satisfies();
	return done();
}
