/* Runs in: the supervisor. One jail's process and fds: the spawn, its
 * output (read here and nowhere else: a jail init that echoes its own
 * output later replaces this section alone), the setup report, readiness,
 * its cgroup (kill, freeze, cgroup.events) and the reaping. Each turns a
 * kernel event into one event for the jail's machine. */
#include "supervisor.h"

#include "cgstat.h"
#include "fdio.h"
#include "log.h"
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAG SUP_TAG

/* ---- output ---- */

/* A jail's console lines: at most SUP_ECHO_LINES a second; the rest are
 * counted, and a line of brig's says how many were not shown at the jail's
 * first output of a later second, or when its output ends. */
static void echo_note(struct service *s)
{
	if (s->echo_hidden)
		log_msg(LOG_INFO, "jail %s: %llu lines not shown (over 100 a second)", s->cfg->name,
			(unsigned long long)s->echo_hidden);
	s->echo_hidden = 0;
}

static void echo_refill(struct service *s, uint64_t now)
{
	if (now - s->echo_ms < 1000)
		return;
	echo_note(s);
	s->echo_left = SUP_ECHO_LINES;
	s->echo_ms = now;
}

static void emit_echo(void *ctx, const char *line, size_t len)
{
	struct service *s = ctx;

	if (s->echo_left) {
		s->echo_left--;
		log_raw(line, len);
	} else {
		s->echo_hidden++;
	}
}

static void output_closed(struct sup *sup, struct service *s)
{
	logring_echo_flush(&s->echo, emit_echo, s);
	echo_note(s);
	sup_ep_close(sup, &s->out_fd);
}

/* One read of up to 64 KiB per wakeup: a flooding jail gets the same share
 * of the loop as any other, and waits in its own pipe, not in our memory.
 * Past its console budget its lines are only counted, and the line
 * splitter skips what it holds. Returns false when nothing more is there
 * for now (empty, or closed). */
