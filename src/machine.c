/* Runs in: the supervisor (and the unit tests and the core fuzzer, with a
 * fake clock). Pure: no I/O, no allocation, no clock; the time comes in
 * the view. One table says what each event does in each state; the rows
 * are one-line handlers over a handful of verbs (begin, stop, exited ...). */
#include "machine.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

/* In the order of enum jail_state. */
static const char state_names[] =
	"waiting\0starting\0running\0stopping\0backoff\0stopped\0failed\0paused\0done\0";

const char *machine_state_name(enum jail_state s)
{
	const char *n = (unsigned)s < JS_COUNT ? value_nth(state_names, (int)s) : NULL;

	return n ? n : "?";
}

void machine_params(const struct jail_cfg *c, struct jail_params *p)
{
	memset(p, 0, sizeof *p);
	p->oneshot = c->type == JAIL_ONESHOT;
	p->ready_on_exec = c->ready == READY_EXEC;
	p->autostart = c->autostart;
	p->stop_signal = c->stop_signal;
	p->ready_timeout_ms = c->ready_timeout_ms;
	p->stop_timeout_ms = c->stop_timeout_ms;
	p->policy.restart = c->policy;
	p->policy.oneshot = p->oneshot;
	p->policy.delay_ms = c->delay_ms;
	p->policy.max_delay_ms = c->max_delay_ms;
	p->policy.reset_after_ms = c->reset_after_ms;
	p->policy.burst = c->burst;
	p->policy.interval_ms = c->interval_ms;
	p->policy.failure_action = c->failure_action;
}

void machine_init(struct jail_m *m, const struct jail_params *p, uint64_t now)
{
	memset(m, 0, sizeof *m);
	m->state = JS_STOPPED;
	m->since_ms = now;
	m->last_status = -1;
	m->p = *p;
}

void machine_configure(struct jail_m *m, const struct jail_params *p)
{
	m->p = *p;
}

bool machine_satisfies(const struct jail_m *m)
{
	if (m->p.oneshot)
		return m->state == JS_DONE;
	return m->state == JS_RUNNING || (m->state == JS_PAUSED && m->paused_from == JS_RUNNING);
}

bool machine_may_become_ready(const struct jail_m *m)
{
	switch (m->state) {
	case JS_WAITING:
	case JS_STARTING:
	case JS_BACKOFF:
		return true;
	case JS_STOPPING:
		return m->restart_wanted;
	case JS_PAUSED:
		return m->paused_from != JS_STOPPING || m->restart_wanted;
	default:
		return machine_satisfies(m);
	}
}

/* ---- the verbs ---- */

struct step {
	struct jail_m *m;
	const struct jail_view *v;
	struct jail_out *out;
	int arg;
};

static void fx(struct step *s, enum jail_fx kind, int arg, uint64_t at)
{
	struct jail_out *o = s->out;

	if (o->n < MACHINE_MAX_FX) {
		o->fx[o->n].kind = kind;
		o->fx[o->n].arg = arg;
		o->fx[o->n].at = at;
		o->n++;
	}
}

static void say(struct step *s, enum jail_msg msg, uint64_t at)
{
	fx(s, FX_LOG, (int)msg, at);
}

static void timer(struct step *s, uint64_t at)
{
	if (s->m->deadline != at)
		fx(s, FX_TIMER, 0, at);
	s->m->deadline = at;
}

/* now + ms, cut to the shutdown's deadline. */
static uint64_t within(const struct step *s, uint64_t ms)
{
	uint64_t at = s->v->now + (ms ? ms : 1);

	return s->v->deadline && s->v->deadline < at ? s->v->deadline : at;
}

static void to(struct step *s, enum jail_state st)
{
	s->m->state = st;
}

/* A resting state: no process, nothing planned. */
static void rest(struct step *s, enum jail_state st)
{
	struct jail_m *m = s->m;

	timer(s, 0);
	m->spawning = m->stop_wanted = m->restart_wanted = false;
	to(s, st);
	m->rests++;
	if (m->held) {
		m->held = false;
		fx(s, FX_RELEASE, 0, 0);
	}
	fx(s, FX_WAKE_DEPENDENTS, 0, 0);
}

