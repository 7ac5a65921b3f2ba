/* The supervisor: one event loop that owns every jail. */
#ifndef BRIG_SUPERVISOR_H
#define BRIG_SUPERVISOR_H

#include <stdbool.h>

struct sup_opts {
	const char *config_dir;   /* [/etc/brig] */
	const char *socket;       /* [STATE_DIR/control.sock] */
	const char *cgroup_root;  /* NULL: <cgroup2 mount>/brig */
	const char *state_dir;    /* [/run/brig] */
	bool init_mode;           /* PID 1: reap everything, signals as SPEC 6.6 */
};

enum sup_end {
	SUP_END_EXIT,      /* supervise mode: TERM/INT stopped every jail */
	SUP_END_REBOOT,    /* init mode: what shutdown must finish with */
	SUP_END_POWEROFF,
	SUP_END_HALT,
};

/* Runs the loop until a stop is asked for and every jail has stopped.
 * Init mode calls it after the early mounts; it never returns an error
 * there, only the shutdown action to carry out. */
enum sup_end supervisor_run(const struct sup_opts *o);

/* `brig supervise [...]` argument parsing; returns the process exit status. */
int supervisor_main(int argc, char **argv);

/* ---- Internal to supervisor.c, service.c and control.c ---- */

#include "config.h"
#include "jail.h"
#include "service.h"

#include <limits.h>
#include <stdint.h>

#define SUP_MAX_CLIENTS 32
#define SUP_PIDHASH 512   /* a power of two above twice CFG_MAX_JAILS */
#define CONTROL_MAX_REQUEST 4096
#define CONTROL_OUTBUF 16384

enum client_phase {
	CL_FREE,     /* slot unused */
	CL_REQUEST,  /* reading the request */
	CL_REPLY,    /* writing; closes when flushed and nothing more to generate */
	CL_FOLLOW,   /* `logs -f`: writes as the jail's ring grows */
	CL_WAIT,     /* waits for an event (pause: frozen) before replying */
};

enum client_reply {
	REPLY_FRAMES,  /* only the frames already queued */
	REPLY_STATUS,  /* status lines generated as the buffer drains */
	REPLY_LOGS,    /* the jail's ring from cursor on */
};

/* epoll tags: kind in the high half, slot index in the low half. */
enum sup_tag { T_SIGNAL = 1, T_TIMER, T_LISTEN, T_CLIENT, T_OUT, T_ERR, T_READY, T_NOTIFY, T_CGEV };
#define SUP_TAG(kind, idx) (((uint64_t)(kind) << 32) | (uint32_t)(idx))

struct client {
	enum client_phase phase;
	enum client_reply reply;
	bool done;             /* everything generated: the exit frame goes next */
	bool closing;          /* exit frame queued: close once flushed */
	int fd;
	uint64_t deadline_ms;  /* request must be complete by then */
	char in[CONTROL_MAX_REQUEST];
	size_t inlen;
	char out[CONTROL_OUTBUF];
	size_t outlen, outpos;
	int svc;               /* jail the command is about, -1 */
	int gen;               /* status: 0 before the header, then 1 + next jail */
	bool json;
	uint64_t cursor;       /* logs: ring offset */
	int exit_code;         /* sent once everything else is out */
};

struct sup {
	struct sup_opts o;
	char state_dir[256];
	char config_dir[PATH_MAX];
	char cgroup_root[PATH_MAX];
	char socket_path[108];
	int epfd, sigfd, timerfd, lfd;
	struct service svc[CFG_MAX_JAILS];
	int nsvc;                           /* slots in use are below this */
	int nlive;                          /* jails with a process or a cgroup */
	struct service *heap[CFG_MAX_JAILS];
	int nheap;
	struct { pid_t pid; int idx; } pids[SUP_PIDHASH];
	struct client cl[SUP_MAX_CLIENTS];  /* 20 KiB each: touched only while in use */
	uint32_t cl_used;                   /* bit i: cl[i] is not CL_FREE */
	struct jail spawn;                  /* jail_start's scratch: the mount plan is large */
	uint64_t watchdog_ms;               /* next watchdog keepalive; 0: none */
	char *console[CFG_MAX_ARGS + 1];    /* init mode: [init] console, kept running */
	pid_t console_pid;
	uint64_t console_ms;                /* when it was started */
	bool stopping_all;
	enum sup_end end;
	uint64_t now;                       /* ms, CLOCK_MONOTONIC, per loop turn */
	uint64_t armed_ms;                  /* what the timerfd is armed for; 0: nothing */
};

/* service.c: the state table. */
void service_try_start(struct sup *sup, struct service *s);
void service_stop(struct sup *sup, struct service *s);
void service_exited(struct sup *sup, struct service *s, int status);
void service_timer(struct sup *sup, struct service *s);
void service_ready(struct sup *sup, struct service *s);
void service_set_state(struct sup *sup, struct service *s, enum svc_state st);
int service_pause(struct sup *sup, struct service *s, bool freeze);

/* supervisor.c: effects the state table asks for. */
int sup_spawn(struct sup *sup, struct service *s, struct err *e);
void sup_net_release(struct sup *sup, struct service *s);  /* at rest, or removed */
void sup_deadline(struct sup *sup, struct service *s, uint64_t at_ms);  /* 0: none */
void sup_kill_cgroup(struct sup *sup, struct service *s);
void sup_watch_cgroup(struct sup *sup, struct service *s);  /* s->cg_events_fd into epoll */
void sup_shutdown(struct sup *sup, enum sup_end end);
void sup_free_slot(struct sup *sup, struct service *s);
void sup_cgroup_path(const struct sup *sup, const struct service *s, char *buf, size_t len);
unsigned long long sup_oom_kills(const struct sup *sup, const struct service *s);  /* live cgroup */
int sup_reload(struct sup *sup);

/* Iterates i over the clients in use, without touching the others. */
#define SUP_EACH_CLIENT(sup, i, bits)                                      \
	for (uint32_t bits = (sup)->cl_used; bits && ((i) = __builtin_ctz(bits), 1); \
	     bits &= bits - 1)

/* control.c: the server side of the control socket. */
void control_accept(struct sup *sup);
void control_event(struct sup *sup, struct client *c, uint32_t events);
void control_log_grew(struct sup *sup, struct service *s);
void control_frozen(struct sup *sup, struct service *s);
void control_close(struct sup *sup, struct client *c);

#endif
