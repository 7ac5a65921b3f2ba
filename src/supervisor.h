/* The supervisor loop: one epoll set, every jail's process and fds, its
 * deadlines, reload. It carries out what the jail machine (machine.c)
 * decides and nothing else changes a jail's state. The control server
 * (control_run(), the layer above) drives it one turn at a time and gets
 * the events of its own fds back. */
#ifndef BRIG_SUPERVISOR_H
#define BRIG_SUPERVISOR_H

#include "cfgdir.h"
#include "config.h"
#include "heap.h"
#include "jail.h"
#include "log.h"
#include "logring.h"
#include "machine.h"
#include "net.h"
#include "pidhash.h"
#include "watchdog.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>

struct sup_opts {
	const char *config_dir;   /* [/etc/brig] */
	const char *socket;       /* [STATE_DIR/control.sock] */
	const char *cgroup_root;  /* NULL: <cgroup2 mount>/brig */
	const char *state_dir;    /* [/run/brig] */
	bool init_mode;           /* PID 1: reap everything, signals as brig(8) lists them */
	struct watchdog *wd;      /* init mode: petted by the loop; NULL: none */
};

enum sup_end {
	SUP_END_EXIT,      /* supervise mode: TERM/INT stopped every jail */
	SUP_END_REBOOT,    /* init mode: what shutdown must finish with */
	SUP_END_POWEROFF,
	SUP_END_HALT,
};

/* What a signal asks of the supervisor (brig(8), Signals, in init mode; supervise
 * mode: TERM and INT end it, HUP reloads). */
enum sup_sig {
	SUP_SIG_OTHER,     /* nothing */
	SUP_SIG_RELOAD,    /* SIGHUP */
	SUP_SIG_SHUTDOWN,  /* *end says how it ends */
};

/* Pure: the signal table. */
enum sup_sig sup_signal_action(int sig, bool init_mode, enum sup_end *end);

/* epoll tags: kind in the high half, slot index in the low half. The
 * control server's fds use T_LISTEN and T_CLIENT, and sup_turn() hands
 * their events back. */
enum sup_tag { T_SIGNAL = 1, T_CONSOLE, T_LISTEN, T_CLIENT, T_OUT, T_ERR, T_READY, T_NOTIFY,
	       T_CGEV };
#define SUP_TAG(kind, idx) (((uint64_t)(kind) << 32) | (uint32_t)(idx))

/* Work a jail has queued for it (a bounded work list, never recursion). */
enum { W_STOP = 1, W_RESTART = 2, W_DEP = 4 };

/* A `after` name: a slot (>= 0), a broken file (sup->broken[-2 - d]),
 * or no jail of that name. */
#define DEP_MISSING (-1)

/* One supervised jail: the machine's record, and what the loop holds. */
struct service {
	struct jail_m m;
	struct jail_cfg *cfg;       /* NULL: the slot is free */
	struct jail_cfg *next_cfg;  /* changed on reload: applied at the next start */
	int idx;
	unsigned gen;               /* changes when the slot is freed */
	pid_t pid;                  /* host pid of the jail init; 0: none */
	int out_fd;                 /* read end of the jail's stdout+stderr pipe; -1 */
	int err_fd;                 /* setup report: a struct err, or EOF at exec; -1 */
	int ready_fd;               /* ready = fd:N: read end; -1 */
	int notify_fd;              /* ready = notify: datagram socket; -1 */
	int cg_events_fd;           /* cgroup.events, watched for frozen/populated; -1 */
	bool cg_busy;               /* the cgroup outlived the jail init: removed once empty */
	bool remove;                /* gone from the config: the slot is freed once down */
	bool fresh;                 /* new in this reload */
	uint8_t work;               /* W_* bits queued */
	bool queued, spawn_queued;
	bool in_setup;              /* spawned, its setup report not read yet */
	unsigned long long oom_kills;  /* of runs whose cgroup is gone */
	char status[80];            /* STATUS= from sd_notify */
	char reason[200];           /* why its last start failed (setup error, errno text) */
	struct logring ring;
	struct logring_echo echo;
	uint32_t echo_left;         /* console lines left this second */
	uint64_t echo_ms;           /* when the second began */
	uint64_t echo_hidden;       /* lines not shown since */
	size_t ready_junk;          /* ready = fd:N: bytes read without a newline */
	int16_t deps[CFG_MAX_AFTER];  /* per name of the effective config's `after` */
	uint64_t dependents[CFG_MAX_JAILS / 64];  /* bit i: slot i names this one */
	struct net_hold net;        /* its network namespace: FX_ACQUIRE'd at the first
				     * spawn, kept across restarts, gone at FX_RELEASE */
};

