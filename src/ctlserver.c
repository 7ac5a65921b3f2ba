/* Runs in: the supervisor. The server side of the control socket. Clients
 * are untrusted: every request is bounded in size (4 KiB) and time (5 s to
 * send it, 30 s to take the reply), at most 32 are served at once, and
 * only a peer that peer_allowed() accepts is served. A command that waits
 * for its outcome (stop, start, restart, pause) is answered after the loop
 * turn in which its jail reached it; nothing here ever blocks the loop. */
#include "ctlserver.h"

#include "cgstat.h"
#include "control.h"
#include "ctlpeer.h"
#include "esc.h"
#include "fdio.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CLIENTS 32
/* `logs -f` clients at once: the other slots stay for everything else, so
 * stop, poweroff and status get through whatever the followers do. */
#define MAX_FOLLOWERS 8
#define OUTBUF 16384
#define REQUEST_MS 5000
#define REPLY_MS 30000

enum client_phase {
	CL_FREE,     /* slot unused */
	CL_REQUEST,  /* reading the request */
	CL_REPLY,    /* writing; closes when flushed and nothing more to generate */
	CL_FOLLOW,   /* `logs -f`: writes as the jail's ring grows */
	CL_WAIT,     /* waits for its jail to reach the command's outcome */
};

enum client_reply {
	REPLY_FRAMES,  /* only the frames already queued */
	REPLY_STATUS,  /* status lines generated as the buffer drains */
	REPLY_LOGS,    /* the jail's ring from cursor on */
};

enum client_want {
	WANT_FROZEN,   /* pause */
	WANT_DOWN,     /* stop */
	WANT_UP,       /* start, restart */
};

struct client {
	enum client_phase phase;
	enum client_reply reply;
	enum client_want want;
	bool done;             /* everything generated: the exit frame goes next */
	bool closing;          /* exit frame queued: close once flushed */
	bool json;
	bool times;            /* logs -t: each line after its arrival time */
	bool sol;              /* logs -t: the cursor is at the start of a line */
	int fd;
	int8_t grant;          /* enum control_grant: CONTROL_FULL for the host */
	int16_t from;          /* the peer's jail (a slot), -1: the host */
	uint64_t deadline_ms;  /* request complete, or reply taken, by then; 0: none */
	size_t inlen;
	size_t outlen, outpos;
	int svc;               /* jail the command is about, -1 */
	unsigned gen;          /* ... while its slot has this generation */
	unsigned rests;        /* its machine's rests when the command came */
	int row;               /* status: 0 before the header, then 1 + next jail */
	uint64_t cursor;       /* logs: ring offset; status: jails printed */
	int exit_code;         /* sent once everything else is out */
	char in[CONTROL_MAX_REQUEST];  /* last: a new client clears what lies before */
	char out[OUTBUF];
};

/* The loop and its clients, in one allocation. */
struct server {
	struct sup sup;
	struct client cl[MAX_CLIENTS];  /* 20 KiB each: touched only while in use */
	uint32_t used;                  /* bit i: cl[i] is not CL_FREE */
	const char *jails_cg;           /* the jails' cgroups as /proc/PID/cgroup names them
					 * (cgroup_root below the cgroup2 mount); NULL: unknown */
	char mount[PATH_MAX];
};

#define EACH_CLIENT(srv, i, bits)                                                      \
	for (uint32_t bits = (srv)->used; bits && ((i) = __builtin_ctz(bits), 1); \
	     bits &= bits - 1)

/* ---- output ---- */

static void set_events(struct server *srv, struct client *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.u64 = SUP_TAG(T_CLIENT, c - srv->cl) };

	epoll_ctl(srv->sup.epfd, EPOLL_CTL_MOD, c->fd, &e);
}

static size_t room(const struct client *c)
{
	return sizeof c->out - c->outlen;
}

/* Appends one frame; false when it does not fit (the caller retries later). */
static bool frame(struct client *c, char type, const void *data, size_t len)
{
	if (room(c) < CONTROL_FRAME_HDR + len)
		return false;
	control_frame_hdr((unsigned char *)c->out + c->outlen, type, len);
	memcpy(c->out + c->outlen + CONTROL_FRAME_HDR, data, len);
	c->outlen += CONTROL_FRAME_HDR + len;
	return true;
}

