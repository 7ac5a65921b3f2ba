/* Runs in: check, the supervisor and PID 1, whenever a config dir loads.
 * The jail files of a dir, at most CFG_MAX_JAILS of them, and the graph of
 * their `after` names checked as a whole. The graph comes from files a user
 * edits: every walk here is a loop over an explicit stack with colour
 * marks, bounded by the number of files and names, never recursion. */
#include "cfgdir.h"

#include "cfgkeys.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX (CFG_NAME_MAX + 5)  /* "NAME.ini" */

/* ---- the files ---- */

struct listing {
	char (*names)[FILE_MAX + 1];  /* sorted */
	bool *kept;                   /* names[i] is a jail the caller runs */
	int n;
};

/* Drops entry i of the listing, naming it as left out. */
static void leave_out(struct listing *l, int i, const char *jdir, struct config_set *set,
		      struct diag *d)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/%s.ini", jdir, l->names[i]) < (int)sizeof path)
		diag_error(d, path, 0, "left out: more than %d jail files", CFG_MAX_JAILS);
	set->left_out++;
	memmove(&l->names[i], &l->names[i + 1], (size_t)(l->n - i - 1) * sizeof l->names[0]);
	memmove(&l->kept[i], &l->kept[i + 1], (size_t)(l->n - i - 1) * sizeof l->kept[0]);
	l->n--;
}

/* Adds one file name in order. When the listing is full, the last name in
 * order that the caller does not run is left out: the new one or another. */
static void list_add(struct listing *l, const char *name, bool kept, const char *jdir,
		     struct config_set *set, struct diag *d)
{
	int i, at;

	for (at = l->n; at > 0 && strcmp(l->names[at - 1], name) > 0; at--)
		;
	memmove(&l->names[at + 1], &l->names[at], (size_t)(l->n - at) * sizeof l->names[0]);
	memmove(&l->kept[at + 1], &l->kept[at], (size_t)(l->n - at) * sizeof l->kept[0]);
	memcpy(l->names[at], name, strlen(name) + 1);  /* the caller checked its length */
	l->kept[at] = kept;
	l->n++;
	if (l->n <= CFG_MAX_JAILS)
		return;
	for (i = l->n - 1; i > 0 && l->kept[i]; i--)
		;
	leave_out(l, i, jdir, set, d);
}

/* The *.ini names of jdir, at most CFG_MAX_JAILS. A name too long for a
 * jail is reported here; its file is never read. */
static void list_ini(const char *jdir, struct listing *l, config_keep_fn keep, void *ctx,
		     struct config_set *set, struct diag *d)
{
	DIR *dp = opendir(jdir);
	char path[PATH_MAX];
	struct dirent *de;

	if (!dp) {
		if (errno != ENOENT)
			diag_error(d, jdir, 0, "opendir: %m");
		return;
	}
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".ini") || de->d_name[0] == '.')
			continue;
		if (len > FILE_MAX) {
			if (snprintf(path, sizeof path, "%s/%s", jdir, de->d_name) <
			    (int)sizeof path)
				diag_error(d, path, 0, "a jail file is named NAME.ini, NAME at "
					   "most %d characters", CFG_NAME_MAX);
			continue;
		}
		de->d_name[len - 4] = '\0';
		list_add(l, de->d_name, keep && keep(ctx, de->d_name), jdir, set, d);
	}
	closedir(dp);
}

static int load_init(const char *dir, struct config_set *set, struct diag *d)
{
	char path[PATH_MAX];
	size_t len;
	char *buf;
	int n;

	config_init_defaults(&set->init);
	snprintf(path, sizeof path, "%s/brig.ini", dir);
	if (access(path, F_OK) < 0)
		return 0;
	if (!(buf = config_slurp(path, &len, d)))
		return 1;
	n = config_parse_init(path, buf, len, &set->init, d);
	free(buf);
	return n;
}

/* "FILE:LINE: MSG", malloc'd. */
static char *why(const char *file, int line, const char *msg)
{
	char buf[PATH_MAX + 300], at[16] = "";

	if (line > 0)
		snprintf(at, sizeof at, ":%d", line);
	snprintf(buf, sizeof buf, "%s%s: %s", file, at, msg);
	return strdup(buf);
}

/* Forwards every problem to the caller's diag and keeps the first error of
 * the file being read, for its broken entry. */
struct first {
	struct diag *up;
	struct config_broken *b;
	bool have;
};

static void keep_first(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	struct first *f = ctx;

	if (f->up->emit)
		f->up->emit(f->up->ctx, file, line, warning, msg);
	if (warning || f->have)
		return;
	f->have = true;
	f->b->why = why(file, line, msg);
}

