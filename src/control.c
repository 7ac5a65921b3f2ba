/* Runs in: the supervisor (server side: requests from clients, never
 * blocking the loop) and the `brig status|start|...` client processes.
 * Clients are untrusted: every request is bounded in size (4 KiB) and time
 * (5 s to send it, 30 s to take the reply), and only root is served. */
#include "control.h"

#include "enter.h"
#include "fdio.h"
#include "log.h"
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQUEST_MS 5000
#define REPLY_MS 30000

int control_parse(const char *buf, size_t len, char **words, int max)
{
	size_t pos = 0;
	int n = 0;

	while (pos < len) {
		const char *nul = memchr(buf + pos, '\0', len - pos);

		if (!nul)
			return len >= CONTROL_MAX_REQUEST ? -1 : 0;
		if (nul == buf + pos)
			return pos + 1 == len ? n : -1;  /* the empty word ends it */
		if (n >= max)
			return -1;
		words[n++] = (char *)buf + pos;
		pos = (size_t)(nul - buf) + 1;
	}
	return len >= CONTROL_MAX_REQUEST ? -1 : 0;
}

/* ---- server: output ---- */

static void set_events(struct sup *sup, struct client *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.u64 = SUP_TAG(T_CLIENT, c - sup->cl) };

	epoll_ctl(sup->epfd, EPOLL_CTL_MOD, c->fd, &e);
}

static size_t room(const struct client *c)
{
	return sizeof c->out - c->outlen;
}

