/* The life of one jail as one pure function: (state, event, what it may
 * know) -> (next state, effects). No I/O, no allocation, no clock: the loop
 * (supervisor.c) passes the time and the view of the jail's dependencies,
 * and carries out the effects; nothing else changes a jail's state. */
#ifndef BRIG_MACHINE_H
#define BRIG_MACHINE_H

#include "config.h"
#include "policy.h"

#include <stdbool.h>
#include <stdint.h>

/* The states of brig(8), status. */
enum jail_state {
	JS_WAITING,   /* for its dependencies */
	JS_STARTING,  /* spawned (or about to be), not yet ready */
	JS_RUNNING,   /* ready */
	JS_STOPPING,  /* stop asked: its dependents go first, then its stop signal */
	JS_BACKOFF,   /* waiting to restart */
	JS_STOPPED,   /* down, by policy or by request */
	JS_FAILED,    /* gave up */
	JS_PAUSED,    /* cgroup frozen; paused_from says what it was */
	JS_DONE,      /* a oneshot that exited 0 */
	JS_COUNT
};

enum jail_ev {
	EV_START,         /* user start, autostart, a new jail */
	EV_STOP,          /* user stop, removal, a dependency going down */
	EV_RESTART,       /* user restart, a dependency restarting */
	EV_KILL,          /* user kill; arg: the signal */
	EV_PAUSE,
	EV_RESUME,
	EV_FROZEN,        /* cgroup.events says frozen 1 */
	EV_SPAWNED,       /* the spawn effect made a jail init */
	EV_SETUP_FAILED,  /* the spawn failed, or the jail init reported a setup error */
	EV_EXEC,          /* the service exec'd (the setup pipe closed) */
	EV_READY,         /* READY=1, or a newline on the ready fd */
	EV_EXITED,        /* the jail init was reaped; arg: its wait status */
	EV_TIMER,         /* the deadline passed */
	EV_DEP,           /* a dependency or dependent changed */
	EV_CONFIG,        /* a reload changed the jail's file */
	EV_SHUTDOWN,      /* everything stops for good, within view.deadline */
	EV_COUNT
};

enum jail_fx {
	FX_SPAWN,            /* build the jail and start its init; then EV_SPAWNED or
			      * EV_SETUP_FAILED */
	FX_SIGNAL,           /* arg: a signal for the jail init */
	FX_KILL,             /* cgroup.kill: every process of the jail */
	FX_FREEZE,           /* cgroup.freeze 1; EV_FROZEN follows */
	FX_THAW,             /* cgroup.freeze 0 */
	FX_TIMER,            /* at: the deadline; 0: none */
	FX_STOP_DEPENDENTS,  /* EV_STOP (arg 1: EV_RESTART) to the jails that name it */
	FX_WAKE_DEPENDENTS,  /* EV_DEP to the jails that name it: it is ready, or gone */
	FX_WAKE_DEPS,        /* EV_DEP to the jails it names: it has no process now */
	FX_LOG,              /* arg: enum jail_msg; at: its number */
	FX_FAILURE_ACTION,   /* arg: enum failure_action */
	FX_SWAP_CONFIG,      /* the changed config applies now: machine_configure() */
	FX_ACQUIRE,          /* resources held across restarts (a network namespace) */
	FX_RELEASE,          /* ... released: stopped, failed, done or removed */
	FX_COUNT
};

/* Console lines (the loop words them, with the jail's name). */
enum jail_msg {
	MSG_STARTED,     /* "started (pid N)" */
	MSG_READY,
	MSG_EXITED,      /* at: the wait status and flags: "exited N", "killed by SIGX" */
	MSG_STOPPED,     /* at: the wait status and flags: "stopped (...)" */
	MSG_RESTARTING,  /* at: the delay */
	MSG_FAILED,      /* the policy's why */
	MSG_DONE,
	MSG_WAITING,     /* the loop adds the reason */
	MSG_NOT_READY,   /* at: ready_timeout */
	MSG_KILLING,     /* at: stop_timeout: still running after the stop signal */
	MSG_OUT_OF_TIME, /* the shutdown's deadline came: killing */
};

/* Flags beside the wait status in the `at` of MSG_EXITED and MSG_STOPPED. */
#define MSG_KILLED (1ULL << 32)        /* cgroup.kill ended it after stop_timeout */
#define MSG_CUT (1ULL << 34)           /* ... at the shutdown's deadline */
#define MSG_START_FAILED (1ULL << 33)  /* it never got going */

/* What the machine takes from the jail's config. */
struct jail_params {
	bool oneshot;
	bool ready_on_exec;  /* ready = exec */
	bool autostart;
	int stop_signal;
	uint64_t ready_timeout_ms, stop_timeout_ms;
	struct policy policy;
};

/* One jail's record; all zero but params is a stopped jail. */
struct jail_m {
	enum jail_state state;
	enum jail_state paused_from;
	bool alive;           /* a jail init exists (between EV_SPAWNED and EV_EXITED) */
	bool spawning;        /* FX_SPAWN asked, not carried out yet */
	bool exec_seen;
	bool failed_start;    /* this run never got going */
	bool stop_wanted;     /* a stop was asked: this run's end is not a failure */
	bool restart_wanted;  /* start again once stopped */
	bool signalled;       /* the stop signal went out */
	unsigned char killed; /* cgroup.kill went out: 1 after stop_timeout (or
			       * ready_timeout), 2 at the shutdown's deadline */
	bool freezing;        /* FX_FREEZE asked, EV_FROZEN not seen */
	bool new_config;      /* a reload changed the file: it applies at the next start */
	bool held;            /* FX_ACQUIRE done, FX_RELEASE not */
	uint64_t deadline;    /* what the last FX_TIMER asked; 0: none */
	uint64_t since_ms;    /* entered this state */
	uint64_t start_ms;    /* this run was spawned */
	unsigned restarts;
	unsigned rests;       /* times it entered stopped, failed or done */
	int last_status;      /* wait status of the last run; -1 before any */
	const char *why;      /* static text: why it failed */
	struct policy_hist hist;
	struct jail_params p;
};

/* What the machine may know of the world besides its record. */
struct jail_view {
	uint64_t now;
	bool deps_ready;        /* every `after` jail is ready (or done) */
	bool dependents_alive;  /* a jail that names it still has a process */
	uint64_t deadline;      /* shutdown: everything ends by then; 0: no shutdown */
};

#define MACHINE_MAX_FX 12
#define MACHINE_KILL_RETRY_MS 1000  /* after cgroup.kill, the next try */

struct jail_out {
	struct {
		enum jail_fx kind;
		int arg;
		uint64_t at;
	} fx[MACHINE_MAX_FX];
	int n;
	bool refused;  /* the event means nothing in this state (a user command) */
};

/* A fresh record: stopped, with the config's parameters. */
void machine_init(struct jail_m *m, const struct jail_params *p, uint64_t now);

/* New parameters: FX_SWAP_CONFIG (the machine reset the counters). */
void machine_configure(struct jail_m *m, const struct jail_params *p);

/* The parameters of a config. */
void machine_params(const struct jail_cfg *c, struct jail_params *p);

/* Applies one event; out gets the effects, in the order to carry them out. */
void machine_step(struct jail_m *m, enum jail_ev ev, int arg, const struct jail_view *v,
		  struct jail_out *out);

/* A dependent may start: ready, paused while ready, or done for a oneshot. */
bool machine_satisfies(const struct jail_m *m);

/* The dependency can still become ready without a user's command. */
bool machine_may_become_ready(const struct jail_m *m);

const char *machine_state_name(enum jail_state s);

#endif