/* Reads one jail file into the set, good or broken. */
static void load_jail(const char *path, const char *name, struct config_set *set,
		      struct diag *d)
{
	struct config_broken *b = &set->broken[set->nbroken];
	struct first f = { .up = d, .b = b };
	struct diag mine = { .emit = keep_first, .ctx = &f };
	struct jail_cfg *c = calloc(1, sizeof *c);

	memset(b, 0, sizeof *b);
	if (c && config_load_file(path, c, &mine) == 0) {
		set->jails[set->njails++] = c;
	} else {
		if (!c)
			keep_first(&f, path, 0, false, "out of memory");
		snprintf(b->name, sizeof b->name, "%s", name);
		set->nbroken++;
		if (c)
			config_free(c);
		free(c);
	}
	d->errors += mine.errors;
	d->warnings += mine.warnings;
}

int config_load_dir(const char *dir, struct config_set *set, config_keep_fn keep, void *ctx,
		    struct diag *d)
{
	char path[PATH_MAX], jdir[PATH_MAX];
	struct listing l = { .names = calloc(CFG_MAX_JAILS + 1, sizeof l.names[0]),
			     .kept = calloc(CFG_MAX_JAILS + 1, sizeof l.kept[0]) };
	int before = d->errors, i;

	memset(set, 0, sizeof *set);
	load_init(dir, set, d);
	snprintf(jdir, sizeof jdir, "%s/jails", dir);
	if (!l.names || !l.kept)
		diag_error(d, jdir, 0, "out of memory");
	else
		list_ini(jdir, &l, keep, ctx, set, d);
	for (i = 0; i < l.n; i++) {
		if (snprintf(path, sizeof path, "%s/%s.ini", jdir, l.names[i]) >= (int)sizeof path)
			diag_error(d, jdir, 0, "path too long");
		else
			load_jail(path, l.names[i], set, d);
		if (d->tick)
			d->tick(d->ctx);
	}
	free(l.names);
	free(l.kept);
	return d->errors - before;
}

/* ---- the graph ---- */

struct gnode {
	const char *name;
	const struct jail_cfg *cfg;  /* NULL: a broken file with nothing kept */
	int jail;                    /* index in set->jails of a good file; -1 */
	bool fresh;                  /* a new or changed file: it may be blamed */
	bool cut;                    /* its edges are ignored (a safety net) */
	unsigned char color;         /* 0 unseen, 1 on the stack, 2 done */
	int next;                    /* the next `after` name to follow */
};

struct graph {
	struct config_set *set;
	config_old_fn old;
	void *ctx;
	struct diag *d;
	struct gnode node[CFG_MAX_JAILS];
	int n;
	int stack[CFG_MAX_JAILS];
};

/* Binary search among n entries in name order, at(arr, i) naming entry i. */
static int search(const void *arr, int n, const char *(*at)(const void *, int),
		  const char *name)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(name, at(arr, mid));

		if (!c)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

static const char *node_name(const void *g, int i)
{
	return ((const struct graph *)g)->node[i].name;
}

static int find(const struct graph *g, const char *name)
{
	return search(g, g->n, node_name, name);
}

/* Every file of the set, good or broken, in name order. */
static void build(struct graph *g)
{
	struct config_set *s = g->set;
	int i = 0, j = 0;

	g->n = 0;
	for (;;) {
		struct gnode *v = &g->node[g->n];
		const struct jail_cfg *o;

		while (i < s->njails && !s->jails[i])
			i++;  /* rejected this round */
		if (i >= s->njails && j >= s->nbroken)
			return;
		memset(v, 0, sizeof *v);
		g->n++;
		if (j >= s->nbroken || (i < s->njails && strcmp(s->jails[i]->name,
							      s->broken[j].name) < 0)) {
			v->name = s->jails[i]->name;
			v->cfg = s->jails[i];
			v->jail = i++;
			o = g->old ? g->old(g->ctx, v->name) : NULL;
			v->fresh = !o || !config_equal(o, v->cfg);
		} else {
			v->name = s->broken[j++].name;
			v->cfg = g->old ? g->old(g->ctx, v->name) : NULL;
			v->jail = -1;
		}
	}
}

/* The good file of node k has an error at its after line: it moves to the
 * broken list, and the node takes the config the caller keeps, if any. */
