/* Runs in: check, run, the supervisor and PID 1, whenever config loads.
 * Part of the config module: the values of seccomp.allow and seccomp.deny
 * in [security], resolved to syscall numbers here so the runtime never
 * parses a name, and the checks of the seccomp keys as a whole. config.c
 * keeps the key table and the simple keys. */
#include "config.h"

#include "ini.h"
#include "seccomp.h"

#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

/* The nearest known word, the way config.c suggests keys. */
struct nearest {
	const char *word;
	char best[64];
	unsigned dist;
};

static void consider(void *ctx, const char *cand)
{
	struct nearest *n = ctx;
	unsigned d = config_distance(n->word, cand);

	if (d < n->dist) {
		n->dist = d;
		snprintf(n->best, sizeof n->best, "%s", cand);
	}
}

static void unknown(const char *w, char *msg, size_t len)
{
	struct nearest n = { w, "", 99 };
	size_t l = strlen(w);

	seccomp_each_word(w[0] == '@', consider, &n);
	if (n.dist <= (l < 6 ? 2 : l / 3 + 1))
		snprintf(msg, len, "unknown %s '%s'; did you mean '%s'?",
			 w[0] == '@' ? "group" : "syscall", w, n.best);
	else
		snprintf(msg, len, "unknown %s '%s'", w[0] == '@' ? "group" : "syscall", w);
}

int config_seccomp_list(const struct jail_cfg *c, uint64_t *bits, const char *v, struct diag *d,
			const char *file, int line, char *msg, size_t len)
{
	const char *key = bits == c->seccomp.allow ? "seccomp.allow" : "seccomp.deny";
	uint64_t these[SECCOMP_WORDS] = { 0 };
	char buf[INI_MAX_LINE + 1];
	char *save = NULL, *w;
	int i;

	snprintf(buf, sizeof buf, "%s", v);
	if (!(w = strtok_r(buf, " \t,", &save)))
		return snprintf(msg, len, "empty list"), -1;
	for (; w; w = strtok_r(NULL, " \t,", &save)) {
		enum seccomp_found f = seccomp_add(w, these);

		if (f == SECCOMP_UNKNOWN)
			return unknown(w, msg, len), -1;
		if (f == SECCOMP_ABSENT)
			diag_warn(d, file, line, "%s: syscall '%s' does not exist on %s; ignored",
				  key, w, seccomp_arch());
	}
	if (bits == c->seccomp.allow && seccomp_has_mount(these))
		diag_warn(d, file, line,
			  "%s: with the mount calls allowed, a jail holding cap_sys_admin can "
			  "remount its read-only binds writable",
			  key);
	for (i = 0; i < SECCOMP_WORDS; i++)
		bits[i] |= these[i];
	return 0;
}

void config_seccomp_finish(const struct jail_cfg *c, struct diag *d, const char *file)
{
	const int *line = c->line;

	if (c->seccomp.mode == SECMODE_ALLOWLIST && !line[K_SECCOMP_ALLOW])
		diag_error(d, file, line[K_SECCOMP], "seccomp: 'allowlist' needs seccomp.allow");
	if (c->seccomp.mode == SECMODE_ALLOWLIST && !c->no_new_privs)
		diag_error(d, file, line[K_SECCOMP],
			   "seccomp: 'allowlist' needs no_new_privs = yes (without it the filter "
			   "would have to allow changing credentials)");
	if (c->seccomp.mode != SECMODE_NONE)
		return;
	if (line[K_SECCOMP_ALLOW] || line[K_SECCOMP_DENY] || line[K_SECCOMP_ACTION])
		diag_warn(d, file,
			  line[K_SECCOMP_ALLOW]   ? line[K_SECCOMP_ALLOW]
			  : line[K_SECCOMP_DENY] ? line[K_SECCOMP_DENY]
						 : line[K_SECCOMP_ACTION],
			  "seccomp.allow, seccomp.deny and seccomp.action have no effect with "
			  "seccomp = none");
	if (c->caps & (1ULL << CAP_SYS_ADMIN))
		diag_warn(d, file, line[K_SECCOMP],
			  "seccomp: with no filter, a jail holding cap_sys_admin can remount its "
			  "read-only binds writable");
}