static void fresh_counters(struct jail_m *m)
{
	m->restarts = 0;
	memset(&m->hist, 0, sizeof m->hist);
}

/* A changed config starts with fresh restart counters. */
static void swap_config(struct step *s)
{
	if (!s->m->new_config)
		return;
	s->m->new_config = false;
	fresh_counters(s->m);
	fx(s, FX_SWAP_CONFIG, 0, 0);
}

/* Start when every dependency is ready, else wait for them. */
static void begin(struct step *s)
{
	struct jail_m *m = s->m;

	swap_config(s);
	if (s->v->deadline) {
		rest(s, JS_STOPPED);
		return;
	}
	m->stop_wanted = m->restart_wanted = false;
	if (!s->v->deps_ready) {
		m->spawning = false;  /* a spawn asked before is called off */
		timer(s, 0);
		if (m->state != JS_WAITING)
			say(s, MSG_WAITING, 0);
		to(s, JS_WAITING);
		return;
	}
	if (!m->held) {
		m->held = true;
		fx(s, FX_ACQUIRE, 0, 0);
	}
	if (!m->spawning)
		policy_started(&m->hist, s->v->now);
	m->spawning = true;
	m->exec_seen = m->failed_start = m->signalled = false;
	m->killed = 0;
	m->start_ms = s->v->now;
	timer(s, 0);
	to(s, JS_STARTING);
	fx(s, FX_SPAWN, 0, 0);
}

static void send_stop_signal(struct step *s)
{
	struct jail_m *m = s->m;

	m->signalled = true;
	fx(s, FX_SIGNAL, m->p.stop_signal, 0);
	timer(s, within(s, m->p.stop_timeout_ms));
}

/* The jail goes down: dependents first, then its own stop signal. */
static void stop(struct step *s, bool restart)
{
	struct jail_m *m = s->m;

	m->stop_wanted = true;
	m->restart_wanted = restart && !s->v->deadline;
	fx(s, FX_STOP_DEPENDENTS, m->restart_wanted, 0);
	if (m->state == JS_PAUSED || m->freezing) {
		m->freezing = false;
		fx(s, FX_THAW, 0, 0);
	}
	to(s, JS_STOPPING);
	if (!s->v->dependents_alive)
		send_stop_signal(s);
	else
		timer(s, s->v->deadline);  /* none, or the shutdown's */
}

/* Every process of the jail dies; again after a while if one outlives it. */
static void kill_all(struct step *s, enum jail_msg why, uint64_t n)
{
	if (!s->m->killed)
		say(s, why, n);
	if (!s->m->killed)
		s->m->killed = why == MSG_OUT_OF_TIME ? 2 : 1;
	fx(s, FX_KILL, 0, 0);
	timer(s, s->v->now + MACHINE_KILL_RETRY_MS);
}

static void ready(struct step *s)
{
	timer(s, 0);
	to(s, JS_RUNNING);
	say(s, MSG_READY, 0);
	fx(s, FX_WAKE_DEPENDENTS, 0, 0);
}

/* How the policy sees a wait status. The jail init exits 128+N when a
 * signal N killed the service (as shells report it). */
static struct run_info run_of(const struct jail_m *m, int st, uint64_t now)
{
	struct run_info r = { .start_ms = m->start_ms, .end_ms = now };
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (m->failed_start || (!m->exec_seen && code >= 125 && code <= 127)) {
		r.end = RUN_START_FAILED;
		r.status = code;
	} else if (WIFSIGNALED(st)) {
		r.end = RUN_KILLED;
		r.status = WTERMSIG(st);
	} else if (code > 128 && code <= 128 + 64) {
		r.end = RUN_KILLED;
		r.status = code - 128;
	} else {
		r.end = RUN_EXITED;
		r.status = code;
	}
	return r;
}

