/* Runs in: the supervisor process: `brig supervise`, or PID 1 in init mode.
 * One thread, one epoll set: the signalfd, one timerfd armed for the
 * earliest deadline (a min-heap of jails), the control socket and its
 * clients, and per jail its output pipe, setup-report pipe and readiness
 * fd. Children are reaped on SIGCHLD and found through a pid hash, so an
 * event costs O(1) or O(log n) in the number of jails; nothing scans
 * every jail or /proc, and the loop allocates nothing. */
#include "supervisor.h"

#include "cgroup.h"
#include "fdio.h"
#include "jail.h"
#include "log.h"
#include "path.h"
#include "pid1.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAG SUP_TAG

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void ep_add(struct sup *sup, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	if (epoll_ctl(sup->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		log_msg(LOG_ERROR, "epoll_ctl add fd %d: %s", fd, strerror(errno));
}

/* Closes fd (if open) after taking it out of the epoll set. */
static void ep_close(struct sup *sup, int *fd)
{
	if (*fd < 0)
		return;
	epoll_ctl(sup->epfd, EPOLL_CTL_DEL, *fd, NULL);
	close(*fd);
	*fd = -1;
}

/* ---- pid → jail ---- */

static unsigned pid_slot(pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & (SUP_PIDHASH - 1);
}

static void pid_put(struct sup *sup, pid_t pid, int idx)
{
	unsigned i = pid_slot(pid);

	while (sup->pids[i].pid)
		i = (i + 1) & (SUP_PIDHASH - 1);
	sup->pids[i].pid = pid;
	sup->pids[i].idx = idx;
}

/* Removes pid and returns its jail index, or -1 (an orphan). Linear probing
 * with backward-shift deletion, so no tombstones accumulate. */
static int pid_take(struct sup *sup, pid_t pid)
{
	unsigned i = pid_slot(pid), j, k;
	int idx;

	while (sup->pids[i].pid && sup->pids[i].pid != pid)
		i = (i + 1) & (SUP_PIDHASH - 1);
	if (!sup->pids[i].pid)
		return -1;
	idx = sup->pids[i].idx;
	sup->pids[i].pid = 0;
	for (j = (i + 1) & (SUP_PIDHASH - 1); sup->pids[j].pid; j = (j + 1) & (SUP_PIDHASH - 1)) {
		k = pid_slot(sup->pids[j].pid);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		sup->pids[i] = sup->pids[j];
		sup->pids[j].pid = 0;
		i = j;
	}
	return idx;
}

/* ---- deadlines: a binary min-heap of jails ---- */

static void heap_swap(struct sup *sup, int a, int b)
{
	struct service *t = sup->heap[a];

	sup->heap[a] = sup->heap[b];
	sup->heap[b] = t;
	sup->heap[a]->heap_pos = a;
	sup->heap[b]->heap_pos = b;
}

static void heap_fix(struct sup *sup, int i)
{
	while (i > 0 && sup->heap[(i - 1) / 2]->deadline_ms > sup->heap[i]->deadline_ms) {
		heap_swap(sup, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < sup->nheap && sup->heap[l]->deadline_ms < sup->heap[m]->deadline_ms)
			m = l;
		if (r < sup->nheap && sup->heap[r]->deadline_ms < sup->heap[m]->deadline_ms)
			m = r;
		if (m == i)
			return;
		heap_swap(sup, i, m);
		i = m;
	}
}

void sup_deadline(struct sup *sup, struct service *s, uint64_t at_ms)
{
	int i = s->heap_pos;

	s->deadline_ms = at_ms;
	if (i >= 0 && !at_ms) {
		sup->nheap--;
		if (i != sup->nheap) {
			heap_swap(sup, i, sup->nheap);
			heap_fix(sup, i);
		}
		s->heap_pos = -1;
	} else if (i >= 0) {
		heap_fix(sup, i);
	} else if (at_ms) {
		s->heap_pos = sup->nheap;
		sup->heap[sup->nheap++] = s;
		heap_fix(sup, s->heap_pos);
	}
}

/* Arms the timerfd for the earliest jail or client deadline. */
static void arm_timer(struct sup *sup)
{
	struct itimerspec its = { 0 };
	uint64_t at = sup->nheap ? sup->heap[0]->deadline_ms : 0;
	int i;

	if (sup->watchdog_ms && (!at || sup->watchdog_ms < at))
		at = sup->watchdog_ms;
	SUP_EACH_CLIENT(sup, i, b)
		if (sup->cl[i].deadline_ms && (!at || sup->cl[i].deadline_ms < at))
			at = sup->cl[i].deadline_ms;
	if (at == sup->armed_ms)
		return;  /* already armed for it: no syscall per loop turn */
	sup->armed_ms = at;
	if (at) {
		its.it_value.tv_sec = (time_t)(at / 1000);
		its.it_value.tv_nsec = (long)(at % 1000) * 1000000;
	}
	timerfd_settime(sup->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_timer(struct sup *sup)
{
	uint64_t ticks;
	int i;

	(void)!read(sup->timerfd, &ticks, sizeof ticks);
	sup->armed_ms = 0;  /* it fired: one-shot, nothing is armed now */
	if (sup->watchdog_ms && sup->watchdog_ms <= sup->now)
		sup->watchdog_ms = pid1_watchdog_kick(sup->now);
	while (sup->nheap && sup->heap[0]->deadline_ms <= sup->now) {
		struct service *s = sup->heap[0];

		sup_deadline(sup, s, 0);
		service_timer(sup, s);
	}
	SUP_EACH_CLIENT(sup, i, b)
		if (sup->cl[i].deadline_ms && sup->cl[i].deadline_ms <= sup->now)
			control_close(sup, &sup->cl[i]);
}

/* ---- jail processes ---- */

void sup_cgroup_path(const struct sup *sup, const struct service *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sup->cgroup_root, s->cfg->name);
}

static void emit_echo(void *ctx, const char *line, size_t len);

/* The notify socket of a jail: STATE/notify/NAME, bound before the spawn so
 * the jail init can bind-mount it into the jail. Writable by any user (a
 * service's may be anyone): only this jail reaches it, notify/ is 0700. */
static int notify_socket(struct sup *sup, struct service *s, char *path, size_t len,
			 struct err *e)
{
	int dir, fd = -1;

	snprintf(path, len, "%s/notify", sup->state_dir);
	dir = path_open(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0700);
	if (dir >= 0)
		fd = path_bind_unix(dir, s->cfg->name, SOCK_DGRAM | SOCK_NONBLOCK, 0666);
	if (fd < 0)
		err_set(e, errno, "notify socket in %s", path);
	if (dir >= 0)
		close(dir);
	snprintf(path, len, "%s/notify/%s", sup->state_dir, s->cfg->name);
	return fd;
}

/* ---- network namespaces held across restarts (net.c) ---- */

/* The namespace s enters: its own, made at its first start and held until
 * it is at rest, or the one its jail:NAME holds; -1 in *fd: none. */
static int net_of(struct sup *sup, struct service *s, int *fd, struct err *e)
{
	const struct jail_cfg *c = s->cfg;
	struct service *n;

	if (c->net == NET_JAIL) {
		n = service_find(sup->svc, sup->nsvc, c->net_jail);
		if (!n || n->net.fd < 0)
			return err_set_at(e, c->line[K_NET_MODE], ESRCH,
					  "jail %s holds no network namespace", c->net_jail);
		*fd = n->net.fd;
		return 0;
	}
	if (net_needs_hold(c) && s->net.fd < 0 && net_hold(c, sup->state_dir, &s->net, e) < 0)
		return -1;
	*fd = s->net.fd;
	return 0;
}

void sup_net_release(struct sup *sup, struct service *s)
{
	net_release(s->cfg->name, sup->state_dir, &s->net);
}

int sup_spawn(struct sup *sup, struct service *s, struct err *e)
{
	struct jail *j = &sup->spawn;
	struct jail_opts o = { .cgroup_root = sup->cgroup_root, .state_dir = sup->state_dir,
			       .stdio_fd = -1, .ready_fd = -1, .netns_fd = -1 };
	char npath[PATH_MAX];
	int out[2], rdy[2] = { -1, -1 }, nfd = -1;

	/* The last run's pipe, if something outside the jail still held it. */
	if (s->out_fd >= 0) {
		logring_echo_flush(&s->echo, emit_echo, NULL);
		ep_close(sup, &s->out_fd);
	}
	if (pipe2(out, O_CLOEXEC) < 0)
		return err_set(e, errno, "pipe");
	if (s->cfg->ready == READY_FD && pipe2(rdy, O_CLOEXEC) < 0) {
		err_set(e, errno, "pipe");
		goto fail;
	}
	if (s->cfg->ready == READY_NOTIFY &&
	    (nfd = notify_socket(sup, s, npath, sizeof npath, e)) < 0)
		goto fail;
	o.stdio_fd = out[1];
	o.ready_fd = rdy[1];
	o.notify_path = nfd >= 0 ? npath : NULL;
	if (net_of(sup, s, &o.netns_fd, e) < 0 || jail_start(s->cfg, &o, j, e) < 0)
		goto fail;
	close(out[1]);
	if (rdy[1] >= 0)
		close(rdy[1]);
	if (j->cg.dirfd >= 0)
		close(j->cg.dirfd);
	j->cg.dirfd = -1;
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	s->pid = j->pid;
	s->out_fd = out[0];
	s->err_fd = j->errfd;
	s->ready_fd = rdy[0];
	s->notify_fd = nfd;
	s->exec_seen = false;
	s->failed_start = false;
	pid_put(sup, s->pid, s->idx);
	sup->nlive++;
	ep_add(sup, s->out_fd, EPOLLIN, TAG(T_OUT, s->idx));
	ep_add(sup, s->err_fd, EPOLLIN, TAG(T_ERR, s->idx));
	if (s->ready_fd >= 0)
		ep_add(sup, s->ready_fd, EPOLLIN, TAG(T_READY, s->idx));
	if (s->notify_fd >= 0)
		ep_add(sup, s->notify_fd, EPOLLIN, TAG(T_NOTIFY, s->idx));
	return 0;
fail:
	close(out[0]);
	close(out[1]);
	if (rdy[0] >= 0) {
		close(rdy[0]);
		close(rdy[1]);
	}
	if (nfd >= 0)
		close(nfd);
	return -1;
}

static void emit_echo(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	log_raw(line, len);
}

/* One read per wakeup: a flooding jail gets the same share of the loop as
 * any other, and waits in its own pipe, not in our memory. Returns false
 * when nothing more is there for now (empty, or closed). */
static bool on_output(struct sup *sup, struct service *s)
{
	char buf[4096];
	ssize_t n = read(s->out_fd, buf, sizeof buf);

	if (n > 0) {
		logring_append(&s->ring, buf, (size_t)n);
		if (s->cfg->log == LOGM_BUFFER)
			logring_echo_feed(&s->echo, buf, (size_t)n, emit_echo, NULL);
		control_log_grew(sup, s);
		return true;
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		logring_echo_flush(&s->echo, emit_echo, NULL);
		ep_close(sup, &s->out_fd);
	}
	return false;
}

/* The setup report: a whole struct err, or EOF once the service exec'd. */
static void on_setup_report(struct sup *sup, struct service *s)
{
	struct err e;
	ssize_t n = fdio_read_all(s->err_fd, &e, sizeof e);

	ep_close(sup, &s->err_fd);
	if (n == (ssize_t)sizeof e) {
		e.msg[sizeof e.msg - 1] = '\0';
		log_jail_err(s->cfg->name, s->cfg->file, &e);
		snprintf(s->reason, sizeof s->reason, "%.119s", e.msg);
		s->failed_start = true;
		return;
	}
	s->exec_seen = true;
	if (s->cfg->ready == READY_EXEC && s->cfg->type == JAIL_SERVICE)
		service_ready(sup, s);
}

/* ready = fd:N: a newline written by the service (the s6 protocol). */
static void on_ready_fd(struct sup *sup, struct service *s)
{
	char buf[64];
	ssize_t n = read(s->ready_fd, buf, sizeof buf);

	if (n > 0 && memchr(buf, '\n', (size_t)n)) {
		ep_close(sup, &s->ready_fd);
		service_ready(sup, s);
	} else if (n == 0) {
		ep_close(sup, &s->ready_fd);
	}
}

/* ready = notify: sd_notify datagrams. READY=1 and STATUS= are used;
 * everything else (MAINPID= included) is ignored. */
static void on_notify(struct sup *sup, struct service *s)
{
	char buf[1024];
	ssize_t n = recv(s->notify_fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	char *line, *save = NULL;
	bool ready = false;

	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "READY=1"))
			ready = true;
		else if (!strncmp(line, "STATUS=", 7))
			snprintf(s->status, sizeof s->status, "%.79s", line + 7);
	}
	if (ready && s->state == SVC_STARTING)
		service_ready(sup, s);
}

/* Kills whatever is left in the jail's cgroup and removes it; a cgroup
 * still populated is watched through cgroup.events and removed once empty. */
void sup_kill_cgroup(struct sup *sup, struct service *s)
{
	char path[PATH_MAX + 16];

	sup_cgroup_path(sup, s, path, sizeof path);
	strcat(path, "/cgroup.kill");
	if (fdio_write_file(AT_FDCWD, path, "1") < 0 && errno != ENOENT)
		log_msg(LOG_WARN, "jail %s: write %s: %s", s->cfg->name, path, strerror(errno));
}

/* oom_kill of the jail's memory.events; 0 without the memory controller. */
unsigned long long sup_oom_kills(const struct sup *sup, const struct service *s)
{
	char path[PATH_MAX + 32], buf[512], *p;

	sup_cgroup_path(sup, s, path, sizeof path);
	strcat(path, "/memory.events");
	if (fdio_read_file(AT_FDCWD, path, buf, sizeof buf) <= 0 || !(p = strstr(buf, "oom_kill ")))
		return 0;
	return strtoull(p + 9, NULL, 10);
}

static void remove_cgroup(struct sup *sup, struct service *s)
{
	char path[PATH_MAX + 16];

	sup_cgroup_path(sup, s, path, sizeof path);
	if (rmdir(path) == 0 || errno == ENOENT) {
		ep_close(sup, &s->cg_events_fd);
		if (s->cg_busy) {
			s->cg_busy = false;
			sup->nlive--;
		}
		return;
	}
	if (errno != EBUSY) {
		log_msg(LOG_WARN, "jail %s: rmdir %s: %s", s->cfg->name, path, strerror(errno));
		return;
	}
	if (!s->cg_busy) {
		s->cg_busy = true;
		sup->nlive++;
		sup_kill_cgroup(sup, s);
	}
	if (s->cg_events_fd < 0) {
		char ev[PATH_MAX + 32];

		snprintf(ev, sizeof ev, "%s/cgroup.events", path);
		s->cg_events_fd = open(ev, O_RDONLY | O_CLOEXEC);
		sup_watch_cgroup(sup, s);
	}
}

void sup_watch_cgroup(struct sup *sup, struct service *s)
{
	if (s->cg_events_fd >= 0)
		ep_add(sup, s->cg_events_fd, EPOLLPRI, TAG(T_CGEV, s->idx));
}

/* cgroup.events changed: frozen (pause) or no longer populated (cleanup). */
static void on_cgroup_events(struct sup *sup, struct service *s)
{
	char buf[256];
	ssize_t n = pread(s->cg_events_fd, buf, sizeof buf - 1, 0);

	if (n < 0)
		return;
	buf[n] = '\0';
	if (s->cg_busy && strstr(buf, "populated 0")) {
		remove_cgroup(sup, s);
		if (!s->cg_busy && s->remove && !s->pid)
			sup_free_slot(sup, s);
	} else if (s->freezing && strstr(buf, "frozen 1")) {
		s->freezing = false;
		service_set_state(sup, s, SVC_PAUSED);
		control_frozen(sup, s);
	}
}

/* Init mode: the [init] console command, a shell on the console while the
 * jails run (busybox inittab's respawn). One that dies within a second is
 * not restarted until the next reload: it would only spin. */
static void console_start(struct sup *sup)
{
	if (!sup->o.init_mode || !sup->console[0] || sup->console_pid > 0 || sup->stopping_all)
		return;
	sup->console_pid = pid1_shell_start(sup->console, "console");
	sup->console_ms = sup->now;
}

static void console_exited(struct sup *sup)
{
	sup->console_pid = 0;
	if (sup->now - sup->console_ms < 1000) {
		log_msg(LOG_ERROR, "console %s ended within a second; restarted by reload",
			sup->console[0]);
		return;
	}
	console_start(sup);
}

static void reap(struct sup *sup)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int idx = pid_take(sup, pid);
		struct service *s;

		if (idx < 0) {
			if (pid == sup->console_pid)
				console_exited(sup);
			continue;  /* else an orphan re-parented to us */
		}
		s = &sup->svc[idx];
		/* Output written just before the end is still in the pipe; a
		 * pipe some other process still holds is left to epoll. At most
		 * a pipe's worth (64 KiB), so one exit cannot hold the loop. */
		for (int k = 0; k < 16 && s->out_fd >= 0 && on_output(sup, s); k++)
			;
		if (s->err_fd >= 0)
			on_setup_report(sup, s);
		ep_close(sup, &s->ready_fd);
		ep_close(sup, &s->notify_fd);
		s->pid = 0;
		sup->nlive--;
		s->oom_kills += sup_oom_kills(sup, s);  /* the cgroup goes next */
		remove_cgroup(sup, s);
		jail_tidy(s->cfg, sup->state_dir, &sup->spawn);
		service_exited(sup, s, st);
	}
}

