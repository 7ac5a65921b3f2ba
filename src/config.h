/* Jail files and the system file, parsed into plain structs and validated.
 * Everything a jail needs at runtime is decided here, once, at load time;
 * runtime code never re-parses a value. */
#ifndef BRIG_CONFIG_H
#define BRIG_CONFIG_H

#include "seccomp.h"
#include "policy.h"
#include "value.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define CFG_NAME_MAX VALUE_NAME_MAX
#define CFG_MAX_ARGS 128
#define CFG_MAX_ENV 64
#define CFG_MAX_GROUPS 32
#define CFG_MAX_AFTER 32
#define CFG_MAX_MOUNTS 64
#define CFG_MAX_CGROUP 16
#define CFG_MAX_RLIMITS 8
#define CFG_MAX_MODULES 32
#define CFG_MAX_ADDRS 4    /* address entries of a jail, or of one bridge */
#define CFG_MAX_IFACES 8   /* interface entries */
#define CFG_MAX_BRIDGES 8
#define CFG_MAX_JAILS 256
#define CFG_MAX_BURST POLICY_BURST_MAX  /* the restart history holds this many starts */

/* Where a problem is reported: check prints, the supervisor logs. */
struct diag {
	void (*emit)(void *ctx, const char *file, int line, bool warning, const char *msg);
	void (*tick)(void *ctx);  /* NULL, or called after each file of a dir: a caller
				   * that must stay responsive (PID 1's watchdog) */
	void *ctx;
	int errors;
	int warnings;
};

/* "FILE:LINE: error: MSG" (or "FILE: warning: MSG" for line 0) into buf. */
void diag_format(char *buf, size_t len, const char *file, int line, bool warning,
		 const char *msg);

/* An emit callback for commands: "FILE:LINE: error: MSG" on stderr. */
void diag_stderr(void *ctx, const char *file, int line, bool warning, const char *msg);