/* A run ended that nobody asked to end: the restart policy decides. */
static void decide(struct step *s, const struct run_info *r)
{
	struct jail_m *m = s->m;
	struct policy_decision d = policy_next(&m->p.policy, &m->hist, r, s->v->now);

	switch (d.action) {
	case POL_RESTART:
		m->restarts++;
		say(s, MSG_RESTARTING, d.delay_ms);
		to(s, JS_BACKOFF);
		if (d.delay_ms)
			timer(s, within(s, d.delay_ms));
		else
			begin(s);  /* delay = 0: now, not a turn later */
		break;
	case POL_STOP:
		rest(s, JS_STOPPED);
		break;
	case POL_DONE:
		say(s, MSG_DONE, 0);
		rest(s, JS_DONE);
		break;
	case POL_FAIL:
		m->why = d.why;
		say(s, MSG_FAILED, 0);
		rest(s, JS_FAILED);
		if (d.failure_action != FAILACT_NONE)
			fx(s, FX_FAILURE_ACTION, (int)d.failure_action, 0);
		break;
	}
}

/* ---- the handlers ---- */

typedef void handler(struct step *s);

static void ignore(struct step *s)
{
	(void)s;
}

static void refuse(struct step *s)
{
	s->out->refused = true;
}

static void h_begin(struct step *s)
{
	begin(s);
}

static void h_begin_fresh(struct step *s)
{
	fresh_counters(s->m);
	begin(s);
}

static void h_rest_stopped(struct step *s)
{
	rest(s, JS_STOPPED);
}

/* starting: with a process it stops like any other; without, the spawn
 * that was to come is called off. */
static void h_stop_starting(struct step *s)
{
	if (s->m->alive)
		stop(s, false);
	else
		rest(s, JS_STOPPED);
}

static void h_stop(struct step *s)
{
	stop(s, false);
}

static void h_restart(struct step *s)
{
	stop(s, true);
}

static void h_restart_starting(struct step *s)
{
	if (s->m->alive)
		stop(s, true);
	else
		begin(s);  /* the dependencies may have gone meanwhile */
}

static void h_stop_stopping(struct step *s)
{
	s->m->stop_wanted = true;
	s->m->restart_wanted = false;
	if (s->v->deadline && s->m->signalled && s->m->deadline > s->v->deadline)
		timer(s, s->v->deadline);
	else if (s->v->deadline && !s->m->signalled && !s->m->killed)
		timer(s, s->v->deadline);
}

static void h_restart_stopping(struct step *s)
{
	s->m->restart_wanted = !s->v->deadline;
}

static void h_kill(struct step *s)
{
	if (s->m->alive)
		fx(s, FX_SIGNAL, s->arg, 0);
	else
		refuse(s);
}

static void h_pause(struct step *s)
{
	if (!s->m->alive) {
		refuse(s);
	} else if (!s->m->freezing) {
		s->m->freezing = true;
		fx(s, FX_FREEZE, 0, 0);
	}
}

static void h_resume(struct step *s)
{
	if (!s->m->freezing) {
		refuse(s);
		return;
	}
	s->m->freezing = false;
	fx(s, FX_THAW, 0, 0);
}

static void h_resume_paused(struct step *s)
{
	fx(s, FX_THAW, 0, 0);
	to(s, s->m->paused_from);
}

static void h_frozen(struct step *s)
{
	if (!s->m->freezing)
		return;
	s->m->freezing = false;
	s->m->paused_from = s->m->state;
	to(s, JS_PAUSED);
}

static void h_spawned(struct step *s)
{
	struct jail_m *m = s->m;

	m->alive = true;
	m->spawning = false;
	say(s, MSG_STARTED, 0);
	if (!m->p.oneshot)
		timer(s, s->v->now + m->p.ready_timeout_ms);
}

/* A jail init exists where the machine planned none: take it down. */
static void h_spawned_late(struct step *s)
{
	s->m->alive = true;
	s->m->spawning = false;
	stop(s, false);
}