/* ---- signals ---- */

static void on_signal(struct sup *sup)
{
	struct signalfd_siginfo si;

	while (read(sup->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(sup);
			break;
		case SIGHUP:
			log_msg(LOG_INFO, "SIGHUP: reloading %s", sup->config_dir);
			sup_reload(sup);
			break;
		default:
			if (sup->o.init_mode) {
				enum sup_end end;

				if (pid1_signal_action((int)si.ssi_signo, &end) == PID1_SIG_SHUTDOWN)
					sup_shutdown(sup, end);
			} else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
				sup_shutdown(sup, SUP_END_EXIT);
			}
			break;
		}
	}
}

void sup_shutdown(struct sup *sup, enum sup_end end)
{
	int i;

	if (sup->stopping_all)
		return;
	sup->stopping_all = true;
	sup->end = end;
	log_msg(LOG_INFO, "stopping every jail");
	/* An interactive shell ignores TERM: the console hangs up instead,
	 * for its whole session. */
	if (sup->console_pid > 0)
		kill(-sup->console_pid, SIGHUP);
	/* Dependents stop first: service_stop holds a jail back until the
	 * jails that need it are down, so this yields reverse order. */
	for (i = 0; i < sup->nsvc; i++)
		if (sup->svc[i].cfg)
			service_stop(sup, &sup->svc[i]);
}

