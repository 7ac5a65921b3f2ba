/* Runs in: a libFuzzer process, or the replay program (-DFUZZ_REPLAY).
 *
 * The supervisor's core, for real: the jail machine (machine.c), the loop's
 * effects, work list, spawn queue and deadlines (supervisor.c), reload and
 * its graph check (reload.c, cfgdir.c), the config parser (config*.c) and
 * the policy. What stays fake is the world: the clock, the processes (a
 * spawn makes a pid; a signal, cgroup.kill and freezing act on it like the
 * kernel would, when time passes), the console. fuzz_core.sh builds it; the
 * core's sources are compiled with malloc and friends renamed so that this
 * file can count their allocations.
 *
 * The input: a first config (up to 64 jails: random `after` graphs with
 * cycles, names of no jail, broken files, TERM-ignoring services, oneshots,
 * readiness that needs a signal), then events: time passing, exits,
 * readiness, user commands, pause/resume, frozen, reloads of a changed
 * config (some of 256 jails), HUP storms, shutdown. After each event:
 *   - no accepted cycle in the graph the loop runs;
 *   - every jail's state is one brig(8) names and agrees with its process;
 *   - a waiting jail says what it waits for, and why;
 *   - the loop allocates nothing outside a reload.
 * Then a shutdown (if the input did not ask for one) must end with every
 * jail stopped within a bounded number of turns and by shutdown_timeout
 * plus a fixed margin of fake time. Everything is freed: a leak is a
 * finding. */
#include "supervisor.h"

#include "log.h"
#include "net.h"
#include "shell.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_J 64
#define BIG_J 256
#define TICK_MS 50
#define MARGIN_MS (MACHINE_KILL_RETRY_MS + TICK_MS)

/* ---- allocation counting (the core is built with malloc -> fz_malloc) ---- */

static long live;  /* allocations not yet freed */

void *fz_malloc(size_t n);
void *fz_calloc(size_t a, size_t b);
void *fz_realloc(void *p, size_t n);
char *fz_strdup(const char *s);
char *fz_strndup(const char *s, size_t n);
void fz_free(void *p);

void *fz_malloc(size_t n)
{
	void *p = malloc(n);

	live += p != NULL;
	return p;
}

void *fz_calloc(size_t a, size_t b)
{
	void *p = calloc(a, b);

	live += p != NULL;
	return p;
}

void *fz_realloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	live += !p && q;
	return q;
}

char *fz_strdup(const char *s)
{
	char *p = strdup(s);

	live += p != NULL;
	return p;
}

char *fz_strndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	live += p != NULL;
	return p;
}

void fz_free(void *p)
{
	live -= p != NULL;
	free(p);
}

/* ---- the fake world ---- */

static uint64_t clock_ms;

int fz_clock_gettime(clockid_t id, struct timespec *ts);
int fz_clock_gettime(clockid_t id, struct timespec *ts)
{
	(void)id;
	ts->tv_sec = (time_t)(clock_ms / 1000);
	ts->tv_nsec = (long)(clock_ms % 1000) * 1000000;
	return 0;
}

struct proc {
	pid_t pid;         /* 0: none */
	bool ignores_term; /* the service traps its stop signal */
	bool frozen;
	bool term_pending; /* a signal that waits for the thaw */
	int dying;         /* 0, or the wait status it dies with at the next tick */
};

static struct proc procs[SUP_MAX_SLOTS];
static pid_t next_pid = 100;
static bool fail_next_spawn;

static struct proc *proc_of(pid_t pid, int *idx)
{
	int i;

	for (i = 0; i < SUP_MAX_SLOTS; i++)
		if (procs[i].pid && procs[i].pid == pid) {
			if (idx)
				*idx = i;
			return &procs[i];
		}
	return NULL;
}

int fz_kill(pid_t pid, int sig);
int fz_kill(pid_t pid, int sig)
{
	struct proc *p = pid > 0 ? proc_of(pid, NULL) : NULL;

	if (!p)
		return 0;
	if (sig == SIGKILL)
		p->dying = SIGKILL;  /* killed by a signal */
	else if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) {
		if (p->frozen)
			p->term_pending = true;
		else if (!p->ignores_term)
			p->dying = (128 + sig) << 8;  /* the jail init reports the service */
	}
	return 0;
}

pid_t shell_start(char *const *argv, const char *what)
{
	(void)argv;
	(void)what;
	return -1;
}

