/* A config dir (DIR/brig.ini, DIR/jails/NAME.ini) and the `after` graph of
 * its jails, checked as a whole: the set `brig check` validates, init mode
 * boots and a reload swaps in. */
#ifndef BRIG_CFGDIR_H
#define BRIG_CFGDIR_H

#include "config.h"

/* A jail file that is not in the set, and its first error, for the reason
 * its dependents give while they wait ("waiting for NAME (broken: WHY)"). */
struct config_broken {
	char name[CFG_NAME_MAX + 1];
	char *why;  /* "FILE:LINE: MSG" (malloc'd; NULL when out of memory) */
};

struct config_set {
	struct init_cfg init;
	struct jail_cfg *jails[CFG_MAX_JAILS];  /* good files, in name order */
	int njails;
	struct config_broken broken[CFG_MAX_JAILS];  /* in name order */
	int nbroken;
	int left_out;  /* files over CFG_MAX_JAILS, each named in an error */
};

/* Whether the caller runs a jail of this name (a reload): such files are
 * kept before any other when there are more than CFG_MAX_JAILS. */
typedef bool (*config_keep_fn)(void *ctx, const char *name);

/* The config a reload's caller keeps for a jail of this name, or NULL. */
typedef const struct jail_cfg *(*config_old_fn)(void *ctx, const char *name);

/* Reads DIR/brig.ini (optional) and DIR/jails/ *.ini: at most
 * CFG_MAX_JAILS files, those keep() names first, then in name order; every
 * file left out is reported as an error. A file with errors goes to
 * set->broken. keep may be NULL. Returns the number of errors. */
int config_load_dir(const char *dir, struct config_set *set, config_keep_fn keep, void *ctx,
		    struct diag *d);

/* Checks the graph that would run: the good files, and for a broken file
 * the config old() gives (a reload keeps its running jail), as a whole. A
 * file that names a jail with no file, or closes a cycle, is an error at
 * its after line and moves to set->broken; a file equal to the config
 * old() gives (unchanged) is taken as it was checked before, so a cycle is
 * always blamed on a new or changed file. Cost: bounded by the number of
 * files times the names in their `after`; no recursion. old may be NULL.
 * Returns the number of errors. */
int config_check_graph(struct config_set *set, config_old_fn old, void *ctx, struct diag *d);

/* The index of name among set->jails (in name order), or -1. */
int config_find(const struct config_set *set, const char *name);

/* The broken entry of name, or NULL. */
const struct config_broken *config_find_broken(const struct config_set *set, const char *name);

void config_free_set(struct config_set *set);

#endif
