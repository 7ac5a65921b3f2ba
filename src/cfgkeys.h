/* Inside the config module: the parse context that the file parser
 * (cfgfile.c) hands to the key table (config.c). Not for other modules. */
#ifndef BRIG_CFGKEYS_H
#define BRIG_CFGKEYS_H

#include "config.h"
#include "err.h"

enum section { SEC_NONE, SEC_JAIL, SEC_RESTART, SEC_MOUNTS, SEC_CGROUP, SEC_SECURITY, SEC_NET,
	       SEC_INIT };

/* "jail", "restart" ... for a section; "" for SEC_NONE. */
const char *config_section_name(enum section sec);

struct pctx {
	const char *file;
	struct jail_cfg *c;   /* a jail file, or */
	struct init_cfg *ic;  /* the system file */
	struct diag *d;
	enum section sec;
	bool seen_section[SEC_INIT + 1];
	bool bad_section;  /* inside an unknown section: its keys go unreported */
	int line;
	uint64_t max;      /* the key's largest duration; 0: none */
	struct err err;    /* a handler's error, set where it is made */
	int init_line[8];
	uint64_t digest;   /* FNV-1a of every setting, in order */
};

/* One `key = value` of a jail file's section x->sec, or of [init]: parsed
 * into x->c or x->ic, or reported to x->d at x->file:x->line. */
void config_key(struct pctx *x, const char *key, const char *value);
/* A whole file of at most INI_MAX_FILE bytes (one more shows excess), or
 * NULL with the problem reported. */
char *config_slurp(const char *path, size_t *len, struct diag *d);

/* The checks across keys once a jail file is read, and what they imply
 * (PATH, the hostname, the net namespace). */
void config_finish(struct pctx *x);

#endif
