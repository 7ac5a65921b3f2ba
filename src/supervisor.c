/* Runs in: the supervisor process: `brig supervise`, or PID 1 in init mode.
 * One thread, one epoll set: the signalfd, the console (while lines wait
 * for it), the control server's socket and clients, and per jail its output
 * pipe, setup-report pipe, readiness fd and cgroup.events. The deadlines of
 * the jails are a min-heap; epoll_wait sleeps until the earliest one.
 * Children are reaped on SIGCHLD and found through a pid hash, so an event
 * costs O(1) or O(log n) in the number of jails. The loop allocates nothing
 * except while a reload reads the config.
 *
 * Every turn does a bounded amount of work: the jails' queued work (the
 * effects one jail's change has on others, a FIFO with one entry per jail)
 * at most WORK_BUDGET steps, and at most SPAWN_BATCH spawns, reading the
 * clock and petting the watchdog after each; what is left waits for the
 * next turn, which then does not sleep. */
#include "supervisor.h"

#include "cgroup.h"
#include "log.h"
#include "shell.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORK_BUDGET (4 * SUP_MAX_SLOTS)
#define SPAWN_BATCH 4
#define CONSOLE_MAX_DELAY_MS 30000

void sup_clock(struct sup *sup)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sup->now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sup_ep_add(struct sup *sup, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	if (epoll_ctl(sup->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		log_msg(LOG_ERROR, "epoll_ctl add fd %d: %m", fd);
}

/* Closes fd (if open) after taking it out of the epoll set. */
void sup_ep_close(struct sup *sup, int *fd)
{
	if (*fd < 0)
		return;
	epoll_ctl(sup->epfd, EPOLL_CTL_DEL, *fd, NULL);
	close(*fd);
	*fd = -1;
}

enum sup_sig sup_signal_action(int sig, bool init_mode, enum sup_end *end)
{
	switch (sig) {
	case SIGHUP:
		return SUP_SIG_RELOAD;
	case SIGTERM:
	case SIGINT: /* Ctrl-Alt-Del, once RB_DISABLE_CAD is set */
		*end = init_mode ? SUP_END_REBOOT : SUP_END_EXIT;
		return SUP_SIG_SHUTDOWN;
	case SIGUSR1:
		*end = SUP_END_HALT;
		return init_mode ? SUP_SIG_SHUTDOWN : SUP_SIG_OTHER;
	case SIGUSR2:
	case SIGPWR:
		*end = SUP_END_POWEROFF;
		return init_mode ? SUP_SIG_SHUTDOWN : SUP_SIG_OTHER;
	default:
		return SUP_SIG_OTHER;
	}
}

/* ---- the view a jail's machine gets, and its effects ---- */

static bool dependents_alive(const struct sup *sup, const struct service *s)
{
	int i;

	SUP_EACH_BIT(s->dependents, SUP_MAX_SLOTS / 64, i)
		if (sup->svc[i].m.alive)
			return true;
	return false;
}

/* The first `after` name not ready, or -1 when every one is. */
static int first_unready(const struct sup *sup, const struct service *s)
{
	const struct jail_cfg *c = s->next_cfg ? s->next_cfg : s->cfg;
	int a;

	for (a = 0; a < c->nafter; a++)
		if (s->deps[a] < 0 || !machine_satisfies(&sup->svc[s->deps[a]].m))
			return a;
	return -1;
}

void sup_reason(const struct sup *sup, const struct service *s, char *buf, size_t len)
{
	const struct jail_cfg *c = s->next_cfg ? s->next_cfg : s->cfg;
	const char *why;
	int a, d;

	buf[0] = '\0';
	if (s->m.state == JS_FAILED)
		snprintf(buf, len, "%s", s->reason[0] ? s->reason : s->m.why ? s->m.why : "");
	if (s->m.state != JS_WAITING || (a = first_unready(sup, s)) < 0)
		return;
	d = s->deps[a];
	if (d >= 0)
		why = machine_state_name(sup->svc[d].m.state);
	else if (d == DEP_MISSING || !(why = sup->broken[-2 - d].why))
		why = "missing";
	snprintf(buf, len, "waiting for %s (%s%s)", c->after[a], d < -1 ? "broken: " : "", why);
}

bool sup_stuck(const struct sup *sup, const struct service *s)
{
	int a = first_unready(sup, s);

	return a >= 0 && (s->deps[a] < 0 || !machine_may_become_ready(&sup->svc[s->deps[a]].m));
}

void sup_jail_error(const struct service *s, const struct err *e)
{
	char msg[300];

	snprintf(msg, sizeof msg, "jail %s: ", s->cfg->name);
	err_str(e, msg + strlen(msg), (unsigned)(sizeof msg - strlen(msg)));
	sup_diag_log(NULL, s->cfg->file, e->line, false, msg);
}

void sup_exit_text(int st, char *buf, size_t len)
{
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	int sig = WIFSIGNALED(st) ? WTERMSIG(st) : code > 128 && code <= 128 + 64 ? code - 128 : 0;

	if (sig)
		snprintf(buf, len, "killed by SIG%s%s", value_signal_name(sig) ?: "?",
			 sig == SIGSYS ? " (seccomp)" : "");
	else
		snprintf(buf, len, "exited %d", code);
}

static void say(struct sup *sup, struct service *s, enum jail_msg msg, uint64_t at)
{
	const char *n = s->cfg->name;
	char x[200];

	switch (msg) {
	case MSG_STARTED:
		log_msg(LOG_INFO, "%s: started (pid %d)", n, (int)s->pid);
		break;
	case MSG_READY:
		log_msg(LOG_INFO, "%s: ready", n);
		break;
	case MSG_EXITED:
	case MSG_STOPPED:
		sup_exit_text((int)(uint32_t)at, x, sizeof x);
		if (msg == MSG_STOPPED)
			log_msg(LOG_INFO, "%s: stopped (%s)", n,
				at & MSG_KILLED ? "killed by SIGKILL after stop_timeout"
				: at & MSG_CUT	? "killed by SIGKILL at shutdown_timeout"
						: x);
		else
			log_msg(LOG_INFO, "%s: %s%s", n, x,
				at & MSG_START_FAILED ? " (start failed)" : "");
		break;
	case MSG_RESTARTING:
		log_msg(LOG_INFO, "%s: restarting in %llu ms", n, (unsigned long long)at);
		break;
	case MSG_FAILED:
		log_msg(LOG_ERROR, "%s: failed: %s", n, s->m.why);
		break;
	case MSG_DONE:
		log_msg(LOG_INFO, "%s: done", n);
		break;
	case MSG_WAITING:
		sup_reason(sup, s, x, sizeof x);
		log_msg(LOG_INFO, "%s: %s", n, x);
		break;
	case MSG_NOT_READY:
		log_msg(LOG_ERROR, "%s: not ready after %llu ms", n, (unsigned long long)at);
		break;
	case MSG_KILLING:
		log_msg(LOG_WARN, "%s: still running %llu ms after SIG%s, killing", n,
			(unsigned long long)at, value_signal_name(s->cfg->stop_signal) ?: "?");
		break;
	case MSG_OUT_OF_TIME:
		log_msg(LOG_WARN, "%s: shutdown_timeout reached, killing", n);
		break;
	}
}

/* Posts work to every jail that names s in `after`. A restart reaches only
 * those with a process (or about to have one): they come back after it. */
static void to_dependents(struct sup *sup, struct service *s, int work, bool restart)
{
	int i;

	SUP_EACH_BIT(s->dependents, SUP_MAX_SLOTS / 64, i) {
		struct service *d = &sup->svc[i];

		if (!restart || d->m.alive || d->m.spawning)
			sup_post(sup, d, work);
	}
}

static void to_deps(struct sup *sup, struct service *s)
{
	const struct jail_cfg *c = s->next_cfg ? s->next_cfg : s->cfg;
	int a;

	for (a = 0; a < c->nafter; a++)
		if (s->deps[a] >= 0)
			sup_post(sup, &sup->svc[s->deps[a]], W_DEP);
}

/* FX_SWAP_CONFIG: the changed config takes the place of the running one. */
static void swap_config(struct service *s)
{
	struct jail_cfg *c = s->next_cfg;
	struct jail_params p;
	char *ring;

	if (!c)
		return;
	s->next_cfg = NULL;
	if (c->log_size != s->cfg->log_size && (ring = malloc(LOGRING_ALLOC(c->log_size)))) {
		free(s->ring.buf);
		logring_init_timed(&s->ring, ring, c->log_size);
	} else if (c->log_size != s->cfg->log_size) {
		c->log_size = s->cfg->log_size;  /* keep the ring we have */
	}
	config_free(s->cfg);
	free(s->cfg);
	s->cfg = c;
	machine_params(c, &p);
	machine_configure(&s->m, &p);
}

static void failure_action(struct sup *sup, struct service *s, int act)
{
	const char *what = act == FAILACT_REBOOT ? "reboot" : "poweroff";

	if (!sup->o.init_mode) {
		log_msg(LOG_WARN, "%s: failure_action = %s acts only in init mode", s->cfg->name,
			what);
		return;
	}
	log_msg(LOG_ERROR, "%s: failure_action = %s", s->cfg->name, what);
	sup_shutdown(sup, act == FAILACT_REBOOT ? SUP_END_REBOOT : SUP_END_POWEROFF);
}

static void carry_out(struct sup *sup, struct service *s, const struct jail_out *out)
{
	int i;

	for (i = 0; i < out->n; i++) {
		int arg = out->fx[i].arg;
		uint64_t at = out->fx[i].at;

		switch (out->fx[i].kind) {
		case FX_SPAWN:
			if (!s->spawn_queued && sup->slen < SUP_MAX_SLOTS) {
				s->spawn_queued = true;
				sup->spawnq[(sup->shead + sup->slen++) % SUP_MAX_SLOTS] =
					(int16_t)s->idx;
			}
			break;
		case FX_SIGNAL:
			if (s->pid > 0 && kill(s->pid, arg) < 0)
				log_msg(LOG_WARN, "%s: kill SIG%s: %m", s->cfg->name,
					value_signal_name(arg) ?: "?");
			break;
		case FX_KILL:
			sup_kill_cgroup(sup, s);
			break;
		case FX_FREEZE:
		case FX_THAW:
			sup_freeze(sup, s, out->fx[i].kind == FX_FREEZE);
			break;
		case FX_TIMER:
			heap_set(&sup->timers, s->idx, at);
			break;
		case FX_STOP_DEPENDENTS:
			to_dependents(sup, s, arg ? W_RESTART : W_STOP, arg);
			break;
		case FX_WAKE_DEPENDENTS:
			to_dependents(sup, s, W_DEP, false);
			break;
		case FX_WAKE_DEPS:
			to_deps(sup, s);
			break;
		case FX_LOG:
			say(sup, s, (enum jail_msg)arg, at);
			break;
		case FX_FAILURE_ACTION:
			failure_action(sup, s, arg);
			break;
		case FX_SWAP_CONFIG:
			swap_config(s);
			break;
		case FX_RELEASE:
			sup_net_release(sup, s);
			break;
		case FX_ACQUIRE:  /* the namespace is made by the spawn that needs it */
		case FX_COUNT:
			break;
		}
	}
}

bool sup_feed(struct sup *sup, struct service *s, enum jail_ev ev, int arg)
{
	struct jail_view v = { .now = sup->now, .deadline = sup->stopping_all ? sup->deadline : 0 };
	enum jail_state before = s->m.state;
	struct jail_out out;

	if (!s->cfg)
		return false;
	v.deps_ready = first_unready(sup, s) < 0;
	v.dependents_alive = dependents_alive(sup, s);
	machine_step(&s->m, ev, arg, &v, &out);
	if (s->m.state != before || ev == EV_EXITED)
		sup->changed[s->idx / 64] |= 1ULL << (s->idx % 64);
	carry_out(sup, s, &out);
	if (s->remove && !s->m.alive && !s->m.spawning && !s->cg_busy &&
	    (s->m.state == JS_STOPPED || s->m.state == JS_FAILED || s->m.state == JS_DONE))
		sup_free_slot(sup, s);
	return !out.refused;
}

bool sup_command(struct sup *sup, struct service *s, enum jail_ev ev, int arg)
{
	return !sup->stopping_all && sup_feed(sup, s, ev, arg);
}

/* ---- the work list ---- */

void sup_post(struct sup *sup, struct service *s, int work)
{
	if (!s->cfg)
		return;
	s->work |= (uint8_t)work;
	if (s->queued)
		return;
	s->queued = true;
	sup->work[(sup->whead + sup->wlen++) % SUP_MAX_SLOTS] = (int16_t)s->idx;
}

/* At most budget steps; the rest waits for the next turn. */
static void do_work(struct sup *sup, int budget)
{
	while (sup->wlen > 0 && budget-- > 0) {
		struct service *s = &sup->svc[sup->work[sup->whead]];
		int w = s->work;

		sup->whead = (sup->whead + 1) % SUP_MAX_SLOTS;
		sup->wlen--;
		s->queued = false;
		s->work = 0;
		if (w & W_STOP)
			sup_feed(sup, s, EV_STOP, 0);
		else if (w & W_RESTART)
			sup_feed(sup, s, EV_RESTART, 0);
		if (w & W_DEP)
			sup_feed(sup, s, EV_DEP, 0);
	}
}

/* A few spawns a turn, and only while few jails are still building, the
 * clock read and the watchdog petted after each. */
static void do_spawns(struct sup *sup)
{
	struct err e;
	int n;

	for (n = 0; n < SPAWN_BATCH && sup->slen > 0 && sup->in_setup < SUP_MAX_IN_SETUP; n++) {
		struct service *s = &sup->svc[sup->spawnq[sup->shead]];

		sup->shead = (sup->shead + 1) % SUP_MAX_SLOTS;
		sup->slen--;
		s->spawn_queued = false;
		if (!s->cfg || !s->m.spawning || s->m.state != JS_STARTING || sup->stopping_all)
			continue;  /* called off meanwhile */
		s->reason[0] = '\0';
		s->status[0] = '\0';
		if (sup_spawn(sup, s, &e) < 0) {
			sup_jail_error(s, &e);
			err_str(&e, s->reason, sizeof s->reason);
		}
		sup_clock(sup);
		watchdog_kick(sup->o.wd, sup->now);
		s->in_setup = s->pid != 0;
		sup->in_setup += s->in_setup;
		sup_feed(sup, s, s->pid ? EV_SPAWNED : EV_SETUP_FAILED, 0);
	}
}

/* Every deadline that has come, against a fresh clock. */
static void do_timers(struct sup *sup)
{
	uint64_t at;
	int id;

	sup_clock(sup);
	watchdog_kick(sup->o.wd, sup->now);
	while ((at = heap_top(&sup->timers, &id)) && at <= sup->now) {
		heap_set(&sup->timers, id, 0);
		sup->svc[id].m.deadline = 0;
		sup_feed(sup, &sup->svc[id], EV_TIMER, 0);
	}
	/* The jails were killed at the deadline: the margin counts from the
	 * first turn that saw it (the clock may have jumped past both). */
	if (sup->stopping_all && !sup->give_up && sup->now >= sup->deadline)
		sup->give_up = sup->now + SUP_KILL_MARGIN_MS;
	if (sup->console[0] && !sup->console_pid && sup->console_ms <= sup->now)
		sup_console_start(sup);
}

/* ---- the console shell (init mode) ---- */

/* [init] console: a shell kept on the console while the jails run
 * (busybox inittab's respawn). A failed fork, or a shell that ends within
 * a second, is tried again after a delay that doubles up to 30 s. */
/* The next try after a failure: a delay that doubles up to 30 s. */
static void console_later(struct sup *sup, const char *why)
{
	sup->console_pid = 0;
	sup->console_delay_ms = sup->console_delay_ms ? sup->console_delay_ms * 2 : 1000;
	if (sup->console_delay_ms > CONSOLE_MAX_DELAY_MS)
		sup->console_delay_ms = CONSOLE_MAX_DELAY_MS;
	sup->console_ms = sup->now + sup->console_delay_ms;
	log_msg(LOG_ERROR, "console %s %s; again in %llu ms", sup->console[0], why,
		(unsigned long long)sup->console_delay_ms);
}

void sup_console_start(struct sup *sup)
{
	if (!sup->o.init_mode || !sup->console[0] || sup->console_pid > 0 || sup->stopping_all ||
	    sup->console_ms > sup->now)
		return;
	sup->console_pid = shell_start(sup->console, "console");
	if (sup->console_pid > 0)
		sup->console_ms = sup->now;
	else
		console_later(sup, "did not start");
}

static void console_exited(struct sup *sup)
{
	if (sup->stopping_all) {
		sup->console_pid = 0;  /* its hangup: not started again */
		return;
	}
	if (sup->now - sup->console_ms < 1000) {
		console_later(sup, "ended within a second");
		return;
	}
	sup->console_pid = 0;
	sup->console_delay_ms = 0;
	sup_console_start(sup);
}

/* ---- signals ---- */

/* One pass takes every pending signal (the kernel hands out the lowest
 * first, so a flood of HUPs would otherwise hide a TERM), then acts: a
 * shutdown wins over a reload, and any number of HUPs is one reload. */
static void on_signals(struct sup *sup)
{
	struct signalfd_siginfo si[16];
	bool chld = false, hup = false, down = false;
	enum sup_end end = SUP_END_EXIT, e;
	ssize_t n;
	int i;

	while ((n = read(sup->sigfd, si, sizeof si)) > 0) {
		for (i = 0; i < n / (ssize_t)sizeof si[0]; i++) {
			switch (sup_signal_action((int)si[i].ssi_signo, sup->o.init_mode, &e)) {
			case SUP_SIG_RELOAD:
				hup = true;
				break;
			case SUP_SIG_SHUTDOWN:
				if (!down)
					end = e;
				down = true;
				break;
			case SUP_SIG_OTHER:
				chld |= si[i].ssi_signo == SIGCHLD;
				break;
			}
		}
	}
	if (chld)
		sup_reap(sup);
	if (down) {
		sup_shutdown(sup, end);
	} else if (hup && !sup->stopping_all) {
		log_msg(LOG_INFO, "SIGHUP: reloading %s", sup->config_dir);
		sup->reload_wanted = true;
	}
}

void sup_orphan(struct sup *sup, pid_t pid)
{
	if (pid == sup->console_pid)
		console_exited(sup);
}

void sup_shutdown(struct sup *sup, enum sup_end end)
{
	int i;

	if (sup->stopping_all)
		return;
	sup_clock(sup);
	sup->stopping_all = true;
	sup->end = end;
	sup->deadline = sup->now + sup->shutdown_timeout_ms;
	log_msg(LOG_INFO, "stopping every jail (within %llu ms)",
		(unsigned long long)sup->shutdown_timeout_ms);
	/* An interactive shell ignores TERM: the console hangs up instead,
	 * for its whole session. The hangup discards what the terminal has
	 * not sent yet: let it send brig's lines first. */
	if (sup->console_pid > 0) {
		log_drain(200);
		kill(-sup->console_pid, SIGHUP);
	}
	for (i = 0; i < sup->nsvc; i++)
		sup_feed(sup, &sup->svc[i], EV_SHUTDOWN, 0);
}

bool sup_finished(const struct sup *sup)
{
	return sup->fatal || (sup->stopping_all &&
			      (sup->nlive == 0 || (sup->give_up && sup->now >= sup->give_up)));
}

/* ---- the turn ---- */

static void earliest(uint64_t *at, uint64_t t)
{
	if (t && (!*at || t < *at))
		*at = t;
}

/* How long epoll_wait may sleep: until the earliest deadline, not at all
 * while work waits, forever (-1) without either. */
static int wait_ms(struct sup *sup, uint64_t upper)
{
	uint64_t at;
	int id;

	if (sup->wlen || (sup->slen && sup->in_setup < SUP_MAX_IN_SETUP) || sup->reload_wanted)
		return 0;
	at = heap_top(&sup->timers, &id);
	earliest(&at, watchdog_kick(sup->o.wd, sup->now));
	earliest(&at, upper);
	if (sup->console[0] && !sup->console_pid)
		earliest(&at, sup->console_ms ? sup->console_ms : 1);
	if (sup->stopping_all)
		earliest(&at, sup->give_up ?: sup->deadline);
	if (!at)
		return -1;
	return at <= sup->now ? 0 : at - sup->now > 86400000 ? 86400000 : (int)(at - sup->now);
}

static void watch_console(struct sup *sup)
{
	int fd = log_waiting_fd();

	if (fd == sup->console_fd)
		return;
	if (sup->console_fd >= 0)
		epoll_ctl(sup->epfd, EPOLL_CTL_DEL, sup->console_fd, NULL);
	sup->console_fd = -1;
	/* A regular file cannot be polled (EPERM), but never makes us wait. */
	if (fd >= 0) {
		struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = SUP_TAG(T_CONSOLE, 0) };

		if (epoll_ctl(sup->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
			sup->console_fd = fd;
	}
}

int sup_turn(struct sup *sup, uint64_t upper, struct epoll_event *up, int max)
{
	struct epoll_event ev[32];
	int i, n, nup = 0;

	log_flush();  /* the jails' lines of the last turn, in one write */
	watch_console(sup);
	n = epoll_wait(sup->epfd, ev, 32, wait_ms(sup, upper));
	sup_clock(sup);
	if (n < 0 && errno != EINTR) {
		log_msg(LOG_ERROR, "epoll_wait: %m; the supervisor cannot go on");
		sup->fatal = true;
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned kind = (unsigned)(ev[i].data.u64 >> 32), idx = (uint32_t)ev[i].data.u64;

		if (kind == T_LISTEN || kind == T_CLIENT) {
			if (nup < max)
				up[nup++] = ev[i];
		} else if (kind == T_SIGNAL) {
			on_signals(sup);
		} else if (kind == T_CONSOLE) {
			log_flush();
		} else if (idx < SUP_MAX_SLOTS && sup->svc[idx].cfg) {
			sup_jail_event(sup, &sup->svc[idx], (enum sup_tag)kind);
		}
	}
	sup_work(sup);
	return nup;
}

void sup_work(struct sup *sup)
{
	do_timers(sup);
	if (sup->reload_wanted && !sup->stopping_all) {
		sup->reload_wanted = false;
		sup_reload(sup);
	}
	do_work(sup, WORK_BUDGET);
	do_spawns(sup);
}

/* ---- setup ---- */

static int open_socket(struct sup *sup)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(sup->socket_path) >= sizeof sa.sun_path) {
		log_msg(LOG_ERROR, "socket path too long: %s", sup->socket_path);
		return -1;
	}
	strcpy(sa.sun_path, sup->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_msg(LOG_ERROR, "socket: %m");
		return -1;
	}
	unlink(sup->socket_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(sa.sun_path, 0600) < 0 ||
	    listen(fd, 128) < 0) {
		log_msg(LOG_ERROR, "control socket %s: %m", sup->socket_path);
		close(fd);
		return -1;
	}
	return fd;
}

static void mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static int paths(struct sup *sup, const struct sup_opts *o)
{
	struct err e;
	char buf[300];

	snprintf(sup->state_dir, sizeof sup->state_dir, "%s", o->state_dir ?: "/run/brig");
	snprintf(sup->config_dir, sizeof sup->config_dir, "%s", o->config_dir ?: "/etc/brig");
	if (o->socket)
		snprintf(sup->socket_path, sizeof sup->socket_path, "%s", o->socket);
	else if (snprintf(sup->socket_path, sizeof sup->socket_path, "%s/control.sock",
			  sup->state_dir) >= (int)sizeof sup->socket_path)
		sup->socket_path[0] = '\0';
	if (o->cgroup_root) {
		snprintf(sup->cgroup_root, sizeof sup->cgroup_root, "%s", o->cgroup_root);
	} else if (cgroup_find_mount(sup->cgroup_root, sizeof sup->cgroup_root - 8, &e) < 0) {
		log_msg(LOG_ERROR, "cgroup2: %s", err_str(&e, buf, sizeof buf));
		return -1;
	} else {
		strcat(sup->cgroup_root, "/brig");
	}
	mkdir(sup->cgroup_root, 0755);
	mkdir_p(sup->state_dir);
	return 0;
}

int sup_init(struct sup *sup, const struct sup_opts *o)
{
	sigset_t set;

	sup->o = *o;
	log_queue(&sup->logq);
	sup->console_fd = sup->lfd = -1;
	sup->shutdown_timeout_ms = 10000;
	sup_clock(sup);
	if (paths(sup, o) < 0)
		return -1;
	/* Every asynchronous signal comes through the signalfd (SIGPIPE too,
	 * and is dropped there): nothing runs in a handler. */
	sys_async_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sup->epfd = epoll_create1(EPOLL_CLOEXEC);
	sup->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sup->epfd < 0 || sup->sigfd < 0) {
		log_msg(LOG_ERROR, "epoll/signalfd: %m");
		return -1;
	}
	sup_ep_add(sup, sup->sigfd, EPOLLIN, SUP_TAG(T_SIGNAL, 0));
	sup->lfd = open_socket(sup);
	if (sup->lfd >= 0)
		sup_ep_add(sup, sup->lfd, EPOLLIN, SUP_TAG(T_LISTEN, 0));
	else if (!o->init_mode)
		return -1;
	if (!o->init_mode && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_msg(LOG_WARN, "PR_SET_CHILD_SUBREAPER: %m");
	log_msg(LOG_INFO, "supervising %s (socket %s, cgroups %s)", sup->config_dir,
		sup->socket_path, sup->cgroup_root);
	sup_reload(sup);
	return 0;
}

void sup_close(struct sup *sup)
{
	log_msg(LOG_INFO, "every jail stopped");
	if (sup->nlive)
		log_msg(LOG_WARN, "%d jails still there after the shutdown's deadline", sup->nlive);
	if (sup->lfd >= 0) {
		sup_ep_close(sup, &sup->lfd);
		unlink(sup->socket_path);
	}
}

struct service *sup_find(struct sup *sup, const char *name)
{
	int i;

	for (i = 0; i < sup->nsvc; i++)
		if (sup->svc[i].cfg && !strcmp(sup->svc[i].cfg->name, name))
			return &sup->svc[i];
	return NULL;
}

void sup_cgroup_path(const struct sup *sup, const struct service *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sup->cgroup_root, s->cfg->name);
}