/* ---- slots, config, reload ---- */

struct service *service_find(struct service *svc, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (svc[i].cfg && !strcmp(svc[i].cfg->name, name))
			return &svc[i];
	return NULL;
}

/* Takes ownership of cfg. Allocates the ring: config load time only. */
static struct service *new_slot(struct sup *sup, struct jail_cfg *cfg)
{
	struct service *s = NULL;
	char *ring;
	int i;

	for (i = 0; i < sup->nsvc && !s; i++)
		if (!sup->svc[i].cfg)
			s = &sup->svc[i];
	if (!s && sup->nsvc < CFG_MAX_JAILS)
		s = &sup->svc[sup->nsvc++];
	ring = malloc(cfg->log_size);
	if (!s || !ring) {
		log_msg(LOG_ERROR, "jail %s: %s", cfg->name, s ? "out of memory" : "too many jails");
		free(ring);
		config_free(cfg);
		free(cfg);
		return NULL;
	}
	memset(s, 0, sizeof *s);
	s->idx = (int)(s - sup->svc);
	s->cfg = cfg;
	s->out_fd = s->err_fd = s->ready_fd = s->notify_fd = s->cg_events_fd = s->net.fd = -1;
	s->heap_pos = -1;
	s->last_status = -1;
	s->state = SVC_STOPPED;
	s->since_ms = sup->now;
	policy_from_cfg(cfg, &s->policy);
	logring_init(&s->ring, ring, cfg->log_size);
	logring_echo_init(&s->echo, cfg->name);
	return s;
}