int cgroup_find_mount(char *buf, size_t len, struct err *e);
int cgroup_find_mount(char *buf, size_t len, struct err *e)
{
	(void)buf;
	(void)len;
	return err_set(e, 0, "no cgroups in the fuzzer");
}

/* The console: formats each line (so a bad format shows) and drops it. */
void log_msg(enum log_level lv, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	(void)lv;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
#ifdef FUZZ_REPLAY
	if (getenv("FUZZ_TRACE")) /* the replay shows the console: FUZZ_TRACE=1 */
		fprintf(stderr, "%llu brig: %s\n", (unsigned long long)clock_ms, buf);
#endif
}

void log_raw(const char *line, size_t len)
{
	(void)line;
	(void)len;
}

int log_waiting_fd(void)
{
	return -1;
}

void log_queue(struct log_queue *q)
{
	(void)q;
}

void log_flush(void)
{
}

void log_drain(unsigned ms)
{
	(void)ms;
}

/* supjail.c's part: the spawn makes a fake process. */
int sup_spawn(struct sup *sup, struct service *s, struct err *e)
{
	struct proc *p = &procs[s->idx];

	if (fail_next_spawn) {
		fail_next_spawn = false;
		return err_set(e, 0, "the fuzzer says no");
	}
	memset(p, 0, sizeof *p);
	p->pid = next_pid++;
	p->ignores_term = s->cfg->env[0] && !strcmp(s->cfg->env[0], "TRAP=1");
	s->pid = p->pid;
	pidhash_put(&sup->pids, s->pid, s->idx);
	sup->nlive++;
	return 0;
}

void sup_kill_cgroup(struct sup *sup, struct service *s)
{
	(void)sup;
	if (s->pid)
		procs[s->idx].dying = SIGKILL;  /* cgroup.kill reaches frozen processes too */
}

void sup_freeze(struct sup *sup, struct service *s, bool freeze)
{
	struct proc *p = &procs[s->idx];

	(void)sup;
	if (!s->pid)
		return;
	if (!freeze) {
		p->frozen = false;
		if (p->term_pending && !p->ignores_term)
			p->dying = (128 + SIGTERM) << 8;
		p->term_pending = false;
	}
}

unsigned long long sup_oom_kills(const struct sup *sup, const struct service *s)
{
	(void)sup;
	(void)s;
	return 0;
}

/* Networking is a world of its own (tests/ns/65-net.sh): a held namespace
 * is nothing here, and the system file's bridges are never made. */
void sup_net_release(struct sup *sup, struct service *s)
{
	(void)sup;
	(void)s;
}

int net_bridges(const struct init_cfg *ic)
{
	(void)ic;
	return 0;
}

void sup_jail_event(struct sup *sup, struct service *s, enum sup_tag kind)
{
	(void)sup;
	(void)s;
	(void)kind;
}

/* The setup report came (exec, or a setup error), as supjail.c reads it. */
static void setup_done(struct sup *sup, struct service *s)
{
	if (s->in_setup) {
		s->in_setup = false;
		sup->in_setup--;
	}
}

/* The reaping of one exit, as supjail.c does it. */
static void fake_exit(struct sup *sup, int idx, int st)
{
	struct service *s = &sup->svc[idx];

	if (!s->pid || pidhash_take(&sup->pids, s->pid) != idx)
		return;
	setup_done(sup, s);
	memset(&procs[idx], 0, sizeof procs[idx]);
	s->pid = 0;
	sup->nlive--;
	sup_feed(sup, s, EV_EXITED, st);
}

void sup_reap(struct sup *sup)
{
	int i;

	for (i = 0; i < sup->nsvc; i++)
		if (procs[i].pid && procs[i].dying)
			fake_exit(sup, i, procs[i].dying == SIGKILL ? SIGKILL : procs[i].dying);
}

/* ---- the input ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* One jail of the config: what its file says. */
struct spec {
	bool exists, broken, oneshot, ready_fd, no_autostart, trap, never;
	uint8_t after[4];  /* jail indexes, or 255: a name of no jail */
	int nafter;
	unsigned stop_ms, delay_ms;
};

static struct spec specs[BIG_J];
static int nspecs;
static unsigned shutdown_ms;

