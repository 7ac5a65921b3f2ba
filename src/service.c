/* Runs in: the supervisor. The lifecycle of one jail (SPEC 5.1): each
 * function takes an event (start asked, ready, exited, deadline, stop
 * asked) and moves the jail to its next state; the effects it needs
 * (spawn, signal, deadline) are the loop's, in supervisor.c. */
#include "supervisor.h"

#include "fdio.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const state_names[] = {
	[SVC_WAITING] = "waiting", [SVC_STARTING] = "starting", [SVC_RUNNING] = "running",
	[SVC_STOPPING] = "stopping", [SVC_BACKOFF] = "backoff", [SVC_STOPPED] = "stopped",
	[SVC_FAILED] = "failed", [SVC_PAUSED] = "paused", [SVC_DONE] = "done",
};

const char *service_state_name(enum svc_state s)
{
	return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "?";
}

void service_set_state(struct sup *sup, struct service *s, enum svc_state st)
{
	s->state = st;
	s->since_ms = sup->now;
	/* At rest for good: what it held across restarts goes. */
	if (st == SVC_STOPPED || st == SVC_FAILED || st == SVC_DONE)
		sup_net_release(sup, s);
}

static bool alive(const struct service *s)
{
	return s->pid != 0;
}

/* A dependency is satisfied when it is ready, or done for a oneshot. */
static bool deps_ready(struct sup *sup, struct service *s)
{
	int i;

	for (i = 0; i < s->ndeps; i++) {
		struct service *d = &sup->svc[s->deps[i]];
		bool ok = d->cfg->type == JAIL_ONESHOT
				  ? d->state == SVC_DONE
				  : d->state == SVC_RUNNING || d->state == SVC_PAUSED;

		if (!ok) {
			snprintf(s->reason, sizeof s->reason, "waiting for %s (%s)", d->cfg->name,
				 service_state_name(d->state));
			return false;
		}
	}
	return true;
}

/* Iterates d over the jails that name s in `after` (slots in use only). */
#define EACH_DEPENDENT(sup, s, d)                                                   \
	for (unsigned w_ = 0; w_ < CFG_MAX_JAILS / 64; w_++)                        \
		for (uint64_t b_ = (s)->dependents[w_]; b_; b_ &= b_ - 1)           \
			if (((d) = &(sup)->svc[w_ * 64 + (unsigned)__builtin_ctzll(b_)])->cfg)

static void wake_if_waiting(struct sup *sup, struct service *d)
{
	if (d->state == SVC_WAITING)
		service_try_start(sup, d);
}

/* A changed config from reload takes effect between two runs. */
static void apply_next_cfg(struct service *s)
{
	struct jail_cfg *c = s->next_cfg;
	char *ring;

	if (!c)
		return;
	s->next_cfg = NULL;
	if (c->log_size != s->cfg->log_size && (ring = malloc(c->log_size))) {
		free(s->ring.buf);
		logring_init(&s->ring, ring, c->log_size);
	} else if (c->log_size != s->cfg->log_size) {
		c->log_size = s->cfg->log_size;  /* keep the ring we have */
	}
	config_free(s->cfg);
	free(s->cfg);
	s->cfg = c;
	policy_from_cfg(c, &s->policy);
}

static void start_failed(struct sup *sup, struct service *s);

void service_try_start(struct sup *sup, struct service *s)
{
	struct err e;

	if (alive(s) || s->cg_busy || sup->stopping_all)
		return;
	apply_next_cfg(s);
	s->stop_wanted = false;
	sup_deadline(sup, s, 0);
	if (!deps_ready(sup, s)) {
		if (s->state != SVC_WAITING)
			log_msg(LOG_INFO, "%s: %s", s->cfg->name, s->reason);
		service_set_state(sup, s, SVC_WAITING);
		return;
	}
	s->reason[0] = '\0';
	s->status[0] = '\0';
	s->start_ms = sup->now;
	policy_started(&s->hist, sup->now);
	if (sup_spawn(sup, s, &e) < 0) {
		log_jail_err(s->cfg->name, s->cfg->file, &e);
		snprintf(s->reason, sizeof s->reason, "%.119s", e.msg);
		start_failed(sup, s);
		return;
	}
	log_msg(LOG_INFO, "%s: started (pid %d)", s->cfg->name, (int)s->pid);
	service_set_state(sup, s, SVC_STARTING);
	if (s->cfg->type == JAIL_SERVICE)
		sup_deadline(sup, s, sup->now + s->cfg->ready_timeout_ms);
}