__attribute__((format(printf, 3, 4))) static bool say(struct client *c, char type,
						      const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	return frame(c, type, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void finish(struct client *c, int code)
{
	c->exit_code = code;
	c->done = true;
	c->phase = CL_REPLY;
}

/* ---- status ---- */

static void read_cg(const struct sup *sup, const struct service *s, const char *file, char *out,
		    size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t n;

	sup_cgroup_path(sup, s, path, sizeof path);
	strcat(path, "/");
	strcat(path, file);
	n = s->pid ? fdio_read_file(AT_FDCWD, path, out, len) : -1;
	if (n <= 0) {
		snprintf(out, len, "-");
		return;
	}
	out[strcspn(out, "\n")] = '\0';
}

static void last_exit(const struct service *s, char *out, size_t len)
{
	if (s->m.last_status < 0)
		snprintf(out, len, "-");
	else
		sup_exit_text(s->m.last_status, out, len);
	if (!strncmp(out, "killed by ", 10) && !strstr(out, "(seccomp)"))
		memmove(out + 7, out + 10, strlen(out + 10) + 1);  /* "killed SIGX" */
}

/* ---- status text: durations with units, memory and CPU where the
 * cgroup has them (cgstat.c), no empty lines ---- */
static void cg_value(const struct sup *sup, const struct service *s, const char *file,
		     const char *key, char *out, size_t len)
{
	char path[PATH_MAX + 16];
	unsigned long long v;

	sup_cgroup_path(sup, s, path, sizeof path);
	if (!s->pid || cgstat_read(path, file, key, &v) < 0)
		snprintf(out, len, "-");
	else if (key)
		cgstat_cpu_time(out, len, v);
	else
		cgstat_size(out, len, v);
}

static bool status_row(struct sup *sup, struct client *c, struct service *s,
		       unsigned long long since, const char *ex, const char *info)
{
	char dur[32], mem[16], cpu[24];

	cgstat_duration(dur, sizeof dur, since);
	cg_value(sup, s, "memory.current", NULL, mem, sizeof mem);
	cg_value(sup, s, "cpu.stat", "usage_usec", cpu, sizeof cpu);
	return say(c, 'o', "%-20s %-9s %7d %8u %9s %7s %9s  %-18s %s\n", s->cfg->name,
		   machine_state_name(s->m.state), (int)s->pid, s->m.restarts, dur, mem, cpu, ex,
		   info);
}

/* "KEY: VALUE\n", or nothing when value is empty. */
static const char *opt_line(char *out, size_t len, const char *key, const char *value)
{
	out[0] = '\0';
	if (value[0])
		snprintf(out, len, "%s: %s\n", key, value);
	return out;
}

static bool status_one(struct sup *sup, struct client *c, struct service *s, bool table)
{
	char cg[PATH_MAX + 16], mem[32], pids[32], ex[48], st[480], rs[800], why[200], dur[32];
	char line[2][820];
	unsigned long long since = (sup->now - s->m.since_ms) / 1000;
	unsigned long long oom = s->oom_kills + (s->pid ? sup_oom_kills(sup, s) : 0);
	const char *state = machine_state_name(s->m.state);
	enum esc_mode m = c->json ? ESC_JSON : ESC_LINE;
	/* The network it is in: a jail:NAME jail shows NAME's. */
	struct service *n = s->cfg->net != NET_JAIL ? s : sup_find(sup, s->cfg->net_jail);
	const char *addr = n && n->cfg->address ? n->cfg->address : "";
	const char *hif = n ? n->net.host_if : "";
	char na[CFG_MAX_ADDRS * 44 + 12], nh[32];

	last_exit(s, ex, sizeof ex);
	sup_reason(sup, s, why, sizeof why);
	/* STATUS= is the service's text and a reason may quote a path: escaped
	 * for a terminal, valid UTF-8 for JSON (esc.h). */
	esc_str(st, sizeof st, s->status, m);
	esc_str(rs, sizeof rs, why, m);
	if (table)
		return status_row(sup, c, s, since, ex, st[0] ? st : rs);
	sup_cgroup_path(sup, s, cg, sizeof cg);
	read_cg(sup, s, "memory.current", mem, sizeof mem);
	read_cg(sup, s, "pids.current", pids, sizeof pids);
	cgstat_duration(dur, sizeof dur, since);
	if (!c->json)
		return say(c, 'o',
			   "name: %s\nstate: %s\npid: %d\nrestarts: %u\nlast_exit: %s\n"
			   "since: %s\ncgroup: %s\nmemory.current: %s\npids.current: %s\n"
			   "oom_kills: %llu\n%s%s%s%s",
			   s->cfg->name, state, (int)s->pid, s->m.restarts, ex, dur, cg, mem,
			   pids, oom, opt_line(line[0], sizeof line[0], "status", st),
			   opt_line(line[1], sizeof line[1], "reason", rs),
			   opt_line(na, sizeof na, "address", addr),
			   opt_line(nh, sizeof nh, "host_if", hif));
#define NUM(v) (strcmp(v, "-") ? v : "null")
	return say(c, 'o',
		   "{\"name\":\"%s\",\"state\":\"%s\",\"pid\":%d,\"restarts\":%u,"
		   "\"last_exit\":\"%s\",\"since\":%llu,\"cgroup\":\"%s\",\"memory.current\":%s,"
		   "\"pids.current\":%s,\"oom_kills\":%llu,\"status\":\"%s\",\"reason\":\"%s\","
		   "\"address\":\"%s\",\"host_if\":\"%s\"}",
		   s->cfg->name, state, (int)s->pid, s->m.restarts, ex, since, cg, NUM(mem),
		   NUM(pids), oom, st, rs, addr, hif);
#undef NUM
}

/* Prints jails from c->row on while the buffer has room. */
static void gen_status(struct sup *sup, struct client *c)
{
	if (c->row == 0 && c->svc < 0 && !c->json &&
	    !say(c, 'o', "%-20s %-9s %7s %8s %9s %7s %9s  %-18s %s\n", "NAME", "STATE", "PID",
		 "RESTARTS", "SINCE", "MEM", "CPU", "LAST_EXIT", "INFO"))
		return;
	if (c->row == 0 && c->svc < 0 && c->json && !frame(c, 'o', "[", 1))
		return;
	if (c->row == 0)
		c->row = 1;
	for (; c->row - 1 < sup->nsvc; c->row++) {
		struct service *s = &sup->svc[c->row - 1];
		bool first = c->cursor == 0;  /* cursor counts the jails printed */

		if (!s->cfg || (c->svc >= 0 && s->idx != c->svc))
			continue;
		if (c->json && c->svc < 0 && !first && !frame(c, 'o', ",", 1))
			return;
		if (!status_one(sup, c, s, c->svc < 0 && !c->json)) {
			if (c->json && c->svc < 0 && !first)
				c->outlen -= CONTROL_FRAME_HDR + 1;  /* take the comma back */
			return;
		}
		c->cursor++;
	}
	if (c->json && !frame(c, 'o', c->svc < 0 ? "]\n" : "\n", c->svc < 0 ? 2 : 1))
		return;
	c->done = true;
}

/* ---- logs ---- */

/* The ring from the cursor on; with -t one line per frame, after its time. */
static void gen_logs(struct sup *sup, struct client *c)
{
	struct service *s = &sup->svc[c->svc];
	char buf[4096 + 32], *nl, *p = buf + 32;
	uint64_t lost;
	size_t n, max;

	while (s->cfg && s->gen == c->gen && room(c) > CONTROL_FRAME_HDR + 64) {
		max = room(c) - CONTROL_FRAME_HDR - 32;
		n = logring_read(&s->ring, &c->cursor, p, max < 4096 ? max : 4096, &lost);
		if (!n)
			break;
		if (!c->times) {
			frame(c, 'o', p, n);
			continue;
		}
		if (lost)
			c->sol = false;  /* fell behind: the tail may be inside a line */
		if ((nl = memchr(p, '\n', n))) {
			c->cursor -= n - (size_t)(nl + 1 - p);
			n = (size_t)(nl + 1 - p);
		}
		if (c->sol) {
			logring_time_text(p - 25, logring_time(&s->ring, c->cursor - n));
			frame(c, 'o', p - 25, n + 25);
		} else {
			frame(c, 'o', p, n);
		}
		c->sol = nl != NULL;
	}
	if (c->phase != CL_FOLLOW)
		c->done = true;
}

/* ---- commands that wait ---- */

/* 0 or 1 when the jail reached the command's outcome (its line said), -1
 * while it has not. */
static int outcome(struct sup *sup, struct client *c, struct service *s)
{
	const char *n = s->cfg->name, *st = machine_state_name(s->m.state);
	bool rest = s->m.state == JS_STOPPED || s->m.state == JS_FAILED || s->m.state == JS_DONE;
	char why[200];

	sup_reason(sup, s, why, sizeof why);
	switch (c->want) {
	case WANT_FROZEN:
		if (s->m.state == JS_PAUSED)
			return 0;
		if (s->m.freezing)
			return -1;
		say(c, 'e', "brig: pause: %s is %s\n", n, st);
		return 1;
	case WANT_DOWN:
		if (!rest && s->m.rests == c->rests)
			return -1;
		say(c, 'o', "%s: %s%s\n", n, st,
		    s->m.killed ? " (killed by SIGKILL after stop_timeout)" : "");
		return 0;
	case WANT_UP:
		if (machine_satisfies(&s->m) || s->m.state == JS_PAUSED) {
			say(c, 'o', "%s: %s\n", n, st);
			return 0;
		}
		if (s->m.state == JS_STARTING || s->m.state == JS_STOPPING ||
		    (s->m.state == JS_WAITING && !sup_stuck(sup, s)))
			return -1;
		if (s->m.state == JS_BACKOFF)
			last_exit(s, why, sizeof why);
		say(c, 'o', "%s: %s%s%s\n", n, st, why[0] ? ": " : "", why);
		return 1;
	}
	return 1;
}

/* After a loop turn: waiting commands that reached their outcome are
 * answered, followers of a grown log wake, expired clients go. */
static void after_turn(struct server *srv)
{
	struct sup *sup = &srv->sup;
	int i, rc;

	EACH_CLIENT(srv, i, b) {
		struct client *c = &srv->cl[i];
		struct service *s = c->svc >= 0 ? &sup->svc[c->svc] : NULL;
		bool gone = s && (!s->cfg || s->gen != c->gen);
		bool changed = s && (sup->changed[c->svc / 64] >> (c->svc % 64) & 1);

		if (c->phase == CL_WAIT && gone) {
			say(c, 'e', "brig: the jail was removed\n");
			finish(c, 1);
			set_events(srv, c, EPOLLOUT);
		} else if (c->phase == CL_WAIT && changed && (rc = outcome(sup, c, s)) >= 0) {
			finish(c, rc);
			set_events(srv, c, EPOLLOUT);
		} else if (c->phase == CL_FOLLOW && (changed || gone)) {
			set_events(srv, c, EPOLLOUT);
		}
	}
	memset(sup->changed, 0, sizeof sup->changed);
}

/* ---- commands ---- */

static struct service *named(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s;

	if (n < 2) {
		say(c, 'e', "brig: %s: missing jail name\n", w[0]);
		finish(c, 2);
		return NULL;
	}
	s = sup_find(sup, w[1]);
	if (!s) {
		say(c, 'e', "brig: %s: no jail named '%s'\n", w[0], w[1]);
		finish(c, 1);
		return NULL;
	}
	c->svc = s->idx;
	c->gen = s->gen;
	return s;
}

/* A command the jail's state refuses: exit 1, saying its state. */
static void refused(struct sup *sup, struct client *c, const char *cmd, struct service *s)
{
	say(c, 'e', "brig: %s: %s is %s%s\n", cmd, s->cfg->name, machine_state_name(s->m.state),
	    sup->stopping_all ? " (shutting down)" : "");
	finish(c, 1);
}

/* Runs the command on the jail, then answers now or once it is done. */
static void command_wait(struct sup *sup, struct client *c, struct service *s, enum jail_ev ev,
			 enum client_want want, bool wait)
{
	int rc;

	c->rests = s->m.rests;
	if (!sup_command(sup, s, ev, 0))
		return refused(sup, c, "command", s);
	c->want = want;
	if (!wait)
		finish(c, 0);
	else if ((rc = outcome(sup, c, s)) >= 0)
		finish(c, rc);
	else
		c->phase = CL_WAIT;  /* until after_turn() sees the outcome */
}

static void cmd_lifecycle(struct sup *sup, struct client *c, char **w, int n)
{
	bool wait = true;
	struct service *s;
	int i, k;

	for (i = k = 0; i < n; i++)
		if (!strcmp(w[i], "--no-wait"))
			wait = false;
		else
			w[k++] = w[i];
	if (!(s = named(sup, c, w, k)))
		return;
	if (!strcmp(w[0], "start"))
		command_wait(sup, c, s, EV_START, WANT_UP, wait);
	else if (!strcmp(w[0], "restart"))
		command_wait(sup, c, s, EV_RESTART, WANT_UP, wait);
	else if (!strcmp(w[0], "stop"))
		command_wait(sup, c, s, EV_STOP, WANT_DOWN, wait);
	else if (!strcmp(w[0], "pause"))
		command_wait(sup, c, s, EV_PAUSE, WANT_FROZEN, true);
	else
		command_wait(sup, c, s, EV_RESUME, WANT_UP, false);
}

static void cmd_kill(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s = named(sup, c, w, n);
	int sig = SIGTERM;

	if (!s)
		return;
	if (n > 2 && value_signal(w[2], &sig) < 0) {
		say(c, 'e', "brig: kill: unknown signal '%s'\n", w[2]);
		finish(c, 2);
	} else if (!sup_command(sup, s, EV_KILL, sig)) {
		refused(sup, c, "kill", s);
	} else {
		finish(c, 0);
	}
}

static unsigned followers(struct server *srv)
{
	unsigned k = 0, i;

	EACH_CLIENT(srv, i, b)
		k += srv->cl[i].phase == CL_FOLLOW;
	return k;
}

/* `logs [-f] [-t] [-n LINES] NAME`, the options before or after the name. */
static void cmd_logs(struct server *srv, struct client *c, char **w, int n)
{
	struct sup *sup = &srv->sup;
	unsigned long lines = 0;
	bool follow = false;
	char *name = NULL, *end = "";
	struct service *s;
	int i;

	for (i = 1; i < n && *end == '\0'; i++) {
		if (!strcmp(w[i], "-f"))
			follow = true;
		else if (!strcmp(w[i], "-t"))
			c->times = true;
		else if (!strcmp(w[i], "-n") && i + 1 < n && (lines = strtoul(w[++i], &end, 10), 1))
			end = isdigit((unsigned char)*w[i]) && !*end && lines < UINT32_MAX ? "" : w[i];
		else if (w[i][0] != '-' && !name)
			name = w[i];
		else
			end = w[i];  /* the word that is wrong */
	}
	if (*end || !name) {
		say(c, 'e', "brig: logs: %s%s%s (brig logs [-f] [-t] [-n LINES] [--raw] NAME)\n",
		    *end ? "bad word '" : "missing jail name", end, *end ? "'" : "");
		finish(c, 2);
		return;
	}
	w[1] = name;
	if (!(s = named(sup, c, w, 2)))
		return;
	if (follow && followers(srv) >= MAX_FOLLOWERS) {
		say(c, 'e', "brig: logs -f: %d followers already (the limit)\n", MAX_FOLLOWERS);
		finish(c, 1);
		return;
	}
	/* Without -n: every whole line held, never the torn end of an older one. */
	c->cursor = logring_lines_start(&s->ring, lines ? (unsigned)lines : UINT32_MAX);
	c->sol = c->cursor != logring_tail(&s->ring) || s->ring.sol;
	c->reply = REPLY_LOGS;
	c->phase = follow ? CL_FOLLOW : CL_REPLY;
	c->deadline_ms = follow ? 0 : c->deadline_ms;
}

static void cmd_status(struct sup *sup, struct client *c, char **w, int n)
{
	int i;

	for (i = 1; i < n; i++) {
		if (!strcmp(w[i], "--json")) {
			c->json = true;
			continue;
		}
		w[1] = w[i];
		if (!named(sup, c, w, 2))
			return;
	}
	c->row = 0;
	c->reply = REPLY_STATUS;
	c->phase = CL_REPLY;
}

static void cmd_exec(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s = named(sup, c, w, n);
	char buf[PATH_MAX + 32];
	int len;

	if (!s)
		return;
	if (!s->pid || !s->m.exec_seen)
		return refused(sup, c, "exec", s);
	len = snprintf(buf, sizeof buf, "%d%c%s%c%s", (int)s->pid, 0, s->cfg->file, 0,
		       sup->cgroup_root);
	frame(c, 'j', buf, (size_t)len + 1);
	finish(c, 0);
}

static void cmd_shutdown(struct sup *sup, struct client *c, const char *what)
{
	if (!sup->o.init_mode) {
		say(c, 'e', "brig: %s: only in init mode (the supervisor is not PID 1)\n", what);
		finish(c, 1);
		return;
	}
	sup_shutdown(sup, !strcmp(what, "reboot")   ? SUP_END_REBOOT
			  : !strcmp(what, "halt") ? SUP_END_HALT
						  : SUP_END_POWEROFF);
	finish(c, 0);
}

/* noinline here, in on_accept and on_readable: with -Oz and LTO, GCC then
 * inlines the loop's turn into control_run again (-600 bytes). */
__attribute__((noinline)) static void run_request(struct server *srv, struct client *c, char **w, int n)
{
	struct sup *sup = &srv->sup;
	const char *cmd = n ? w[0] : "", *l;
	int i;

	c->svc = -1;
	c->deadline_ms = sup->now + REPLY_MS;
	if (c->from >= 0 && (l = ctlpeer_refusal(c->grant, cmd))) {
		say(c, 'e', "brig: %.40s: not allowed from jail %s (%s)\n", cmd,
		    sup->svc[c->from].cfg->name, l);
		finish(c, 1);
		return;
	}
	for (i = 0; (l = value_nth("start\0stop\0restart\0pause\0resume\0", i)); i++)
		if (!strcmp(cmd, l))
			return cmd_lifecycle(sup, c, w, n);
	if (!strcmp(cmd, "status"))
		cmd_status(sup, c, w, n);
	else if (!strcmp(cmd, "kill"))
		cmd_kill(sup, c, w, n);
	else if (!strcmp(cmd, "logs"))
		cmd_logs(srv, c, w, n);
	else if (!strcmp(cmd, "exec"))
		cmd_exec(sup, c, w, n);
	else if (!strcmp(cmd, "reload"))
		finish(c, sup_reload(sup) < 0 ? 1 : 0);
	else if (!strcmp(cmd, "poweroff") || !strcmp(cmd, "reboot") || !strcmp(cmd, "halt"))
		cmd_shutdown(sup, c, cmd);
	else {
		say(c, 'e', "brig: unknown control command '%.40s'\n", cmd);
		finish(c, 2);
	}
}

/* ---- connections ---- */

static void client_close(struct server *srv, struct client *c)
{
	bool was_full = srv->used == (uint32_t)((1ULL << MAX_CLIENTS) - 1);

	epoll_ctl(srv->sup.epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->phase = CL_FREE;
	srv->used &= ~(1u << (c - srv->cl));
	if (was_full && srv->sup.lfd >= 0) {
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = SUP_TAG(T_LISTEN, 0) };

		epoll_ctl(srv->sup.epfd, EPOLL_CTL_MOD, srv->sup.lfd, &e);
	}
}

__attribute__((noinline)) static void on_accept(struct server *srv)
{
	struct epoll_event e = { .events = EPOLLIN };
	const char *why;
	struct client *c;
	int fd;

	if (!~srv->used) {
		/* Full: leave the rest in the listen backlog until a slot frees. */
		e.events = 0;
		e.data.u64 = SUP_TAG(T_LISTEN, 0);
		epoll_ctl(srv->sup.epfd, EPOLL_CTL_MOD, srv->sup.lfd, &e);
		return;
	}
	c = &srv->cl[__builtin_ctz(~srv->used)];
	fd = accept4(srv->sup.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	memset(c, 0, offsetof(struct client, in));
	c->fd = fd;
	c->phase = CL_REQUEST;
	c->svc = -1;
	c->deadline_ms = srv->sup.now + REQUEST_MS;
	if ((why = ctlpeer_allowed(&srv->sup, srv->jails_cg, fd, &c->grant, &c->from))) {
		/* Answered like any request, without reading one. */
		say(c, 'e', "brig: permission denied (%s)\n", why);
		finish(c, 1);
		e.events = EPOLLOUT;
	}
	e.data.u64 = SUP_TAG(T_CLIENT, c - srv->cl);
	if (epoll_ctl(srv->sup.epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
		close(fd);
		c->phase = CL_FREE;
		return;
	}
	srv->used |= 1u << (c - srv->cl);
}

/* Reads what the client sent; runs the request once it is complete. */
__attribute__((noinline)) static void on_readable(struct server *srv, struct client *c)
{
	char *w[CONTROL_MAX_WORDS];
	ssize_t r = read(c->fd, c->in + c->inlen, sizeof c->in - c->inlen);
	int n;

	if (r <= 0) {
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			client_close(srv, c);
		return;
	}
	c->inlen += (size_t)r;
	n = control_parse(c->in, c->inlen, w, CONTROL_MAX_WORDS);
	if (n == 0 && !(c->inlen == 1 && c->in[0] == '\0'))
		return;
	if (n < 0) {
		say(c, 'e', "brig: malformed or oversized request\n");
		finish(c, 2);
	} else {
		run_request(srv, c, w, n);
	}
	if (c->phase == CL_WAIT)
		set_events(srv, c, 0);  /* only a hangup, until the outcome */
	else
		set_events(srv, c, EPOLLOUT);
	if (c->phase == CL_WAIT)
		c->deadline_ms = 0;  /* every outcome comes: each state has its deadline */
}

static void on_writable(struct server *srv, struct client *c)
{
	unsigned char code;
	ssize_t r;

	if (!c->done && c->reply == REPLY_STATUS)
		gen_status(&srv->sup, c);
	else if (!c->done && c->reply == REPLY_LOGS)
		gen_logs(&srv->sup, c);
	if (c->done && !c->closing && c->phase == CL_REPLY) {
		code = (unsigned char)c->exit_code;
		c->closing = frame(c, 'x', &code, 1);
	}
	while (c->outpos < c->outlen) {
		r = write(c->fd, c->out + c->outpos, c->outlen - c->outpos);
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			client_close(srv, c);
			return;
		}
		c->outpos += (size_t)r;
	}
	c->outpos = c->outlen = 0;
	if (c->closing)
		client_close(srv, c);
	else if (c->phase == CL_FOLLOW)
		set_events(srv, c, 0);  /* until the ring grows */
}

static void on_client(struct server *srv, struct client *c, uint32_t events)
{
	if (c->phase == CL_REQUEST && (events & EPOLLIN))
		on_readable(srv, c);
	else if (events & EPOLLOUT)
		on_writable(srv, c);
	else if (events & (EPOLLHUP | EPOLLERR))
		client_close(srv, c);
}

/* The earliest client deadline (0: none); expired clients are dropped. */
static uint64_t client_deadlines(struct server *srv)
{
	uint64_t at = 0;
	int i;

	EACH_CLIENT(srv, i, b) {
		struct client *c = &srv->cl[i];

		if (c->deadline_ms && c->deadline_ms <= srv->sup.now)
			client_close(srv, c);
		else if (c->deadline_ms && (!at || c->deadline_ms < at))
			at = c->deadline_ms;
	}
	return at;
}

enum sup_end control_run(const struct sup_opts *o, uint64_t *deadline)
{
	struct server *srv = calloc(1, sizeof *srv);
	struct epoll_event ev[32];
	enum sup_end end;
	int i, n;

	*deadline = 0;
	if (!srv) {
		log_msg(LOG_ERROR, "out of memory");
		return SUP_END_EXIT;
	}
	if (sup_init(&srv->sup, o) < 0)
		return SUP_END_EXIT;
	srv->jails_cg = ctlpeer_jails_cgroup(srv->sup.cgroup_root, srv->mount, sizeof srv->mount);
	while (!sup_finished(&srv->sup)) {
		n = sup_turn(&srv->sup, client_deadlines(srv), ev, 32);
		for (i = 0; i < n; i++) {
			unsigned idx = (uint32_t)ev[i].data.u64;

			if (ev[i].data.u64 >> 32 == T_LISTEN)
				on_accept(srv);
			else if (idx < MAX_CLIENTS && srv->cl[idx].phase != CL_FREE)
				on_client(srv, &srv->cl[idx], ev[i].events);
		}
		after_turn(srv);
	}
	EACH_CLIENT(srv, i, b) {
		on_writable(srv, &srv->cl[i]);  /* answers that are ready: one try */
		if (srv->cl[i].phase != CL_FREE)
			client_close(srv, &srv->cl[i]);
	}
	sup_close(&srv->sup);
	end = srv->sup.fatal ? SUP_END_EXIT : srv->sup.end;
	*deadline = srv->sup.deadline;
	return end;
}