void sup_free_slot(struct sup *sup, struct service *s)
{
	int i;

	SUP_EACH_CLIENT(sup, i, b)
		if (sup->cl[i].svc == s->idx)
			control_close(sup, &sup->cl[i]);
	sup_deadline(sup, s, 0);
	sup_net_release(sup, s);
	free(s->ring.buf);
	config_free(s->cfg);
	free(s->cfg);
	if (s->next_cfg) {
		config_free(s->next_cfg);
		free(s->next_cfg);
	}
	s->cfg = NULL;
	s->next_cfg = NULL;
}

/* Recomputes `after` indexes and the dependents bitmaps of every slot. */
static void link_deps(struct sup *sup)
{
	int i, a;

	for (i = 0; i < sup->nsvc; i++)
		memset(sup->svc[i].dependents, 0, sizeof sup->svc[i].dependents);
	for (i = 0; i < sup->nsvc; i++) {
		struct service *s = &sup->svc[i];
		struct jail_cfg *c = s->next_cfg ? s->next_cfg : s->cfg;

		s->ndeps = 0;
		if (!c)
			continue;
		for (a = 0; a < c->nafter; a++) {
			struct service *d = service_find(sup->svc, sup->nsvc, c->after[a]);

			if (!d)
				continue;
			s->deps[s->ndeps++] = d->idx;
			d->dependents[i / 64] |= 1ULL << (i % 64);
		}
	}
}