static void h_setup_failed(struct step *s)
{
	struct jail_m *m = s->m;
	struct run_info r = { .end = RUN_START_FAILED, .status = 125, .start_ms = s->v->now,
			      .end_ms = s->v->now };

	if (m->alive) {
		m->failed_start = true;  /* its exit follows */
		return;
	}
	if (!m->spawning)
		return;
	m->spawning = false;
	m->last_status = 125 << 8;
	say(s, MSG_EXITED, (uint64_t)m->last_status | MSG_START_FAILED);
	decide(s, &r);
}

static void h_note_failed(struct step *s)
{
	if (s->m->alive)
		s->m->failed_start = true;
}

static void h_exec(struct step *s)
{
	s->m->exec_seen = true;
	if (s->m->alive && s->m->p.ready_on_exec && !s->m->p.oneshot)
		ready(s);
}

static void h_note_exec(struct step *s)
{
	s->m->exec_seen = true;
}

/* ready while paused: it counts once it is resumed. */
static void h_ready_paused(struct step *s)
{
	if (s->m->paused_from != JS_STARTING)
		return;
	timer(s, 0);
	s->m->paused_from = JS_RUNNING;
	say(s, MSG_READY, 0);
	fx(s, FX_WAKE_DEPENDENTS, 0, 0);
}

static void h_exec_paused(struct step *s)
{
	s->m->exec_seen = true;
	if (s->m->p.ready_on_exec && !s->m->p.oneshot)
		h_ready_paused(s);
}

static void h_ready(struct step *s)
{
	if (s->m->alive)
		ready(s);
}

static void h_exited(struct step *s)
{
	struct jail_m *m = s->m;
	struct run_info r = run_of(m, s->arg, s->v->now);
	bool asked = m->stop_wanted || s->v->deadline;

	m->alive = m->freezing = false;
	m->last_status = s->arg;
	timer(s, 0);
	fx(s, FX_WAKE_DEPS, 0, 0);
	say(s, asked ? MSG_STOPPED : MSG_EXITED,
	    (uint64_t)(unsigned)s->arg | (m->killed == 1 ? MSG_KILLED : 0) |
		    (m->killed == 2 ? MSG_CUT : 0) |
		    (r.end == RUN_START_FAILED ? MSG_START_FAILED : 0));
	if (m->restart_wanted && !s->v->deadline)
		begin(s);
	else if (asked)
		rest(s, JS_STOPPED);
	else
		decide(s, &r);
}

static void h_timer_starting(struct step *s)
{
	struct jail_m *m = s->m;

	if (!m->alive)
		return;
	if (!m->killed)
		m->failed_start = true;
	kill_all(s, MSG_NOT_READY, m->p.ready_timeout_ms);
}

static void h_timer_stopping(struct step *s)
{
	struct jail_m *m = s->m;

	if (!m->alive)
		return;
	if (s->v->deadline && s->v->now >= s->v->deadline)
		kill_all(s, MSG_OUT_OF_TIME, 0);
	else if (m->signalled)
		kill_all(s, MSG_KILLING, m->p.stop_timeout_ms);
}

static void h_timer_paused(struct step *s)
{
	if (s->m->paused_from == JS_STARTING)
		h_timer_starting(s);
	else if (s->m->paused_from == JS_STOPPING)
		h_timer_stopping(s);
}

static void h_dep_stopping(struct step *s)
{
	if (s->m->alive && !s->m->signalled && !s->m->killed && !s->v->dependents_alive)
		send_stop_signal(s);
}

/* Paused while stopping: a stop, a restart, a shutdown or a changed config
 * thaws it and goes on as in stopping, its deadline kept (stop() would
 * start the stop over and, with dependents alive, drop the deadline). */
static bool thaw_stopping(struct step *s)
{
	if (s->m->paused_from != JS_STOPPING)
		return false;
	fx(s, FX_THAW, 0, 0);
	to(s, JS_STOPPING);
	return true;
}

static void h_stop_paused(struct step *s)
{
	if (thaw_stopping(s))
		h_stop_stopping(s);
	else
		stop(s, false);
}

static void h_restart_paused(struct step *s)
{
	if (thaw_stopping(s))
		h_restart_stopping(s);
	else
		stop(s, true);
}

