/* Runs in: the supervisor. Reload (brig(8), reload): the whole next set is built
 * and checked aside (cfgdir.c: the files, the limit, then the graph that
 * would run: new files plus the configs kept for broken ones), and only
 * then swapped in: slots for new jails, changed configs queued, removed
 * jails stopped, the `after` links redone, and the machines told. Before
 * the swap any error only rejects files; after it nothing can fail. */
#include "supervisor.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The jail's config as the graph sees it: the changed one once it waits. */
static const struct jail_cfg *effective(const struct service *s)
{
	return s->next_cfg ? s->next_cfg : s->cfg;
}

static bool keep(void *ctx, const char *name)
{
	return sup_find(ctx, name) != NULL;
}

/* A removed jail keeps no config for the graph: it may still be stopping,
 * but the last reload checked the graph without it, so its old `after`
 * could close a cycle among configs that were each fine. */
static const struct jail_cfg *old(void *ctx, const char *name)
{
	struct service *s = sup_find(ctx, name);

	return s && !s->remove ? effective(s) : NULL;
}

/* Takes ownership of cfg. Allocates the ring: config load time only. */
static struct service *new_slot(struct sup *sup, struct jail_cfg *cfg)
{
	struct service *s = NULL;
	struct jail_params p;
	char *ring;
	int i;

	for (i = 0; i < sup->nsvc && !s; i++)
		if (!sup->svc[i].cfg)
			s = &sup->svc[i];
	if (!s && sup->nsvc < SUP_MAX_SLOTS)
		s = &sup->svc[sup->nsvc++];
	ring = s ? malloc(LOGRING_ALLOC(cfg->log_size)) : NULL;
	if (!ring) {
		if (s)
			log_msg(LOG_ERROR, "jail %s: out of memory", cfg->name);
		else
			log_msg(LOG_ERROR, "%s: error: left out: no free slot while removed jails "
				"stop; reloading once they have", cfg->file);
		sup->reload_again = true;
		config_free(cfg);
		free(cfg);
		return NULL;
	}
	i = (int)(s - sup->svc);
	memset(s, 0, sizeof *s);
	s->idx = i;
	s->cfg = cfg;
	s->out_fd = s->err_fd = s->ready_fd = s->notify_fd = s->cg_events_fd = s->net.fd = -1;
	s->fresh = true;
	machine_params(cfg, &p);
	machine_init(&s->m, &p, sup->now);
	logring_init_timed(&s->ring, ring, cfg->log_size);
	logring_echo_init(&s->echo, cfg->name);
	return s;
}

void sup_free_slot(struct sup *sup, struct service *s)
{
	unsigned gen = s->gen + 1;
	int idx = s->idx;

	heap_set(&sup->timers, s->idx, 0);
	sup_net_release(sup, s);
	free(s->ring.buf);
	config_free(s->cfg);
	free(s->cfg);
	if (s->next_cfg) {
		config_free(s->next_cfg);
		free(s->next_cfg);
	}
	memset(s, 0, sizeof *s);
	s->idx = idx;
	s->gen = gen;
	s->out_fd = s->err_fd = s->ready_fd = s->notify_fd = s->cg_events_fd = s->net.fd = -1;
	sup->changed[idx / 64] |= 1ULL << (idx % 64);
	sup_link(sup);
	if (sup->reload_again) {
		sup->reload_again = false;
		sup->reload_wanted = true;
	}
}

/* Resolves every slot's `after` names (to slots, to broken files of the
 * last reload, or to nothing) and rebuilds the dependents bitmaps. A
 * removed jail keeps its dependents (they stop first) but names nothing:
 * the graph checked at reload has no node for it, so no edge from it may
 * close a cycle. */
void sup_link(struct sup *sup)
{
	int i, a;

	for (i = 0; i < sup->nsvc; i++)
		memset(sup->svc[i].dependents, 0, sizeof sup->svc[i].dependents);
	for (i = 0; i < sup->nsvc; i++) {
		struct service *s = &sup->svc[i], *d;
		const struct jail_cfg *c = s->cfg ? effective(s) : NULL;

		for (a = 0; c && a < c->nafter; a++) {
			int b;

			if (s->remove) {
				s->deps[a] = DEP_MISSING;
				continue;
			}
			if ((d = sup_find(sup, c->after[a]))) {
				s->deps[a] = (int16_t)d->idx;
				d->dependents[i / 64] |= 1ULL << (i % 64);
				continue;
			}
			for (b = 0; b < sup->nbroken && strcmp(sup->broken[b].name, c->after[a]); b++)
				;
			s->deps[a] = b < sup->nbroken ? (int16_t)(-2 - b) : DEP_MISSING;
		}
	}
}