static void print_diag(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	(void)ctx;
	if (line > 0)
		log_msg(warning ? LOG_WARN : LOG_ERROR, "%s:%d: %s: %s", file, line,
			warning ? "warning" : "error", msg);
	else
		log_msg(warning ? LOG_WARN : LOG_ERROR, "%s: %s: %s", file,
			warning ? "warning" : "error", msg);
}

static bool was_broken(const struct config_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->nbroken; i++)
		if (!strcmp(set->broken[i], name))
			return true;
	return false;
}

/* SPEC 5.6: new files start, removed files stop, changed files restart,
 * unchanged jails are untouched, a broken file keeps its jail as it is. */
int sup_reload(struct sup *sup)
{
	struct diag d = { .emit = print_diag };
	struct config_set *set = calloc(1, sizeof *set);
	int i;

	if (!set) {
		log_msg(LOG_ERROR, "reload: out of memory");
		return -1;
	}
	config_load_dir(sup->config_dir, set, &d);
	net_bridges(&set->init);  /* before any jail starts; present ones are kept */
	if (sup->o.init_mode && set->init.console[0]) {
		for (i = 0; sup->console[i]; i++)
			free(sup->console[i]);
		memcpy(sup->console, set->init.console, sizeof sup->console);
		memset(set->init.console, 0, sizeof set->init.console);
	}
	for (i = 0; i < sup->nsvc; i++) {
		struct service *s = &sup->svc[i];
		int j;

		if (!s->cfg)
			continue;
		for (j = 0; j < set->njails && strcmp(set->jails[j]->name, s->cfg->name); j++)
			;
		if (j == set->njails && !was_broken(set, s->cfg->name)) {
			s->remove = true;
			service_stop(sup, s);
			if (!s->pid && !s->cg_busy)
				sup_free_slot(sup, s);
		}
	}
	/* New jails get their slots first and start only once every `after`
	 * is linked: a dependent whose file sorts first must still wait. */
	bool fresh[CFG_MAX_JAILS] = { false };

	for (i = 0; i < set->njails; i++) {
		struct jail_cfg *c = set->jails[i];
		struct service *s = service_find(sup->svc, sup->nsvc, c->name);

		set->jails[i] = NULL;
		if (s && config_equal(s->cfg, c)) {
			config_free(c);
			free(c);
		} else if (s) {
			if (s->next_cfg) {
				config_free(s->next_cfg);
				free(s->next_cfg);
			}
			s->next_cfg = c;
			log_msg(LOG_INFO, "jail %s: config changed, restarting", c->name);
			if (s->pid) {
				s->start_after_stop = true;
				service_stop(sup, s);
			} else if (s->state != SVC_STOPPED || c->autostart) {
				service_try_start(sup, s);
			}
		} else if ((s = new_slot(sup, c)) && c->autostart && !sup->stopping_all) {
			fresh[s->idx] = true;
		}
	}
	set->njails = 0;
	config_free_set(set);
	free(set);
	link_deps(sup);
	for (i = 0; i < sup->nsvc; i++)
		if (fresh[i] && sup->svc[i].cfg)
			service_try_start(sup, &sup->svc[i]);
	console_start(sup);
	return d.errors ? -1 : 0;
}