static void spec_random(struct spec *s, struct in *in, int n)
{
	unsigned f = byte(in), a;
	int k;

	memset(s, 0, sizeof *s);
	s->exists = true;
	s->broken = (f & 7) == 0;
	s->oneshot = (f & 0x18) == 0x18;
	s->ready_fd = f & 0x20;
	s->no_autostart = (f & 0xc0) == 0xc0;
	s->trap = byte(in) % 3 == 0;
	s->never = byte(in) % 4 == 0;
	s->stop_ms = 50 + byte(in) * 20;
	s->delay_ms = byte(in) * 10;
	s->nafter = byte(in) % 4;
	for (k = 0; k < s->nafter; k++) {
		a = byte(in);
		s->after[k] = (uint8_t)(a == 255 ? 255 : a % n);
	}
}

/* The text of jail i's file; the parser makes of it what brig would. */
static void spec_text(const struct spec *s, int i, char *buf, size_t len)
{
	size_t o = 0;
	int k;

	o += (size_t)snprintf(buf + o, len - o, "[jail]\nexec = /bin/svc\n");
	if (s->oneshot)
		o += (size_t)snprintf(buf + o, len - o, "type = oneshot\n");
	if (s->ready_fd && !s->oneshot)
		o += (size_t)snprintf(buf + o, len - o, "ready = fd:3\nready_timeout = 2s\n");
	if (s->no_autostart)
		o += (size_t)snprintf(buf + o, len - o, "autostart = no\n");
	if (s->trap)
		o += (size_t)snprintf(buf + o, len - o, "env = TRAP=1\n");
	for (k = 0; k < s->nafter; k++) {
		if (s->after[k] == 255)
			o += (size_t)snprintf(buf + o, len - o, "after = nosuch\n");
		else if (s->after[k] != i)
			o += (size_t)snprintf(buf + o, len - o, "after = j%03d\n", s->after[k]);
	}
	o += (size_t)snprintf(buf + o, len - o,
			      "[restart]\nstop_timeout = %ums\ndelay = %ums\nmax_delay = 2s\n"
			      "burst = 5\ninterval = 10s\n%s",
			      s->stop_ms, s->delay_ms, s->never ? "policy = never\n" : "");
	if (s->broken)
		snprintf(buf + o, len - o, "bogus = 1\n");
}

static void quiet(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	(void)ctx;
	(void)warning;
	log_msg(LOG_ERROR, "%s:%d: %s", file, line, msg);
}

/* The config set the specs describe, in name order, as config_load_dir
 * would give it. */
static struct config_set *spec_set(void)
{
	struct config_set *set = fz_calloc(1, sizeof *set);
	char text[1024], name[16], file[32];
	int i;

	config_init_defaults(&set->init);
	set->init.shutdown_timeout_ms = shutdown_ms;
	for (i = 0; i < nspecs; i++) {
		struct diag d = { .emit = quiet };
		struct jail_cfg *c;

		if (!specs[i].exists)
			continue;
		spec_text(&specs[i], i, text, sizeof text);
		snprintf(name, sizeof name, "j%03d", i);
		snprintf(file, sizeof file, "/fz/jails/j%03d.ini", i);
		c = fz_calloc(1, sizeof *c);
		config_defaults(c, name);
		if (config_parse(file, text, strlen(text), c, &d) == 0) {
			set->jails[set->njails++] = c;
			continue;
		}
		config_free(c);
		fz_free(c);
		snprintf(set->broken[set->nbroken].name, sizeof set->broken[0].name, "%s", name);
		set->broken[set->nbroken++].why = fz_strdup("/fz/jails/x.ini:9: broken");
	}
	return set;
}

static void reload(struct sup *sup)
{
	struct diag d = { .emit = quiet };

	sup_apply(sup, spec_set(), &d);
}

/* ---- invariants ---- */

static void bug(const char *what, const struct service *s)
{
	fprintf(stderr, "fuzz_core: %s: jail %s state %s alive %d spawning %d pid %d\n", what,
		s && s->cfg ? s->cfg->name : "-", s ? machine_state_name(s->m.state) : "-",
		s ? s->m.alive : 0, s ? s->m.spawning : 0, s ? (int)s->pid : 0);
	abort();
}

