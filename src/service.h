/* One supervised jail: its state, its fds, its history. The state table
 * (service.c) decides; the loop (supervisor.c) carries out. */
#ifndef BRIG_SERVICE_H
#define BRIG_SERVICE_H

#include "config.h"
#include "logring.h"
#include "net.h"
#include "policy.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum svc_state {
	SVC_WAITING,   /* for its dependencies */
	SVC_STARTING,  /* spawned, not yet ready */
	SVC_RUNNING,   /* ready */
	SVC_STOPPING,  /* stop signal sent, waiting for the exit */
	SVC_BACKOFF,   /* waiting to restart */
	SVC_STOPPED,   /* down, by policy or by request */
	SVC_FAILED,    /* gave up */
	SVC_PAUSED,    /* cgroup frozen */
	SVC_DONE,      /* a oneshot that exited 0 */
};

struct service {
	struct jail_cfg *cfg;
	int idx;
	enum svc_state state;
	pid_t pid;          /* host pid of the jail init; 0: none */
	int out_fd;         /* read end of the jail's stdout+stderr pipe; -1 */
	int err_fd;         /* setup report pipe: a struct err, or EOF at exec; -1 */
	int ready_fd;       /* ready = fd:N: read end; -1 */
	int notify_fd;      /* ready = notify: datagram socket; -1 */
	uint64_t since_ms;  /* entered this state */
	uint64_t start_ms;  /* this run was spawned */
	uint64_t deadline_ms;  /* 0: no timer; else restart / ready / stop deadline */
	int heap_pos;       /* index in the timer heap, -1 when not in it */
	unsigned restarts;
	unsigned long long oom_kills;  /* of runs whose cgroup is gone */
	int last_status;    /* wait status of the last run; -1 before any */
	bool failed_start;  /* the last run never got going */
	bool stop_wanted;   /* a user or shutdown asked: never restart */
	bool start_after_stop;  /* `restart`: start again once stopped */
	bool exec_seen;     /* the service's exec happened */
	char status[80];    /* STATUS= from sd_notify */
	char reason[120];   /* why waiting or failed, for status */
	struct policy policy;
	struct policy_hist hist;
	struct logring ring;
	struct logring_echo echo;
	int deps[CFG_MAX_AFTER];       /* indexes of `after` jails */
	int ndeps;
	uint64_t dependents[CFG_MAX_JAILS / 64];  /* bit i: jail i names this one in `after` */
	int cg_events_fd;   /* cgroup.events of the jail's cgroup, watched for frozen/populated */
	bool cg_busy;       /* the cgroup outlived the jail init: remove it once empty */
	bool remove;        /* gone from the config: free the slot once stopped */
	bool freezing;      /* cgroup.freeze written, "frozen 1" not yet seen */
	enum svc_state paused_from;  /* state to return to on resume */
	struct jail_cfg *next_cfg;  /* changed on reload: applied at the next start */
	struct net_hold net;        /* its network namespace, from the first start to rest */
};

/* The slot of the jail named name among n slots, or NULL. */
struct service *service_find(struct service *svc, int n, const char *name);

const char *service_state_name(enum svc_state s);

#endif