__attribute__((noinline)) static bool on_output(struct sup *sup, struct service *s)
{
	char buf[65536];
	ssize_t n = read(s->out_fd, buf, sizeof buf);
	struct timespec ts;
	const char *p, *end;

	if (n > 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		logring_append_at(&s->ring, buf, (size_t)n,
				  (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
		echo_refill(s, sup->now);
		if (s->cfg->log == LOGM_BUFFER && s->echo_left) {
			logring_echo_feed(&s->echo, buf, (size_t)n, emit_echo, s);
		} else if (s->cfg->log == LOGM_BUFFER) {
			for (p = buf, end = buf + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
				s->echo_hidden++;
			s->echo.len = s->echo.prefix;
		}
		sup->changed[s->idx / 64] |= 1ULL << (s->idx % 64);
		return true;
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		output_closed(sup, s);
	return false;
}

/* ---- the spawn ---- */

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
		err_sys(e, "notify socket in %s", path);
	if (dir >= 0)
		close(dir);
	snprintf(path, len, "%s/notify/%s", sup->state_dir, s->cfg->name);
	return fd;
}

static void watch(struct sup *sup, struct service *s)
{
	sup_ep_add(sup, s->out_fd, EPOLLIN, TAG(T_OUT, s->idx));
	sup_ep_add(sup, s->err_fd, EPOLLIN, TAG(T_ERR, s->idx));
	if (s->ready_fd >= 0)
		sup_ep_add(sup, s->ready_fd, EPOLLIN, TAG(T_READY, s->idx));
	if (s->notify_fd >= 0)
		sup_ep_add(sup, s->notify_fd, EPOLLIN, TAG(T_NOTIFY, s->idx));
}

/* ---- network namespaces held across restarts (net.c) ---- */

/* The namespace s enters: its own, made at its first spawn and held until
 * FX_RELEASE, or the one its jail:NAME holds; -1 in *fd: none. */
static int net_of(struct sup *sup, struct service *s, int *fd, struct err *e)
{
	const struct jail_cfg *c = s->cfg;
	struct service *n;

	if (c->net == NET_JAIL) {
		n = sup_find(sup, c->net_jail);
		if (!n || n->net.fd < 0)
			return err_set_at(e, c->line[K_NET_MODE], ESRCH,
					  "jail %s holds no network namespace (mode none or veth)",
					  c->net_jail);
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
	if (s->cfg)
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
	if (s->out_fd >= 0)
		output_closed(sup, s);
	if (pipe2(out, O_CLOEXEC) < 0)
		return err_sys(e, "pipe");
	if (s->cfg->ready == READY_FD && pipe2(rdy, O_CLOEXEC) < 0) {
		err_sys(e, "pipe");
		goto fail;
	}
	if (s->cfg->ready == READY_NOTIFY &&
	    (nfd = notify_socket(sup, s, npath, sizeof npath, e)) < 0)
		goto fail;
	o.stdio_fd = out[1];
	o.ready_fd = rdy[1];
	o.notify_path = nfd >= 0 ? npath : NULL;
	o.control_path = s->cfg->control != CONTROL_NO ? sup->socket_path : NULL;
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
	/* The supervisor may run above the default priority (init mode): its
	 * jails do not. */
	setpriority(PRIO_PROCESS, (id_t)s->pid, 0);
	s->out_fd = out[0];
	s->err_fd = j->errfd;
	s->ready_fd = rdy[0];
	s->ready_junk = 0;
	s->notify_fd = nfd;
	if (pidhash_put(&sup->pids, s->pid, s->idx) < 0)
		log_msg(LOG_ERROR, "%s: pid %d: internal error: pid table", s->cfg->name,
			(int)s->pid);
	sup->nlive++;
	watch(sup, s);
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

/* ---- the setup report and readiness ---- */

/* A whole struct err, or EOF once the service exec'd. */
static void on_setup_report(struct sup *sup, struct service *s)
{
	struct err e;
	ssize_t n = fdio_read_all(s->err_fd, &e, sizeof e);

	sup_ep_close(sup, &s->err_fd);
	if (s->in_setup) {
		s->in_setup = false;
		sup->in_setup--;
	}
	if (n == (ssize_t)sizeof e) {
		e.msg[sizeof e.msg - 1] = '\0';
		sup_jail_error(s, &e);
		err_str(&e, s->reason, sizeof s->reason);
		sup_feed(sup, s, EV_SETUP_FAILED, 0);
		return;
	}
	sup_feed(sup, s, EV_EXEC, 0);
}

/* ready = fd:N: a newline written by the service (the s6 protocol). */
static void on_ready_fd(struct sup *sup, struct service *s)
{
	char buf[4096];
	ssize_t n = read(s->ready_fd, buf, sizeof buf);

	if (n > 0 && memchr(buf, '\n', (size_t)n)) {
		sup_ep_close(sup, &s->ready_fd);
		sup_feed(sup, s, EV_READY, 0);
	} else if (n == 0 || (n > 0 && (s->ready_junk += (size_t)n) > SUP_READY_JUNK)) {
		/* A flood without a newline is not the protocol: the fd is
		 * closed, the jail becomes ready never (its ready_timeout). */
		if (n > 0)
			log_msg(LOG_WARN, "jail %s: ready fd: 4 KiB without a newline; closed",
				s->cfg->name);
		sup_ep_close(sup, &s->ready_fd);
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
	if (ready)
		sup_feed(sup, s, EV_READY, 0);
}

/* ---- the cgroup ---- */

static int cg_write(const struct sup *sup, const struct service *s, const char *file,
		    const char *v)
{
	char path[PATH_MAX + 32];

	sup_cgroup_path(sup, s, path, sizeof path);
	strcat(path, file);
	if (fdio_write_file(AT_FDCWD, path, v) == 0 || errno == ENOENT)
		return 0;
	log_msg(LOG_WARN, "jail %s: write %s: %m", s->cfg->name, path);
	return -1;
}

/* Every process of the jail; the jail init too, should cgroup.kill fail. */
void sup_kill_cgroup(struct sup *sup, struct service *s)
{
	if (cg_write(sup, s, "/cgroup.kill", "1") < 0 && s->pid > 0)
		kill(s->pid, SIGKILL);
}

static void watch_events(struct sup *sup, struct service *s)
{
	char path[PATH_MAX + 32];

	if (s->cg_events_fd >= 0)
		return;
	sup_cgroup_path(sup, s, path, sizeof path);
	strcat(path, "/cgroup.events");
	s->cg_events_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->cg_events_fd >= 0)
		sup_ep_add(sup, s->cg_events_fd, EPOLLPRI, TAG(T_CGEV, s->idx));
}

/* Freezing completes when cgroup.events says "frozen 1" (EV_FROZEN). */
void sup_freeze(struct sup *sup, struct service *s, bool freeze)
{
	watch_events(sup, s);
	cg_write(sup, s, "/cgroup.freeze", freeze ? "1" : "0");
	if (freeze && s->cg_events_fd < 0)
		sup_feed(sup, s, EV_FROZEN, 0);  /* nothing to watch: take it as done */
}

/* oom_kill of the jail's memory.events; 0 without the memory controller. */
unsigned long long sup_oom_kills(const struct sup *sup, const struct service *s)
{
	char path[PATH_MAX + 32];
	unsigned long long n;

	sup_cgroup_path(sup, s, path, sizeof path);
	return cgstat_read(path, "memory.events", "oom_kill", &n) < 0 ? 0 : n;
}

/* Removes the jail's cgroup; one still populated is killed, watched through
 * cgroup.events and removed once empty, never waited for here. */
static void remove_cgroup(struct sup *sup, struct service *s)
{
	char path[PATH_MAX + 16];

	sup_cgroup_path(sup, s, path, sizeof path);
	if (rmdir(path) == 0 || errno == ENOENT) {
		sup_ep_close(sup, &s->cg_events_fd);
		if (s->cg_busy) {
			s->cg_busy = false;
			sup->nlive--;
		}
		return;
	}
	if (errno != EBUSY) {
		log_msg(LOG_WARN, "jail %s: rmdir %s: %m", s->cfg->name, path);
		return;
	}
	if (!s->cg_busy) {
		s->cg_busy = true;
		sup->nlive++;
		sup_kill_cgroup(sup, s);
	}
	watch_events(sup, s);
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
		if (!s->cg_busy)
			sup_feed(sup, s, EV_DEP, 0);  /* may free a removed jail's slot */
	} else if (s->m.freezing && strstr(buf, "frozen 1")) {
		sup_feed(sup, s, EV_FROZEN, 0);
	}
}

void sup_jail_event(struct sup *sup, struct service *s, enum sup_tag kind)
{
	if (kind == T_OUT && s->out_fd >= 0)
		on_output(sup, s);
	else if (kind == T_ERR && s->err_fd >= 0)
		on_setup_report(sup, s);
	else if (kind == T_READY && s->ready_fd >= 0)
		on_ready_fd(sup, s);
	else if (kind == T_NOTIFY && s->notify_fd >= 0)
		on_notify(sup, s);
	else if (kind == T_CGEV && s->cg_events_fd >= 0)
		on_cgroup_events(sup, s);
}

/* ---- reaping ---- */

void sup_reap(struct sup *sup)
{
	pid_t pid;
	int st, idx, k;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct service *s;

		if ((idx = pidhash_take(&sup->pids, pid)) < 0) {
			sup_orphan(sup, pid);
			continue;  /* else an orphan re-parented to us */
		}
		s = &sup->svc[idx];
		/* Output written just before the end is still in the pipe; a
		 * pipe some other process still holds is left to epoll. At most
		 * 16 reads of 64 KiB, so one exit cannot hold the loop for long. */
		for (k = 0; k < 16 && s->out_fd >= 0 && on_output(sup, s); k++)
			;
		if (s->err_fd >= 0)
			on_setup_report(sup, s);
		sup_ep_close(sup, &s->ready_fd);
		sup_ep_close(sup, &s->notify_fd);
		s->pid = 0;
		sup->nlive--;
		s->oom_kills += sup_oom_kills(sup, s);  /* the cgroup goes next */
		remove_cgroup(sup, s);
		jail_tidy(s->cfg, sup->state_dir, &sup->spawn);
		sup_feed(sup, s, EV_EXITED, st);
	}
	if (pid < 0 && errno != ECHILD)
		log_msg(LOG_WARN, "waitpid: %m");
}