#define SUP_MAX_SLOTS CFG_MAX_JAILS

struct sup {
	struct sup_opts o;
	char state_dir[256];
	char config_dir[PATH_MAX];
	char cgroup_root[PATH_MAX];
	char socket_path[108];
	int epfd, sigfd, lfd;
	int console_fd;                     /* in epoll for EPOLLOUT; -1 */
	struct service svc[SUP_MAX_SLOTS];
	int nsvc;                           /* slots in use are below this */
	int nlive;                          /* jails with a process or a cgroup */
	int in_setup;                       /* jails between spawn and exec */
	struct heap timers;                 /* jail deadlines, by slot */
	struct pidhash pids;                /* jail init pid -> slot */
	int16_t work[SUP_MAX_SLOTS];        /* FIFO of slots with work queued */
	int whead, wlen;
	int16_t spawnq[SUP_MAX_SLOTS];      /* FIFO of slots to spawn, a few a turn */
	int shead, slen;
	uint64_t changed[SUP_MAX_SLOTS / 64];  /* state changed or output grew: for the
						* control server, which clears it */
	struct config_broken *broken;       /* the broken files of the last reload */
	int nbroken;
	struct jail spawn;                  /* jail_start's scratch: the mount plan is large */
	char *console[CFG_MAX_ARGS + 1];    /* init mode: [init] console, kept running */
	pid_t console_pid;
	uint64_t console_ms;                /* started, or the time of the next try */
	uint64_t console_delay_ms;          /* the next backoff */
	uint64_t shutdown_timeout_ms;
	uint64_t deadline;                  /* shutdown: every jail ends by then; 0: none */
	uint64_t give_up;                   /* shutdown: the loop stops waiting then */
	bool stopping_all, reload_wanted, reload_again, fatal;
	enum sup_end end;
	uint64_t now;                       /* ms, CLOCK_MONOTONIC, read after every wait and
					     * every expensive step */
	struct log_queue logq;              /* the console's queue (log_queue) */
};

/* Jails building at once (spawned, their exec not seen): they compete with
 * PID 1 for the kernel's cgroup and mount locks, and a spawn waits. */
#define SUP_MAX_IN_SETUP 4

/* A jail's console lines a second; the rest are counted, not shown. */
#define SUP_ECHO_LINES 100
/* ready = fd:N: bytes without a newline before the fd is given up. */
#define SUP_READY_JUNK 4096

/* After shutdown's deadline, how long the loop waits for the jails it killed
 * before it gives up on them (a process stuck in the kernel). The margin
 * starts at the first turn past the deadline. */
#define SUP_KILL_MARGIN_MS 2000

/* ---- for the control server and init mode ---- */

/* Sets up sup (zeroed by the caller) and loads the config. 0, or -1 when the
 * loop cannot run. */
int sup_init(struct sup *sup, const struct sup_opts *o);

/* One turn of the loop: waits for an event or the earliest deadline (or
 * upper_deadline, the caller's own; 0: none), handles what is the loop's,
 * does a bounded share of queued work, and copies the events of the
 * caller's fds (T_LISTEN, T_CLIENT) into up. Returns their count, or -1
 * when the loop cannot go on (epoll is broken). */