static void h_config_paused(struct step *s)
{
	s->m->new_config = true;
	h_restart_paused(s);
}

/* A changed file: it applies at the next start, which comes now. */
static void h_config_up(struct step *s)
{
	s->m->new_config = true;
	stop(s, true);
}

static void h_config_starting(struct step *s)
{
	s->m->new_config = true;
	h_restart_starting(s);
}

static void h_config_stopping(struct step *s)
{
	s->m->new_config = true;
	h_restart_stopping(s);
}

static void h_config_down(struct step *s)
{
	s->m->new_config = true;
	swap_config(s);
	begin(s);
}

static void h_config_stopped(struct step *s)
{
	s->m->new_config = true;
	swap_config(s);
	if (s->m->p.autostart)
		begin(s);
}

/* ---- the table ---- */

/* Every handler once, so that the table holds a byte a cell. */
#define HANDLERS(X)                                                                         \
	X(ignore) X(refuse) X(h_begin) X(h_begin_fresh) X(h_rest_stopped) X(h_stop_starting) \
	X(h_stop) X(h_restart) X(h_restart_starting) X(h_stop_stopping)                      \
	X(h_restart_stopping) X(h_kill) X(h_pause) X(h_resume) X(h_resume_paused)           \
	X(h_frozen) X(h_spawned) X(h_spawned_late) X(h_setup_failed) X(h_note_failed)        \
	X(h_exec) X(h_note_exec) X(h_ready_paused) X(h_exec_paused) X(h_ready) X(h_exited)   \
	X(h_timer_starting) X(h_timer_stopping) X(h_timer_paused) X(h_dep_stopping)          \
	X(h_config_up) X(h_config_starting) X(h_config_stopping) X(h_config_down)            \
	X(h_config_stopped) X(h_stop_paused) X(h_restart_paused) X(h_config_paused)

#define AS_CODE(h) DO_##h,
#define AS_CASE(h)        \
	case DO_##h:      \
		h(s);     \
		break;
enum { HANDLERS(AS_CODE) };

static void run(int code, struct step *s)
{
	switch (code) {
		HANDLERS(AS_CASE)
	}
}