/* The graph the loop runs (slot edges) has no cycle: an explicit stack. */
static void no_cycle(const struct sup *sup)
{
	unsigned char color[SUP_MAX_SLOTS] = { 0 };
	int stack[SUP_MAX_SLOTS], next[SUP_MAX_SLOTS], r, top;

	for (r = 0; r < sup->nsvc; r++) {
		if (color[r] || !sup->svc[r].cfg)
			continue;
		top = 0;
		stack[0] = r;
		next[r] = 0;
		color[r] = 1;
		while (top >= 0) {
			const struct service *u = &sup->svc[stack[top]];
			const struct jail_cfg *c = u->next_cfg ? u->next_cfg : u->cfg;
			int k;

			if (next[u->idx] >= c->nafter) {
				color[u->idx] = 2;
				top--;
				continue;
			}
			k = u->deps[next[u->idx]++];
			if (k < 0 || color[k] == 2)
				continue;
			if (color[k] == 1)
				bug("a cycle in the running graph", u);
			color[k] = 1;
			next[k] = 0;
			stack[++top] = k;
		}
	}
}

static void check(const struct sup *sup)
{
	char why[400];
	int i, n;

	no_cycle(sup);
	for (i = n = 0; i < sup->nsvc; i++)
		n += sup->svc[i].cfg && sup->svc[i].in_setup;
	if (n != sup->in_setup || n > SUP_MAX_IN_SETUP)
		bug("the count of jails in setup is off", NULL);
	for (i = 0; i < sup->nsvc; i++) {
		const struct service *s = &sup->svc[i];
		bool proc = procs[i].pid != 0;

		if (!s->cfg) {
			if (proc)
				bug("a process without a jail", s);
			continue;
		}
		if ((unsigned)s->m.state >= JS_COUNT)
			bug("a state brig(8) does not name", s);
		if (s->m.alive != proc || (s->pid != 0) != proc)
			bug("the state disagrees with the process", s);
		switch (s->m.state) {
		case JS_RUNNING:
		case JS_STOPPING:
		case JS_PAUSED:
			if (!proc)
				bug("up without a process", s);
			break;
		case JS_STARTING:
			if (!proc && !s->m.spawning)
				bug("starting with neither a process nor a spawn", s);
			break;
		default:
			if (proc || s->m.spawning)
				bug("down with a process", s);
		}
		/* Work still queued for it (a share a turn) may wake it yet. */
		if (s->m.state == JS_WAITING && !s->queued) {
			sup_reason(sup, s, why, sizeof why);
			if (strncmp(why, "waiting for ", 12) || !strchr(why, '('))
				bug(why[0] ? why : "waiting without saying why", s);
		}
		if (s->m.alive && s->m.state != JS_RUNNING && s->m.state != JS_PAUSED &&
		    !s->m.deadline && !(s->m.state == JS_STARTING && s->m.p.oneshot) &&
		    !(s->m.state == JS_STOPPING && !s->m.signalled && !sup->stopping_all))
			bug("a live jail in a state without its deadline", s);
	}
}

/* ---- driving it ---- */

/* Time passes: processes die as signals told them, then a loop turn. */
static void tick(struct sup *sup, unsigned ms)
{
	clock_ms += ms;
	sup_reap(sup);
	sup_work(sup);
}

/* One event: four bytes (what, which jail, two arguments), and for a reload
 * the new specs after them. */
static void event(struct sup *sup, struct in *in)
{
	static const enum jail_ev cmds[] = { EV_START, EV_STOP, EV_RESTART, EV_KILL, EV_PAUSE,
					      EV_RESUME };
	unsigned op = byte(in) % 16, which = byte(in), x = byte(in), y = byte(in), k;
	struct service *s = sup->nsvc ? &sup->svc[which % sup->nsvc] : NULL;
	long before = live;
	bool reloads = false;

#ifdef FUZZ_REPLAY
	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "%llu event %u on %s (%u %u)%s\n", (unsigned long long)clock_ms, op,
			s && s->cfg ? s->cfg->name : "-", x, y, s && s->cfg ?
			machine_state_name(s->m.state) : "");