void service_ready(struct sup *sup, struct service *s)
{
	struct service *d;

	if (s->state != SVC_STARTING)
		return;
	sup_deadline(sup, s, 0);
	service_set_state(sup, s, SVC_RUNNING);
	log_msg(LOG_INFO, "%s: ready", s->cfg->name);
	EACH_DEPENDENT(sup, s, d)
		wake_if_waiting(sup, d);
}

static void send_stop(struct sup *sup, struct service *s)
{
	char path[PATH_MAX + 32];

	if (s->state == SVC_STOPPING)
		return;
	if (s->state == SVC_PAUSED) {
		/* A frozen jail cannot act on its stop signal. */
		sup_cgroup_path(sup, s, path, sizeof path);
		strcat(path, "/cgroup.freeze");
		fdio_write_file(AT_FDCWD, path, "0");
	}
	kill(s->pid, s->cfg->stop_signal);
	service_set_state(sup, s, SVC_STOPPING);
	sup_deadline(sup, s, sup->now + s->cfg->stop_timeout_ms);
}

static bool has_alive_dependents(struct sup *sup, struct service *s)
{
	struct service *d;

	EACH_DEPENDENT(sup, s, d)
		if (alive(d))
			return true;
	return false;
}

/* Stops every jail that names s in `after`. When s is being restarted,
 * they come back after it: they wait for it to be ready again. */
static void stop_dependents(struct sup *sup, struct service *s)
{
	struct service *d;

	EACH_DEPENDENT(sup, s, d) {
		if (s->start_after_stop && alive(d) && !sup->stopping_all)
			d->start_after_stop = true;
		service_stop(sup, d);
	}
}

void service_stop(struct sup *sup, struct service *s)
{
	s->stop_wanted = true;
	if (!alive(s)) {
		sup_deadline(sup, s, 0);
		if (s->state == SVC_WAITING || s->state == SVC_BACKOFF ||
		    s->state == SVC_STARTING)
			service_set_state(sup, s, SVC_STOPPED);
		return;
	}
	/* Dependents first; this jail's turn comes when the last one exits. */
	stop_dependents(sup, s);
	if (!has_alive_dependents(sup, s))
		send_stop(sup, s);
}

/* The jail init's wait status as the policy sees it. The jail init exits
 * 128+N when a signal N killed the service (as shells report it). */