void diag_error(struct diag *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warn(struct diag *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Every single-value key; cfg->line[K_x] is the line that set it (0: default). */
enum cfg_key {
	K_EXEC, K_TYPE, K_ROOT, K_READONLY_ROOT, K_OVERLAY, K_HOSTNAME, K_NAMESPACES,
	K_USER, K_GROUPS, K_WORKDIR, K_UMASK, K_AFTER, K_READY, K_READY_TIMEOUT,
	K_AUTOSTART, K_LOG, K_LOG_SIZE,
	K_POLICY, K_DELAY, K_MAX_DELAY, K_RESET_AFTER, K_BURST, K_INTERVAL,
	K_FAILURE_ACTION, K_STOP_SIGNAL, K_STOP_TIMEOUT,
	K_PROC, K_DEV,
	K_CAPABILITIES, K_NO_NEW_PRIVS, K_UID_MAP, K_GID_MAP,
	K_SECCOMP, K_SECCOMP_ALLOW, K_SECCOMP_DENY, K_SECCOMP_ACTION,  /* ALLOW, DENY: first line */
	K_CONTROL,
	K_NET_MODE, K_BRIDGE, K_ADDRESS, K_GATEWAY, K_INTERFACE,  /* ADDRESS, INTERFACE: first line */
	K_COUNT
};

enum jail_type {
	JAIL_SERVICE,  /* runs until stopped */
	JAIL_ONESHOT,  /* runs to completion; dependents wait for exit 0 */
};

enum ready_mode {
	READY_EXEC,    /* ready once exec'd */
	READY_NOTIFY,  /* READY=1 on $NOTIFY_SOCKET */
	READY_FD,      /* a newline on fd ready_fd */
};

enum log_mode {
	LOGM_BUFFER,  /* ring buffer and console echo */
	LOGM_QUIET,   /* ring buffer only */
};

/* [security] control: what a process of the jail may ask the supervisor. */
enum control_grant {
	CONTROL_NO,      /* nothing */
	CONTROL_STATUS,  /* status and logs */
	CONTROL_FULL,    /* every command */
};

enum dev_mode {
	DEV_MINIMAL,  /* tmpfs /dev with the usual nodes and links */
	DEV_NONE,     /* no /dev mount at all */
};

enum net_mode {
	NET_HOST,  /* the host's network namespace */
	NET_NONE,  /* own namespace, loopback only */
	NET_JAIL,  /* the namespace of running jail net_jail */
	NET_VETH,  /* own namespace, veth pair, host end on bridge */
};

enum mount_kind {
	MNT_BIND,    /* src is a path in the host's view */
	MNT_TMPFS,   /* src is NULL; data holds size=/mode= */
	MNT_VOLUME,  /* src is the volume name */
};

struct mount_ent {
	enum mount_kind kind;
	char *src;
	char *dst;            /* absolute, inside the jail */
	unsigned long flags;  /* MS_RDONLY MS_NOSUID MS_NODEV MS_NOEXEC MS_REC */
	char *data;           /* tmpfs options ("size=16777216,mode=1777"), else NULL */
	int line;
};

struct cg_ent {
	char *key;    /* interface file name, e.g. "memory.max" */
	char *value;  /* kernel syntax: "16777216", "max", "50000 100000" */
	int line;
};

struct rlimit_ent {
	int resource;  /* RLIMIT_* */
	struct rlimit lim;
	int line;
};

struct idmap {
	uint32_t inside, outside, count;
};

struct jail_cfg {
	char name[CFG_NAME_MAX + 1];
	char *file;  /* path it was read from */
	int line[K_COUNT];
	uint64_t digest;  /* of every setting in order: config_equal() */

	/* [jail] */
	char *argv[CFG_MAX_ARGS + 1];  /* NULL-terminated */
	int argc;
	enum jail_type type;
	char *root;  /* NULL: the host's "/" */
	bool readonly_root;
	char *overlay;  /* NULL, "tmpfs" or a host directory */
	char *hostname;
	unsigned long namespaces;  /* CLONE_NEW* */
	char *user;                /* NULL (0:0), "UID[:GID]" or a name; resolved at start */
	char *groups[CFG_MAX_GROUPS];
	int ngroups;
	char *workdir;
	char *env[CFG_MAX_ENV + 3];  /* NAME=VALUE, NULL-terminated; PATH added at load */
	int nenv;
	int env_line[CFG_MAX_ENV];
	mode_t umask;
	char *after[CFG_MAX_AFTER];
	int nafter;
	enum ready_mode ready;
	int ready_fd;
	uint64_t ready_timeout_ms;
	bool autostart;
	enum log_mode log;
	uint64_t log_size;

	/* [restart] */
	enum restart_policy policy;
	uint64_t delay_ms, max_delay_ms, reset_after_ms, interval_ms;
	unsigned burst;
	enum failure_action failure_action;
	int stop_signal;
	uint64_t stop_timeout_ms;

	/* [mounts] */
	struct mount_ent mounts[CFG_MAX_MOUNTS];
	int nmounts;
	bool tmp_named;  /* the file names /tmp itself: no default /tmp */
	bool proc;
	enum dev_mode dev;

	/* [cgroup] */
	struct cg_ent cgroup[CFG_MAX_CGROUP];
	int ncgroup;

	/* [security] */
	uint64_t caps;  /* bit n: capability n is kept */
	bool no_new_privs;
	struct rlimit_ent rlimits[CFG_MAX_RLIMITS];
	int nrlimits;
	struct idmap uid_map, gid_map;
	struct seccomp_cfg seccomp;  /* names and groups resolved to numbers */
	enum control_grant control;  /* the socket at /run/brig/control.sock inside unless no */

	/* [net] */
	enum net_mode net;
	char *net_jail;
	char *bridge;
	char *address;     /* "ADDR/PREFIX ...": the entries, space-separated */
	char *gateway;     /* IPv4 or IPv6 */
	char *interfaces;  /* "IFNAME ...": the entries, space-separated */
};

struct init_cfg {
	char *file;
	char *hostname;
	char *modules[CFG_MAX_MODULES + 1];  /* NULL-terminated */
	int nmodules;
	char *watchdog;
	uint64_t watchdog_interval_ms;
	uint64_t shutdown_timeout_ms;
	char *emergency_shell[CFG_MAX_ARGS + 1];
	char *console[CFG_MAX_ARGS + 1];  /* a shell kept on the console while jails run */
	char *bridges[CFG_MAX_BRIDGES];  /* "NAME [ADDR/PREFIX...]", as written */
	int bridge_line[CFG_MAX_BRIDGES];
	int nbridges;
};

/* Sets every default; name may be NULL. */
void config_defaults(struct jail_cfg *c, const char *name);

/* Parses one jail file's bytes. Every problem goes to d; returns the number
 * of errors (0: c is complete and valid). c must be config_free'd either way. */
int config_parse(const char *file, const char *buf, size_t len, struct jail_cfg *c,
		 struct diag *d);

/* Reads and parses FILE (…/NAME.ini); the jail's name comes from the file
 * name. Returns the number of errors. */
int config_load_file(const char *path, struct jail_cfg *c, struct diag *d);

int config_parse_init(const char *file, const char *buf, size_t len, struct init_cfg *c,
		      struct diag *d);

void config_free(struct jail_cfg *c);
void config_free_init(struct init_cfg *c);

/* Defaults of the system file. */
void config_init_defaults(struct init_cfg *c);

/* Two parsed configs come from the same settings (for reload): the same
 * name and the same keys and values in the same order, whatever the
 * comments, blanks and file dates. */
bool config_equal(const struct jail_cfg *a, const struct jail_cfg *b);

/* config_seccomp.c, part of this module: one seccomp.allow (bits is
 * c->seccomp.allow) or seccomp.deny value at FILE:LINE; 0, or -1 with msg
 * filled. Warnings go to d. */
int config_seccomp_list(const struct jail_cfg *c, uint64_t *bits, const char *v, struct diag *d,
			const char *file, int line, char *msg, size_t len);
/* config_seccomp.c: the checks of the seccomp keys once the file is read. */
void config_seccomp_finish(const struct jail_cfg *c, struct diag *d, const char *file);
/* Edit distance of two short words, for "did you mean" (99: too long). */
unsigned config_distance(const char *a, const char *b);

#endif