#endif
	switch (op) {
	case 0: case 1: case 2:
		tick(sup, 1 + x * 8);
		break;
	case 3:
		if (s && s->pid)
			fake_exit(sup, s->idx, y % 3 ? (int)(x % 4) << 8 : SIGSEGV);
		break;
	case 4:
		if (s && s->pid && (x & 1))
			setup_done(sup, s);
		if (s && s->pid)
			sup_feed(sup, s, x & 1 ? EV_EXEC : EV_READY, 0);
		break;
	case 5:
		if (s && s->pid) {
			setup_done(sup, s);
			sup_feed(sup, s, EV_SETUP_FAILED, 0);
		}
		break;
	case 6: case 7:
		if (s && s->cfg)
			sup_command(sup, s, cmds[x % 6], SIGTERM);
		break;
	case 8:
		if (s && s->pid && s->m.freezing) {
			procs[s->idx].frozen = true;
			sup_feed(sup, s, EV_FROZEN, 0);
		}
		break;
	case 9:
		fail_next_spawn = true;
		break;
	case 10: case 11: /* a changed config: x specs anew, the jail y gone */
		for (k = x % 4; k > 0; k--)
			spec_random(&specs[byte(in) % nspecs], in, nspecs);
		if (y % 8 == 0)
			specs[which % nspecs].exists = false;
		reloads = true;
		reload(sup);
		break;
	case 12: /* a HUP storm: the same config, again and again */
		for (k = 1 + x % 8; k > 0; k--)
			reload(sup);
		reloads = true;
		break;
	case 13: /* a large reload: up to 256 jails */
		if (x % 4 == 0 && nspecs < BIG_J) {
			for (k = (unsigned)nspecs; k < BIG_J; k++)
				spec_random(&specs[k], in, BIG_J);
			nspecs = BIG_J;
			reloads = true;
			reload(sup);
		}
		break;
	case 14:
		sup_shutdown(sup, SUP_END_EXIT);
		break;
	default:
		break;
	}
	sup_work(sup);  /* the rest of the loop's turn, as after any event */
	if (!reloads && live > before)
		bug("the loop allocated outside a reload", s);
	check(sup);
}

/* The end: a shutdown must stop every jail, within its deadline (or, for
 * one the input asked for and whose deadline the input's coarse time
 * already passed, within the margin from now). */
static void finish(struct sup *sup)
{
	uint64_t deadline;
	int turns = 0;

	sup_shutdown(sup, SUP_END_EXIT);
	deadline = sup->deadline > clock_ms ? sup->deadline : clock_ms;
	while (!sup_finished(sup) && turns++ < 20000) {
		tick(sup, TICK_MS);
		check(sup);
	}
	if (sup->nlive || !sup_finished(sup)) {
		int i;

		fprintf(stderr, "fuzz_core: live %d now %llu deadline %llu\n", sup->nlive,
			(unsigned long long)sup->now, (unsigned long long)sup->deadline);
		for (i = 0; i < sup->nsvc; i++)
			if (sup->svc[i].cfg && (sup->svc[i].m.alive || sup->svc[i].pid))
				bug("the shutdown did not end", &sup->svc[i]);
		bug("the shutdown did not end", NULL);
	}
	if (clock_ms > deadline + MARGIN_MS)
		bug("the shutdown ended past shutdown_timeout and the margin", NULL);
}

static void teardown(struct sup *sup)
{
	int i;

	for (i = 0; i < sup->nsvc; i++)
		if (sup->svc[i].cfg)
			sup_free_slot(sup, &sup->svc[i]);
	for (i = 0; i < sup->nbroken; i++)
		fz_free(sup->broken[i].why);
	fz_free(sup->broken);
	fz_free(sup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct sup *sup;
	int i, events = 0;

	memset(procs, 0, sizeof procs);
	memset(specs, 0, sizeof specs);
	clock_ms = 1000000;
	next_pid = 100;
	fail_next_spawn = false;
	nspecs = 1 + (int)(byte(&in) % MAX_J);  /* op 13 makes 256 */
	shutdown_ms = 100 + byte(&in) * 40;
	for (i = 0; i < nspecs; i++)
		spec_random(&specs[i], &in, nspecs);
	sup = fz_calloc(1, sizeof *sup);
	sup->epfd = sup->sigfd = sup->lfd = sup->console_fd = -1;
	sup->shutdown_timeout_ms = 10000;
	snprintf(sup->cgroup_root, sizeof sup->cgroup_root, "/fz/cgroup");
	snprintf(sup->config_dir, sizeof sup->config_dir, "/fz");
	sup_clock(sup);
	reload(sup);
	check(sup);
	while (in.n && events++ < 5000)
		event(sup, &in);
	finish(sup);
	teardown(sup);
	if (live != 0) {
		fprintf(stderr, "fuzz_core: %ld allocations not freed\n", live);
		abort();
	}
	return 0;
}

#include "replay.h"