/* ---- setup and the loop ---- */

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
		log_msg(LOG_ERROR, "socket: %s", strerror(errno));
		return -1;
	}
	unlink(sup->socket_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(sa.sun_path, 0600) < 0 ||
	    listen(fd, 128) < 0) {
		log_msg(LOG_ERROR, "control socket %s: %s", sup->socket_path, strerror(errno));
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

static int setup(struct sup *sup, const struct sup_opts *o)
{
	sigset_t set;
	struct err e;

	sup->o = *o;
	snprintf(sup->state_dir, sizeof sup->state_dir, "%s", o->state_dir ? o->state_dir : "/run/brig");
	snprintf(sup->config_dir, sizeof sup->config_dir, "%s", o->config_dir ? o->config_dir : "/etc/brig");
	if (o->socket)
		snprintf(sup->socket_path, sizeof sup->socket_path, "%s", o->socket);
	else if (snprintf(sup->socket_path, sizeof sup->socket_path, "%s/control.sock",
			  sup->state_dir) >= (int)sizeof sup->socket_path)
		sup->socket_path[0] = '\0';
	if (o->cgroup_root) {
		snprintf(sup->cgroup_root, sizeof sup->cgroup_root, "%s", o->cgroup_root);
	} else if (cgroup_find_mount(sup->cgroup_root, sizeof sup->cgroup_root - 8, &e) < 0) {
		char buf[300];

		log_msg(LOG_ERROR, "cgroup2: %s", err_str(&e, buf, sizeof buf));
		return -1;
	} else {
		strcat(sup->cgroup_root, "/brig");
	}
	mkdir(sup->cgroup_root, 0755);
	mkdir_p(sup->state_dir);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGPWR);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigdelset(&set, SIGPIPE);
	sup->epfd = epoll_create1(EPOLL_CLOEXEC);
	sup->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	sup->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sup->epfd < 0 || sup->sigfd < 0 || sup->timerfd < 0) {
		log_msg(LOG_ERROR, "epoll/signalfd/timerfd: %s", strerror(errno));
		return -1;
	}
	ep_add(sup, sup->sigfd, EPOLLIN, TAG(T_SIGNAL, 0));
	ep_add(sup, sup->timerfd, EPOLLIN, TAG(T_TIMER, 0));
	sup->lfd = open_socket(sup);
	if (sup->lfd >= 0)
		ep_add(sup, sup->lfd, EPOLLIN, TAG(T_LISTEN, 0));
	else if (!o->init_mode)
		return -1;
	if (!o->init_mode && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_msg(LOG_WARN, "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	return 0;
}

static void dispatch(struct sup *sup, uint64_t tag, uint32_t events)
{
	unsigned idx = (uint32_t)tag;
	struct service *s = idx < CFG_MAX_JAILS ? &sup->svc[idx] : NULL;

	switch ((enum sup_tag)(tag >> 32)) {
	case T_SIGNAL:
		on_signal(sup);
		break;
	case T_TIMER:
		on_timer(sup);
		break;
	case T_LISTEN:
		control_accept(sup);
		break;
	case T_CLIENT:
		if (idx < SUP_MAX_CLIENTS && sup->cl[idx].phase != CL_FREE)
			control_event(sup, &sup->cl[idx], events);
		break;
	case T_OUT:
		if (s && s->out_fd >= 0)
			on_output(sup, s);
		break;
	case T_ERR:
		if (s && s->err_fd >= 0)
			on_setup_report(sup, s);
		break;
	case T_READY:
		if (s && s->ready_fd >= 0)
			on_ready_fd(sup, s);
		break;
	case T_NOTIFY:
		if (s && s->notify_fd >= 0)
			on_notify(sup, s);
		break;
	case T_CGEV:
		if (s && s->cg_events_fd >= 0)
			on_cgroup_events(sup, s);
		break;
	}
}

enum sup_end supervisor_run(const struct sup_opts *o)
{
	struct sup *sup = calloc(1, sizeof *sup);
	struct epoll_event ev[32];
	int i, n;

	if (!sup) {
		log_msg(LOG_ERROR, "out of memory");
		return SUP_END_EXIT;
	}
	sup->now = now_ms();
	if (setup(sup, o) < 0)
		return SUP_END_EXIT;
	if (o->init_mode)
		sup->watchdog_ms = pid1_watchdog_kick(sup->now);
	log_msg(LOG_INFO, "supervising %s (socket %s, cgroups %s)", sup->config_dir,
		sup->socket_path, sup->cgroup_root);
	sup_reload(sup);
	for (;;) {
		if (sup->stopping_all && sup->nlive == 0)
			break;
		arm_timer(sup);
		n = epoll_wait(sup->epfd, ev, 32, -1);
		sup->now = now_ms();
		if (n < 0 && errno != EINTR) {
			log_msg(LOG_ERROR, "epoll_wait: %s", strerror(errno));
			continue;
		}
		for (i = 0; i < n; i++)
			dispatch(sup, ev[i].data.u64, ev[i].events);
	}
	log_msg(LOG_INFO, "every jail stopped");
	SUP_EACH_CLIENT(sup, i, b)
		control_close(sup, &sup->cl[i]);
	if (sup->lfd >= 0)
		unlink(sup->socket_path);
	return sup->end;
}

static const char supervise_usage[] =
	"usage: brig supervise [--config-dir DIR] [--socket PATH] [--cgroup-root DIR]\n"
	"                      [--state-dir DIR]\n"
	"Supervise the jails of DIR/jails/*.ini in the foreground. SIGTERM/SIGINT stop\n"
	"every jail and exit 0; SIGHUP reloads.\n";

int supervisor_main(int argc, char **argv)
{
	struct sup_opts o = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		const char **dst = !strcmp(argv[i], "--config-dir")    ? &o.config_dir
				   : !strcmp(argv[i], "--socket")      ? &o.socket
				   : !strcmp(argv[i], "--cgroup-root") ? &o.cgroup_root
				   : !strcmp(argv[i], "--state-dir")   ? &o.state_dir
								       : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(supervise_usage, stdout);
			return 0;
		}
		if (!dst || i + 1 >= argc) {
			fputs(supervise_usage, stderr);
			return 2;
		}
		*dst = argv[++i];
	}
	if (!o.socket)
		o.socket = getenv("BRIG_SOCKET");
	log_init(2, 0);
	return supervisor_run(&o) == SUP_END_EXIT ? 0 : 1;
}