int sup_turn(struct sup *sup, uint64_t upper_deadline, struct epoll_event *up, int max);

/* A shutdown was asked and every jail is down (or past its deadline). */
bool sup_finished(const struct sup *sup);

/* Ends the loop's use of its fds; the socket file is removed. */
void sup_close(struct sup *sup);

/* A user's command for one jail (EV_START, EV_STOP, ...). Returns false when
 * the jail's state refuses it. */
bool sup_command(struct sup *sup, struct service *s, enum jail_ev ev, int arg);

/* Stops every jail (dependents first), then the loop ends with end. */
void sup_shutdown(struct sup *sup, enum sup_end end);

/* Reloads the config dir (brig(8), reload). Returns -1 when a file had errors. */
int sup_reload(struct sup *sup);

struct service *sup_find(struct sup *sup, const char *name);

void sup_cgroup_path(const struct sup *sup, const struct service *s, char *buf, size_t len);

/* oom_kill of the jail's live cgroup; 0 without the memory controller. */
unsigned long long sup_oom_kills(const struct sup *sup, const struct service *s);

/* Why the jail waits or failed, for status and the console; "" if nothing. */
void sup_reason(const struct sup *sup, const struct service *s, char *buf, size_t len);

/* The jail waits for a dependency that cannot become ready by itself
 * (stopped, failed, broken, missing): only a user's command helps. */
bool sup_stuck(const struct sup *sup, const struct service *s);

/* "FILE:LINE: error: jail NAME: MSG: strerror" on the console. */
void sup_jail_error(const struct service *s, const struct err *e);

/* A struct diag emitter: each problem as a console line. */
void sup_diag_log(void *ctx, const char *file, int line, bool warning, const char *msg);

/* "exited N", "killed by SIGX" of a wait status. */
void sup_exit_text(int st, char *buf, size_t len);

/* Iterates i over the set bits of a bitmap of n words. */
#define SUP_EACH_BIT(map, n, i)                                                      \
	for (unsigned w_ = 0; w_ < (n); w_++)                                        \
		for (uint64_t b_ = (map)[w_]; b_ && ((i) = (int)(w_ * 64 +           \
				  (unsigned)__builtin_ctzll(b_)), 1); b_ &= b_ - 1)

/* ---- inside the loop (supervisor.c, supjail.c, reload.c) ---- */

/* Feeds one event to a jail's machine and carries out the effects; false
 * when the state refused it (a refused event changes nothing). */
bool sup_feed(struct sup *sup, struct service *s, enum jail_ev ev, int arg);
void sup_post(struct sup *sup, struct service *s, int work);
void sup_ep_add(struct sup *sup, int fd, uint32_t events, uint64_t tag);
void sup_ep_close(struct sup *sup, int *fd);
void sup_clock(struct sup *sup);
void sup_free_slot(struct sup *sup, struct service *s);
void sup_link(struct sup *sup);
void sup_console_start(struct sup *sup);
void sup_orphan(struct sup *sup, pid_t pid);  /* reaped: a pid that is no jail's */
/* The part of a turn after its events: deadlines, a wanted reload, a share
 * of the queued work and spawns. */
void sup_work(struct sup *sup);
/* A loaded set checked as a whole and swapped in; takes the set. */
void sup_apply(struct sup *sup, struct config_set *set, struct diag *d);

/* supjail.c: a jail's process and fds. */
int sup_spawn(struct sup *sup, struct service *s, struct err *e);
void sup_net_release(struct sup *sup, struct service *s);  /* FX_RELEASE, slot freed */
void sup_reap(struct sup *sup);
void sup_kill_cgroup(struct sup *sup, struct service *s);
void sup_freeze(struct sup *sup, struct service *s, bool freeze);
void sup_jail_event(struct sup *sup, struct service *s, enum sup_tag kind);

#endif
