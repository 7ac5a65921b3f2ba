/* The syscall filter, without libseccomp: syscall names and @groups
 * resolved to bitmaps when config loads, a classic BPF program built from
 * them, and its installation in a jail's processes. */
#ifndef BRIG_SECCOMP_H
#define BRIG_SECCOMP_H

#include "err.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jail_cfg;

/* Bit n of a syscall set is syscall number SC_BASE + n, SC_BASE being the
 * architecture's lowest (0, or 4000 on mips o32). */
#define SECCOMP_SPAN 1024
#define SECCOMP_WORDS (SECCOMP_SPAN / 64)
/* No program is longer: a rule per syscall number at most, three more per
 * chunk of them (at most 3 * sqrt(SPAN)), and the framing. */
#define SECCOMP_PROG_MAX (SECCOMP_SPAN + 160)

enum seccomp_mode {
	SECMODE_DEFAULT,    /* brig's deny list, less seccomp.allow, plus seccomp.deny */
	SECMODE_ALLOWLIST,  /* only seccomp.allow (less seccomp.deny) and what exec needs */
	SECMODE_NONE,       /* no filter */
};

enum seccomp_action {
	SECACT_EPERM,  /* a denied call fails with EPERM */
	SECACT_KILL,   /* the process dies of SIGSYS */
};

struct seccomp_cfg {
	enum seccomp_mode mode;
	enum seccomp_action action;
	uint64_t allow[SECCOMP_WORDS];  /* named in seccomp.allow */
	uint64_t deny[SECCOMP_WORDS];   /* named in seccomp.deny */
};

enum seccomp_found {
	SECCOMP_FOUND,    /* added to the set */
	SECCOMP_ABSENT,   /* a syscall brig knows that this architecture lacks */
	SECCOMP_UNKNOWN,  /* neither a syscall nor a group */
};

/* Pure: adds WORD, a syscall name or "@group", to the set bits. */
enum seccomp_found seccomp_add(const char *word, uint64_t *bits);

/* Pure: bits holds a call of @mount, which can remount a read-only bind. */
bool seccomp_has_mount(const uint64_t *bits);

/* Calls fn with every syscall name brig knows (groups: every "@group"). */
void seccomp_each_word(bool groups, void (*fn)(void *ctx, const char *word), void *ctx);

/* The architecture brig was built for, as in messages ("x86_64"). */
const char *seccomp_arch(void);

/* Pure: the filter for c into prog (at most max instructions): the
 * architecture check, then the rules. Returns the number of instructions,
 * or -1 with e set when max is too small. */
int seccomp_build(const struct seccomp_cfg *c, struct sock_filter *prog, size_t max,
		  struct err *e);

/* Installs prog on the calling thread (and what it execs). Needs
 * no_new_privs or CAP_SYS_ADMIN. */
int seccomp_install(const struct sock_filter *prog, size_t n, struct err *e);

/* Runs in: the service child and the `brig exec` child. Call it twice:
 * with creds_done false before the credentials and capabilities are
 * dropped, and with true after them (no_new_privs set), right before exec.
 * It installs cfg's filter once: at the second call, or, when the jail
 * keeps no_new_privs = no (the kernel then wants CAP_SYS_ADMIN), at the
 * first. */
int seccomp_apply(const struct jail_cfg *cfg, bool creds_done, struct err *e);

/* The jail init's own filter: the default deny list plus execve and
 * execveat, for the jail init never runs another program. */
void seccomp_init_cfg(struct seccomp_cfg *c);

/* Runs in: the jail init, once it has started the service (a filter is
 * inherited: before, it would bind the service too). Installs the filter
 * of seccomp_init_cfg. */
int seccomp_apply_init(struct err *e);

#endif