/* Appends one frame; false when it does not fit (the caller retries later). */
static bool frame(struct client *c, char type, const void *data, size_t len)
{
	unsigned char *h = (unsigned char *)c->out + c->outlen;

	if (room(c) < CONTROL_FRAME_HDR + len)
		return false;
	h[0] = (unsigned char)type;
	h[1] = (unsigned char)len;
	h[2] = (unsigned char)(len >> 8);
	h[3] = (unsigned char)(len >> 16);
	h[4] = (unsigned char)(len >> 24);
	memcpy(h + CONTROL_FRAME_HDR, data, len);
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

/* ---- server: status ---- */

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

/* The kernel's count for the live cgroup plus what earlier runs left:
 * each run's cgroup is removed when it ends. */
static void oom_kills(const struct sup *sup, const struct service *s, char *out, size_t len)
{
	unsigned long long n = s->oom_kills;

	if (s->pid)
		n += sup_oom_kills(sup, s);
	snprintf(out, len, "%llu", n);
}

static void last_exit(const struct service *s, char *out, size_t len)
{
	int st = s->last_status;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (st < 0)
		snprintf(out, len, "-");
	else if (WIFSIGNALED(st))
		snprintf(out, len, "killed SIG%s", config_signal_name(WTERMSIG(st)) ?: "?");
	else if (code > 128 && code <= 128 + 64 && config_signal_name(code - 128))
		snprintf(out, len, "killed %sSIG%s%s", code == 128 + SIGSYS ? "by " : "",
			 config_signal_name(code - 128), code == 128 + SIGSYS ? " (seccomp)" : "");
	else
		snprintf(out, len, "exited %d", code);
}

/* JSON strings: the values we print are names, paths and notify text. */
static void json_str(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(out + o, len - o, "\\%c", ch);
		else if (ch < 0x20)
			o += (size_t)snprintf(out + o, len - o, "\\u%04x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
}

static bool status_one(struct sup *sup, struct client *c, struct service *s, bool table)
{
	char cg[PATH_MAX + 16], mem[32], pids[32], oom[32], ex[48], st[180], rs[260];
	unsigned long long since = (sup->now - s->since_ms) / 1000;
	/* The network it is in: a jail:NAME jail shows NAME's. */
	struct service *n = s->cfg->net != NET_JAIL ? s
			    : service_find(sup->svc, sup->nsvc, s->cfg->net_jail);
	const char *addr = n && n->cfg->address ? n->cfg->address : "-";
	const char *hif = n && n->net.host_if[0] ? n->net.host_if : "-";

	last_exit(s, ex, sizeof ex);
	if (table)
		return say(c, 'o', "%-20s %-9s %7d %8u %8llus  %-18s %s\n", s->cfg->name,
			   service_state_name(s->state), (int)s->pid, s->restarts, since, ex,
			   s->status[0] ? s->status : s->reason);
	sup_cgroup_path(sup, s, cg, sizeof cg);
	read_cg(sup, s, "memory.current", mem, sizeof mem);
	read_cg(sup, s, "pids.current", pids, sizeof pids);
	oom_kills(sup, s, oom, sizeof oom);
	if (!c->json)
		return say(c, 'o',
			   "name: %s\nstate: %s\npid: %d\nrestarts: %u\nlast_exit: %s\n"
			   "since: %llu\ncgroup: %s\nmemory.current: %s\npids.current: %s\n"
			   "oom_kills: %s\nstatus: %s\nreason: %s\naddress: %s\nhost_if: %s\n",
			   s->cfg->name, service_state_name(s->state), (int)s->pid, s->restarts, ex,
			   since, cg, mem, pids, oom, s->status, s->reason, addr, hif);
	json_str(st, sizeof st, s->status);
	json_str(rs, sizeof rs, s->reason);
#define NUM(v) (strcmp(v, "-") ? v : "null")
	return say(c, 'o',
		   "{\"name\":\"%s\",\"state\":\"%s\",\"pid\":%d,\"restarts\":%u,"
		   "\"last_exit\":\"%s\",\"since\":%llu,\"cgroup\":\"%s\",\"memory.current\":%s,"
		   "\"pids.current\":%s,\"oom_kills\":%s,\"status\":\"%s\",\"reason\":\"%s\","
		   "\"address\":\"%s\",\"host_if\":\"%s\"}",
		   s->cfg->name, service_state_name(s->state), (int)s->pid, s->restarts, ex, since,
		   cg, NUM(mem), NUM(pids), NUM(oom), st, rs, addr, hif);
#undef NUM
}

/* Prints jails from c->gen on while the buffer has room. */
static void gen_status(struct sup *sup, struct client *c)
{
	if (c->gen == 0 && c->svc < 0 && !c->json &&
	    !say(c, 'o', "%-20s %-9s %7s %8s %9s  %-18s %s\n", "NAME", "STATE", "PID", "RESTARTS",
		 "SINCE", "LAST_EXIT", "INFO"))
		return;
	if (c->gen == 0 && c->svc < 0 && c->json && !frame(c, 'o', "[", 1))
		return;
	if (c->gen == 0)
		c->gen = 1;
	for (; c->gen - 1 < sup->nsvc; c->gen++) {
		struct service *s = &sup->svc[c->gen - 1];
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

/* ---- server: logs ---- */

static void gen_logs(struct sup *sup, struct client *c)
{
	struct service *s = &sup->svc[c->svc];
	char buf[4096];
	size_t n, max;

	for (;;) {
		if (room(c) <= CONTROL_FRAME_HDR + 64)
			return;
		max = room(c) - CONTROL_FRAME_HDR;
		n = logring_read(&s->ring, &c->cursor, buf, max < sizeof buf ? max : sizeof buf, NULL);
		if (!n)
			break;
		frame(c, 'o', buf, n);
	}
	if (c->phase != CL_FOLLOW)
		c->done = true;
}

void control_log_grew(struct sup *sup, struct service *s)
{
	int i;

	SUP_EACH_CLIENT(sup, i, b)
		if (sup->cl[i].phase == CL_FOLLOW && sup->cl[i].svc == s->idx)
			set_events(sup, &sup->cl[i], EPOLLOUT);
}

void control_frozen(struct sup *sup, struct service *s)
{
	int i;

	SUP_EACH_CLIENT(sup, i, b) {
		struct client *c = &sup->cl[i];

		if (c->phase == CL_WAIT && c->svc == s->idx) {
			finish(c, 0);
			set_events(sup, c, EPOLLOUT);
		}
	}
}

/* ---- server: commands ---- */

static struct service *named(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s;

	if (n < 2) {
		say(c, 'e', "brig: %s: missing jail name\n", w[0]);
		finish(c, 2);
		return NULL;
	}
	s = service_find(sup->svc, sup->nsvc, w[1]);
	if (!s) {
		say(c, 'e', "brig: %s: no jail named '%s'\n", w[0], w[1]);
		finish(c, 1);
	}
	return s;
}

static void cmd_lifecycle(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s = named(sup, c, w, n);

	if (!s)
		return;
	if (!strcmp(w[0], "start")) {
		if (s->state == SVC_FAILED) {
			policy_reset(&s->hist);
			s->restarts = 0;
		}
		if (s->pid)
			say(c, 'o', "%s is already %s\n", s->cfg->name, service_state_name(s->state));
		else
			service_try_start(sup, s);
	} else if (!strcmp(w[0], "stop")) {
		service_stop(sup, s);
	} else if (s->pid) {  /* restart */
		s->start_after_stop = true;
		service_stop(sup, s);
	} else {
		service_try_start(sup, s);
	}
	finish(c, 0);
}

static void cmd_kill(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s = named(sup, c, w, n);
	int sig = SIGTERM;

	if (!s)
		return;
	if (n > 2 && config_signal(w[2], &sig) < 0) {
		say(c, 'e', "brig: kill: unknown signal '%s'\n", w[2]);
		finish(c, 2);
	} else if (!s->pid) {
		say(c, 'e', "brig: kill: %s is not running (%s)\n", s->cfg->name,
		    service_state_name(s->state));
		finish(c, 1);
	} else if (kill(s->pid, sig) < 0) {
		say(c, 'e', "brig: kill %s: %s\n", s->cfg->name, strerror(errno));
		finish(c, 1);
	} else {
		finish(c, 0);
	}
}

static void cmd_pause(struct sup *sup, struct client *c, char **w, int n)
{
	struct service *s = named(sup, c, w, n);
	bool freeze = !strcmp(w[0], "pause");

	if (!s)
		return;
	if (service_pause(sup, s, freeze) < 0) {
		say(c, 'e', "brig: %s: %s is %s\n", w[0], s->cfg->name,
		    service_state_name(s->state));
		finish(c, 1);
	} else if (freeze) {
		c->svc = s->idx;
		c->phase = CL_WAIT;  /* replied to when cgroup.events says frozen */
	} else {
		finish(c, 0);
	}
}

static void cmd_logs(struct sup *sup, struct client *c, char **w, int n)
{
	unsigned lines = 0;
	bool follow = false;
	struct service *s;
	int i;

	for (i = 1; i < n - 1; i++) {
		if (!strcmp(w[i], "-f"))
			follow = true;
		else if (!strcmp(w[i], "-n") && i + 1 < n - 1)
			lines = (unsigned)strtoul(w[++i], NULL, 10);
		else
			break;
	}
	if (i != n - 1) {
		say(c, 'e', "usage: brig logs [-f] [-n LINES] NAME\n");
		finish(c, 2);
		return;
	}
	w[1] = w[n - 1];
	if (!(s = named(sup, c, w, 2)))
		return;
	c->svc = s->idx;
	/* Without -n: every whole line held, never the torn end of an older one. */
	c->cursor = logring_lines_start(&s->ring, lines ? lines : UINT32_MAX);
	c->reply = REPLY_LOGS;
	c->phase = follow ? CL_FOLLOW : CL_REPLY;
	c->deadline_ms = follow ? 0 : c->deadline_ms;
}

static void cmd_status(struct sup *sup, struct client *c, char **w, int n)
{
	int i;

	c->svc = -1;
	for (i = 1; i < n; i++) {
		struct service *s;

		if (!strcmp(w[i], "--json")) {
			c->json = true;
			continue;
		}
		w[1] = w[i];
		if (!(s = named(sup, c, w, 2)))
			return;
		c->svc = s->idx;
	}
	c->gen = 0;
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
	if (!s->pid || !s->exec_seen) {
		say(c, 'e', "brig: exec: %s is not running (%s)\n", s->cfg->name,
		    service_state_name(s->state));
		finish(c, 1);
		return;
	}
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

static void run_request(struct sup *sup, struct client *c, char **w, int n)
{
	const char *cmd = n ? w[0] : "";

	c->svc = -1;
	c->deadline_ms = sup->now + REPLY_MS;
	if (!strcmp(cmd, "status"))
		cmd_status(sup, c, w, n);
	else if (!strcmp(cmd, "start") || !strcmp(cmd, "stop") || !strcmp(cmd, "restart"))
		cmd_lifecycle(sup, c, w, n);
	else if (!strcmp(cmd, "kill"))
		cmd_kill(sup, c, w, n);
	else if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume"))
		cmd_pause(sup, c, w, n);
	else if (!strcmp(cmd, "logs"))
		cmd_logs(sup, c, w, n);
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

/* ---- server: connections ---- */

void control_close(struct sup *sup, struct client *c)
{
	bool was_full = sup->cl_used == (uint32_t)((1ULL << SUP_MAX_CLIENTS) - 1);

	epoll_ctl(sup->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->phase = CL_FREE;
	sup->cl_used &= ~(1u << (c - sup->cl));
	if (was_full && sup->lfd >= 0) {
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = SUP_TAG(T_LISTEN, 0) };

		epoll_ctl(sup->epfd, EPOLL_CTL_MOD, sup->lfd, &e);
	}
}

void control_accept(struct sup *sup)
{
	struct client *c = NULL;
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd;

	if (~sup->cl_used)
		c = &sup->cl[__builtin_ctz(~sup->cl_used)];
	if (!c) {
		/* Full: leave the rest in the listen backlog until a slot frees. */
		struct epoll_event e = { .events = 0, .data.u64 = SUP_TAG(T_LISTEN, 0) };

		epoll_ctl(sup->epfd, EPOLL_CTL_MOD, sup->lfd, &e);
		return;
	}
	fd = accept4(sup->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != 0) {
		static const char deny[] = "brig: permission denied (root only)\n";
		char msg[CONTROL_FRAME_HDR * 2 + sizeof deny];

		msg[0] = 'e';
		msg[1] = (char)(sizeof deny - 1);
		msg[2] = msg[3] = msg[4] = 0;
		memcpy(msg + CONTROL_FRAME_HDR, deny, sizeof deny - 1);
		memcpy(msg + CONTROL_FRAME_HDR + sizeof deny - 1, "x\x01\0\0\0\x01", 6);
		(void)!write(fd, msg, sizeof msg);
		close(fd);
		return;
	}
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->phase = CL_REQUEST;
	c->svc = -1;
	c->deadline_ms = sup->now + REQUEST_MS;
	{
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = SUP_TAG(T_CLIENT, c - sup->cl) };

		if (epoll_ctl(sup->epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
			close(fd);
			c->phase = CL_FREE;
		} else {
			sup->cl_used |= 1u << (c - sup->cl);
		}
	}
}

/* Reads what the client sent; runs the request once it is complete. */
static void on_readable(struct sup *sup, struct client *c)
{
	char *w[CONTROL_MAX_WORDS];
	ssize_t r = read(c->fd, c->in + c->inlen, sizeof c->in - c->inlen);
	int n;

	if (r <= 0) {
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			control_close(sup, c);
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
		run_request(sup, c, w, n);
	}
	if (c->phase != CL_WAIT)
		set_events(sup, c, EPOLLOUT);
}

static void on_writable(struct sup *sup, struct client *c)
{
	unsigned char code;
	ssize_t r;

	if (!c->done && c->reply == REPLY_STATUS)
		gen_status(sup, c);
	else if (!c->done && c->reply == REPLY_LOGS)
		gen_logs(sup, c);
	if (c->done && !c->closing && c->phase == CL_REPLY) {
		code = (unsigned char)c->exit_code;
		c->closing = frame(c, 'x', &code, 1);
	}
	while (c->outpos < c->outlen) {
		r = write(c->fd, c->out + c->outpos, c->outlen - c->outpos);
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			control_close(sup, c);
			return;
		}
		c->outpos += (size_t)r;
	}
	c->outpos = c->outlen = 0;
	if (c->closing)
		control_close(sup, c);
	else if (c->phase == CL_FOLLOW)
		set_events(sup, c, 0);  /* until the ring grows */
}

void control_event(struct sup *sup, struct client *c, uint32_t events)
{
	if (c->phase == CL_REQUEST && (events & EPOLLIN))
		on_readable(sup, c);
	else if (events & EPOLLOUT)
		on_writable(sup, c);
	else if (events & (EPOLLHUP | EPOLLERR))
		control_close(sup, c);
}

/* ---- client ---- */

static const char client_usage[] =
	"usage: brig [--socket PATH] COMMAND ARG...\n"
	"  status [--json] [NAME]   start|stop|restart NAME   kill NAME [SIGNAL]\n"
	"  pause|resume NAME        logs [-f] [-n LINES] NAME  exec NAME [--] CMD [ARG...]\n"
	"  reload                   poweroff|reboot|halt\n"
	"The supervisor is found at --socket PATH, else $BRIG_SOCKET, else\n"
	"/run/brig/control.sock.\n";

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "brig: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "brig: cannot reach the supervisor at %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Sends words as one request. */
static int send_request(int fd, char **w, int n)
{
	char buf[CONTROL_MAX_REQUEST];
	size_t len = 0, l;
	int i;

	for (i = 0; i < n; i++) {
		l = strlen(w[i]) + 1;
		if (l == 1 || len + l + 1 > sizeof buf || i >= CONTROL_MAX_WORDS) {
			fprintf(stderr, "brig: request too long or empty word\n");
			return -1;
		}
		memcpy(buf + len, w[i], l);
		len += l;
	}
	buf[len++] = '\0';
	if (fdio_write_all(fd, buf, len) < 0) {
		fprintf(stderr, "brig: send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads reply frames to the end; returns the exit status. An exec reply
 * hands over to jail_exec() with the command words. */
static int read_reply(int fd, char **cmd, bool send_failed)
{
	unsigned char h[CONTROL_FRAME_HDR];
	char buf[65536];
	ssize_t n;
	size_t len;

	for (;;) {
		n = fdio_read_all(fd, h, sizeof h);
		if (n != (ssize_t)sizeof h) {
			if (!send_failed)
				fprintf(stderr, "brig: the supervisor closed the connection\n");
			return 1;
		}
		len = h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
		if (len >= sizeof buf || fdio_read_all(fd, buf, len) != (ssize_t)len) {
			fprintf(stderr, "brig: malformed reply\n");
			return 1;
		}
		buf[len] = '\0';
		if (h[0] == 'o')
			(void)fdio_write_all(1, buf, len);
		else if (h[0] == 'e')
			(void)fdio_write_all(2, buf, len);
		else if (h[0] == 'x')
			return len ? (unsigned char)buf[0] : 1;
		else if (h[0] == 'j' && cmd) {
			char *file = memchr(buf, '\0', len);
			char *cgroot = file ? memchr(file + 1, '\0', len - (size_t)(file + 1 - buf)) : NULL;

			if (!cgroot)
				return 1;
			return jail_exec((pid_t)atoi(buf), file + 1, cgroot + 1, cmd);
		}
	}
}

int control_client_main(int argc, char **argv)
{
	const char *path = getenv("BRIG_SOCKET");
	char **cmd = NULL;
	char *w[CONTROL_MAX_WORDS];
	int n = 0, i, fd, rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc && !cmd) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(client_usage, stdout);
			return 0;
		} else if (n == 2 && !strcmp(w[0], "exec")) {
			cmd = argv + i + !strcmp(argv[i], "--");
			break;
		} else if (n < CONTROL_MAX_WORDS) {
			w[n++] = argv[i];
		}
	}
	if (!path || !*path)
		path = "/run/brig/control.sock";
	if (n == 0 || (!strcmp(w[0], "exec") && (!cmd || !*cmd))) {
		fputs(client_usage, stderr);
		return 2;
	}
	if ((fd = connect_to(path)) < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	/* A refused client may find the socket closed before its request went
	 * out: the reply, already sent, still says why. */
	rc = send_request(fd, w, n);
	rc = read_reply(fd, cmd, rc < 0);
	close(fd);
	return rc;
}