/* Rows: states; columns: events; an empty cell is DO_ignore. */
static const unsigned char table[JS_COUNT][EV_COUNT] = {
	[JS_WAITING] = {
		[EV_START] = DO_ignore, [EV_STOP] = DO_h_rest_stopped, [EV_RESTART] = DO_h_begin,
		[EV_KILL] = DO_refuse, [EV_PAUSE] = DO_refuse, [EV_RESUME] = DO_refuse,
		[EV_SPAWNED] = DO_h_spawned_late, [EV_DEP] = DO_h_begin,
		[EV_CONFIG] = DO_h_config_down, [EV_SHUTDOWN] = DO_h_rest_stopped,
	},
	[JS_STARTING] = {
		[EV_STOP] = DO_h_stop_starting, [EV_RESTART] = DO_h_restart_starting,
		[EV_KILL] = DO_h_kill, [EV_PAUSE] = DO_h_pause, [EV_RESUME] = DO_h_resume,
		[EV_FROZEN] = DO_h_frozen, [EV_SPAWNED] = DO_h_spawned,
		[EV_SETUP_FAILED] = DO_h_setup_failed, [EV_EXEC] = DO_h_exec,
		[EV_READY] = DO_h_ready, [EV_EXITED] = DO_h_exited, [EV_TIMER] = DO_h_timer_starting,
		[EV_CONFIG] = DO_h_config_starting, [EV_SHUTDOWN] = DO_h_stop_starting,
	},
	[JS_RUNNING] = {
		[EV_STOP] = DO_h_stop, [EV_RESTART] = DO_h_restart, [EV_KILL] = DO_h_kill,
		[EV_PAUSE] = DO_h_pause, [EV_RESUME] = DO_h_resume, [EV_FROZEN] = DO_h_frozen,
		[EV_SPAWNED] = DO_h_spawned_late, [EV_SETUP_FAILED] = DO_h_note_failed,
		[EV_EXEC] = DO_h_note_exec, [EV_EXITED] = DO_h_exited,
		[EV_CONFIG] = DO_h_config_up, [EV_SHUTDOWN] = DO_h_stop,
	},
	[JS_STOPPING] = {
		[EV_START] = DO_h_restart_stopping, [EV_STOP] = DO_h_stop_stopping,
		[EV_RESTART] = DO_h_restart_stopping, [EV_KILL] = DO_h_kill,
		[EV_PAUSE] = DO_h_pause, [EV_RESUME] = DO_h_resume, [EV_FROZEN] = DO_h_frozen,
		[EV_SPAWNED] = DO_h_spawned_late, [EV_SETUP_FAILED] = DO_h_note_failed,
		[EV_EXEC] = DO_h_note_exec, [EV_EXITED] = DO_h_exited,
		[EV_TIMER] = DO_h_timer_stopping, [EV_DEP] = DO_h_dep_stopping,
		[EV_CONFIG] = DO_h_config_stopping, [EV_SHUTDOWN] = DO_h_stop_stopping,
	},
	[JS_BACKOFF] = {
		[EV_START] = DO_h_begin, [EV_STOP] = DO_h_rest_stopped, [EV_RESTART] = DO_h_begin,
		[EV_KILL] = DO_refuse, [EV_PAUSE] = DO_refuse, [EV_RESUME] = DO_refuse,
		[EV_SPAWNED] = DO_h_spawned_late, [EV_TIMER] = DO_h_begin,
		[EV_CONFIG] = DO_h_config_down, [EV_SHUTDOWN] = DO_h_rest_stopped,
	},
	[JS_STOPPED] = {
		[EV_START] = DO_h_begin, [EV_RESTART] = DO_h_begin, [EV_KILL] = DO_refuse,
		[EV_PAUSE] = DO_refuse, [EV_RESUME] = DO_refuse, [EV_SPAWNED] = DO_h_spawned_late,
		[EV_CONFIG] = DO_h_config_stopped,
	},
	[JS_FAILED] = {
		[EV_START] = DO_h_begin_fresh, [EV_RESTART] = DO_h_begin_fresh,
		[EV_KILL] = DO_refuse, [EV_PAUSE] = DO_refuse, [EV_RESUME] = DO_refuse,
		[EV_SPAWNED] = DO_h_spawned_late, [EV_CONFIG] = DO_h_config_down,
	},
	[JS_PAUSED] = {
		[EV_STOP] = DO_h_stop_paused, [EV_RESTART] = DO_h_restart_paused,
		[EV_KILL] = DO_h_kill,
		[EV_RESUME] = DO_h_resume_paused, [EV_SPAWNED] = DO_h_spawned_late,
		[EV_SETUP_FAILED] = DO_h_note_failed, [EV_EXEC] = DO_h_exec_paused,
		[EV_READY] = DO_h_ready_paused, [EV_EXITED] = DO_h_exited,
		[EV_TIMER] = DO_h_timer_paused, [EV_CONFIG] = DO_h_config_paused,
		[EV_SHUTDOWN] = DO_h_stop_paused,
	},
	[JS_DONE] = {
		[EV_START] = DO_h_begin, [EV_RESTART] = DO_h_begin, [EV_KILL] = DO_refuse,
		[EV_PAUSE] = DO_refuse, [EV_RESUME] = DO_refuse, [EV_SPAWNED] = DO_h_spawned_late,
		[EV_CONFIG] = DO_h_config_down,
	},
};

void machine_step(struct jail_m *m, enum jail_ev ev, int arg, const struct jail_view *v,
		  struct jail_out *out)
{
	struct step s = { .m = m, .v = v, .out = out, .arg = arg };
	enum jail_state before = m->state;
	int h = (unsigned)m->state < JS_COUNT && (unsigned)ev < EV_COUNT ? table[m->state][ev] : 0;

	out->n = 0;
	out->refused = false;
	run(h, &s);
	if (m->state != before)
		m->since_ms = v->now;
}