void sup_diag_log(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	char buf[PATH_MAX + 300];

	(void)ctx;
	diag_format(buf, sizeof buf, file, line, warning, msg);
	log_msg(warning ? LOG_WARN : LOG_ERROR, "%s", buf);
}

/* [init] settings the loop itself uses. */
static void apply_init(struct sup *sup, struct init_cfg *ic)
{
	int i;

	sup->shutdown_timeout_ms = ic->shutdown_timeout_ms;
	if (!sup->o.init_mode || !ic->console[0])
		return;
	for (i = 0; sup->console[i]; i++)
		free(sup->console[i]);
	memcpy(sup->console, ic->console, sizeof sup->console);
	memset(ic->console, 0, sizeof ic->console);
	sup->console_ms = sup->console_delay_ms = 0;  /* a reload tries again now */
}

/* The swap: every slot takes its part of set; set keeps only broken files.
 * set->jails stays whole until the end, for config_find(). */
static void swap_in(struct sup *sup, struct config_set *set)
{
	enum { NEW, TAKEN, SAME } fate[CFG_MAX_JAILS] = { NEW };
	int i, k;

	for (i = 0; i < sup->nsvc; i++) {
		struct service *s = &sup->svc[i];

		s->fresh = false;
		if (!s->cfg || (k = config_find(set, s->cfg->name)) < 0) {
			/* No good file: a broken one keeps a running jail,
			 * none removes it. A removed jail stays removed
			 * until a good file brings it back. */
			if (s->cfg)
				s->remove = s->remove || !config_find_broken(set, s->cfg->name);
			continue;
		}
		s->remove = false;
		fate[k] = config_equal(effective(s), set->jails[k]) ? SAME : TAKEN;
		if (fate[k] == SAME)
			continue;
		log_msg(LOG_INFO, "jail %s: config changed, restarting", s->cfg->name);
		if (s->next_cfg) {
			config_free(s->next_cfg);
			free(s->next_cfg);
		}
		s->next_cfg = set->jails[k];
	}
	for (k = 0; k < set->njails; k++) {
		if (fate[k] == NEW)
			new_slot(sup, set->jails[k]);
		else if (fate[k] == SAME)
			config_free(set->jails[k]), free(set->jails[k]);
	}
	set->njails = 0;
}

/* The broken files, for the reasons of their dependents; the rest of the
 * set goes. */
static void keep_broken(struct sup *sup, struct config_set *set)
{
	struct config_broken *b = set->nbroken ? malloc(set->nbroken * sizeof *b) : NULL;
	int i;

	for (i = 0; i < sup->nbroken; i++)
		free(sup->broken[i].why);
	free(sup->broken);
	sup->broken = b;
	sup->nbroken = b ? set->nbroken : 0;
	if (b)
		memcpy(b, set->broken, set->nbroken * sizeof *b);
	for (i = 0; i < set->nbroken; i++)
		if (b)
			set->broken[i].why = NULL;  /* moved */
}

/* The machines learn what changed, once every link is in place. */
static void tell(struct sup *sup)
{
	int i;

	for (i = 0; i < sup->nsvc; i++) {
		struct service *s = &sup->svc[i];

		if (!s->cfg)
			continue;
		if (s->remove)
			sup_feed(sup, s, EV_STOP, 0);
		else if (s->fresh && s->cfg->autostart)
			sup_feed(sup, s, EV_START, 0);
		else if (s->next_cfg && !s->m.new_config)
			sup_feed(sup, s, EV_CONFIG, 0);  /* the machine learns of it */
		if (s->cfg)
			sup_post(sup, s, W_DEP);
	}
}

/* Between two files of a reload: the watchdog does not wait for the
 * whole dir. */
static void tick(void *ctx)
{
	struct sup *sup = ctx;

	sup_clock(sup);
	watchdog_kick(sup->o.wd, sup->now);
}

int sup_reload(struct sup *sup)
{
	struct diag d = { .emit = sup_diag_log, .tick = tick, .ctx = sup };
	struct config_set *set = calloc(1, sizeof *set);

	if (!set) {
		log_msg(LOG_ERROR, "reload: out of memory");
		return -1;
	}
	config_load_dir(sup->config_dir, set, keep, sup, &d);
	net_bridges(&set->init);  /* before any jail starts; present ones are kept */
	sup_apply(sup, set, &d);
	return d.errors ? -1 : 0;
}

void sup_apply(struct sup *sup, struct config_set *set, struct diag *d)
{
	config_check_graph(set, old, sup, d);
	sup_clock(sup);
	watchdog_kick(sup->o.wd, sup->now);
	apply_init(sup, &set->init);
	swap_in(sup, set);
	keep_broken(sup, set);
	config_free_set(set);
	free(set);
	sup_link(sup);
	tell(sup);
	sup_console_start(sup);
}