static struct run_info run_of(struct sup *sup, struct service *s, int st)
{
	struct run_info r = { .start_ms = s->start_ms, .end_ms = sup->now,
			      .stop_requested = s->stop_wanted };
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (s->failed_start || (!s->exec_seen && code >= 125 && code <= 127)) {
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

static void stop_if_pending(struct sup *sup, struct service *d)
{
	if (d->stop_wanted && alive(d) && !has_alive_dependents(sup, d))
		send_stop(sup, d);
}

static void decide(struct sup *sup, struct service *s, const struct run_info *r)
{
	struct policy_decision d = policy_next(&s->policy, &s->hist, r, sup->now);
	struct service *dep;

	switch (d.action) {
	case POL_RESTART:
		s->restarts++;
		log_msg(LOG_INFO, "%s: restarting in %llu ms", s->cfg->name,
			(unsigned long long)d.delay_ms);
		service_set_state(sup, s, SVC_BACKOFF);
		sup_deadline(sup, s, sup->now + (d.delay_ms ? d.delay_ms : 1));
		break;
	case POL_STOP:
		service_set_state(sup, s, SVC_STOPPED);
		break;
	case POL_DONE:
		service_set_state(sup, s, SVC_DONE);
		log_msg(LOG_INFO, "%s: done", s->cfg->name);
		EACH_DEPENDENT(sup, s, dep)
			wake_if_waiting(sup, dep);
		break;
	case POL_FAIL:
		service_set_state(sup, s, SVC_FAILED);
		snprintf(s->reason, sizeof s->reason, "%s", d.why);
		log_msg(LOG_ERROR, "%s: failed: %s", s->cfg->name, d.why);
		if (d.failure_action == FAILACT_NONE)
			break;
		if (sup->o.init_mode) {
			log_msg(LOG_ERROR, "%s: failure_action = %s", s->cfg->name,
				d.failure_action == FAILACT_REBOOT ? "reboot" : "poweroff");
			sup_shutdown(sup, d.failure_action == FAILACT_REBOOT ? SUP_END_REBOOT
									   : SUP_END_POWEROFF);
		}
		else
			log_msg(LOG_WARN, "%s: failure_action = %s acts only in init mode",
				s->cfg->name,
				d.failure_action == FAILACT_REBOOT ? "reboot" : "poweroff");
		break;
	}
}

/* Spawning itself failed: nothing ran, the policy decides as for a run
 * that never got going. */
static void start_failed(struct sup *sup, struct service *s)
{
	struct run_info r = { .end = RUN_START_FAILED, .status = 125, .start_ms = sup->now,
			      .end_ms = sup->now };

	s->last_status = 125 << 8;
	decide(sup, s, &r);
}

void service_exited(struct sup *sup, struct service *s, int st)
{
	struct run_info r = run_of(sup, s, st);
	int i;

	sup_deadline(sup, s, 0);
	s->last_status = st;
	if (r.end == RUN_KILLED)
		log_msg(LOG_INFO, "%s: killed by SIG%s%s", s->cfg->name,
			config_signal_name(r.status) ? config_signal_name(r.status) : "?",
			r.status == SIGSYS ? " (seccomp)" : "");
	else
		log_msg(LOG_INFO, "%s: exited %d%s", s->cfg->name, r.status,
			r.end == RUN_START_FAILED ? " (start failed)" : "");
	for (i = 0; i < s->ndeps; i++)
		stop_if_pending(sup, &sup->svc[s->deps[i]]);
	if (s->remove) {
		service_set_state(sup, s, SVC_STOPPED);
		if (!s->cg_busy)
			sup_free_slot(sup, s);
	} else if (s->start_after_stop) {
		s->start_after_stop = false;
		service_set_state(sup, s, SVC_STOPPED);
		service_try_start(sup, s);
	} else if (s->stop_wanted) {
		service_set_state(sup, s, SVC_STOPPED);
	} else {
		decide(sup, s, &r);
	}
}

void service_timer(struct sup *sup, struct service *s)
{
	switch (s->state) {
	case SVC_STARTING:
		log_msg(LOG_ERROR, "%s: not ready after %llu ms", s->cfg->name,
			(unsigned long long)s->cfg->ready_timeout_ms);
		snprintf(s->reason, sizeof s->reason, "ready_timeout");
		s->failed_start = true;
		sup_kill_cgroup(sup, s);
		break;
	case SVC_STOPPING:
		log_msg(LOG_WARN, "%s: still running %llu ms after SIG%s, killing", s->cfg->name,
			(unsigned long long)s->cfg->stop_timeout_ms,
			config_signal_name(s->cfg->stop_signal));
		sup_kill_cgroup(sup, s);
		break;
	case SVC_BACKOFF:
		service_try_start(sup, s);
		break;
	default:
		break;
	}
}

/* Freezes or thaws the jail's whole cgroup. Freezing completes when
 * cgroup.events says "frozen 1"; the loop watches that file. */
int service_pause(struct sup *sup, struct service *s, bool freeze)
{
	char path[PATH_MAX + 32];
	size_t n;

	if (!alive(s) || (freeze && s->state == SVC_PAUSED) || (!freeze && s->state != SVC_PAUSED))
		return -1;
	sup_cgroup_path(sup, s, path, sizeof path);
	n = strlen(path);
	if (s->cg_events_fd < 0) {
		snprintf(path + n, sizeof path - n, "/cgroup.events");
		s->cg_events_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->cg_events_fd < 0)
			return -1;
		sup_watch_cgroup(sup, s);
	}
	snprintf(path + n, sizeof path - n, "/cgroup.freeze");
	if (fdio_write_file(AT_FDCWD, path, freeze ? "1" : "0") < 0)
		return -1;
	if (freeze) {
		s->paused_from = s->state;
		s->freezing = true;
	} else {
		s->freezing = false;
		service_set_state(sup, s, s->paused_from);
	}
	return 0;
}