__attribute__((format(printf, 3, 4))) static void reject(struct graph *g, int k,
							 const char *fmt, ...)
{
	struct config_set *s = g->set;
	struct gnode *v = &g->node[k];
	struct jail_cfg *c = s->jails[v->jail];
	struct config_broken *b;
	char msg[600];
	va_list ap;
	int at;

	for (at = s->nbroken; at > 0 && strcmp(s->broken[at - 1].name, c->name) > 0; at--)
		;
	memmove(&s->broken[at + 1], &s->broken[at], (size_t)(s->nbroken - at) * sizeof *b);
	s->nbroken++;
	b = &s->broken[at];
	memset(b, 0, sizeof *b);
	snprintf(b->name, sizeof b->name, "%s", c->name);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(g->d, c->file, c->line[K_AFTER], "%s", msg);
	b->why = why(c->file, c->line[K_AFTER], msg);
	s->jails[v->jail] = NULL;
	config_free(c);
	free(c);
	/* The broken entries moved: the names of nodes point into them. */
	build(g);
}

/* The cycle on the stack from index from to top, closed by top's edge to
 * the node at from: blames the jail that closes it if it is new or changed,
 * else the nearest new or changed one before it. */
static void blame(struct graph *g, int from, int top)
{
	char chain[512] = "";
	size_t len = 0;
	int i, k = -1;

	for (i = from; i <= top && len < sizeof chain; i++)
		len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ",
					g->node[g->stack[i]].name);
	if (len < sizeof chain)
		snprintf(chain + len, sizeof chain - len, "%s", g->node[g->stack[from]].name);
	for (i = top; i >= from && k < 0; i--)
		if (g->node[g->stack[i]].fresh && g->node[g->stack[i]].jail >= 0)
			k = g->stack[i];
	if (k >= 0) {
		reject(g, k, "after: dependency cycle %s", chain);
		return;
	}
	/* Only configs the caller keeps: it ran them as one acyclic graph, so
	 * this cannot happen; cut the cycle rather than loop. */
	k = g->stack[top];
	g->node[k].cut = true;
	diag_error(g->d, g->node[k].name, 0, "after: dependency cycle %s", chain);
}

/* A depth-first walk of the whole graph over an explicit stack. A good file
 * that names a jail with no file is blamed on the way. Returns true when
 * it blamed a file (the nodes were rebuilt). */
static bool cycles(struct graph *g)
{
	int r, top, k, i;

	for (k = 0; k < g->n; k++)
		g->node[k].color = 0, g->node[k].next = 0;
	for (r = 0; r < g->n; r++) {
		if (g->node[r].color)
			continue;
		top = 0;
		g->stack[0] = r;
		g->node[r].color = 1;
		while (top >= 0) {
			struct gnode *u = &g->node[g->stack[top]];

			if (!u->cfg || u->cut || u->next >= u->cfg->nafter) {
				u->color = 2;
				top--;
				continue;
			}
			k = find(g, u->cfg->after[u->next++]);
			if (k < 0 && u->jail >= 0) {
				reject(g, g->stack[top], "after: no jail named '%s'",
				       u->cfg->after[u->next - 1]);
				return true;
			}
			if (k < 0 || g->node[k].color == 2)
				continue;
			if (g->node[k].color == 0) {
				g->node[k].color = 1;
				g->stack[++top] = k;
				continue;
			}
			for (i = top; g->stack[i] != k; i--)
				;
			blame(g, i, top);
			return true;
		}
	}
	return false;
}

int config_check_graph(struct config_set *set, config_old_fn old, void *ctx, struct diag *d)
{
	struct graph *g = calloc(1, sizeof *g);
	int before = d->errors, i, n;

	if (!g) {
		diag_error(d, "config", 0, "out of memory");
		return 1;
	}
	g->set = set;
	g->old = old;
	g->ctx = ctx;
	g->d = d;
	build(g);
	/* Each round rejects one file or ends: at most one round a file. */
	while (cycles(g))
		;
	for (i = n = 0; i < set->njails; i++)
		if (set->jails[i])
			set->jails[n++] = set->jails[i];
	set->njails = n;
	free(g);
	return d->errors - before;
}

static const char *jail_name(const void *set, int i)
{
	return ((const struct config_set *)set)->jails[i]->name;
}

int config_find(const struct config_set *set, const char *name)
{
	return search(set, set->njails, jail_name, name);
}

const struct config_broken *config_find_broken(const struct config_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->nbroken; i++)
		if (!strcmp(set->broken[i].name, name))
			return &set->broken[i];
	return NULL;
}

void config_free_set(struct config_set *set)
{
	int i;

	for (i = 0; i < set->njails; i++) {
		config_free(set->jails[i]);
		free(set->jails[i]);
	}
	for (i = 0; i < set->nbroken; i++)
		free(set->broken[i].why);
	config_free_init(&set->init);
	memset(set, 0, sizeof *set);
}
