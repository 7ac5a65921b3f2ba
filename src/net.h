/* A jail's network namespace, held by its caller (the supervisor, or
 * `brig run` for one run): made once, with its veth pair, addresses,
 * routes and moved interfaces, entered by every start of the service,
 * released at the end. Speaks rtnetlink itself. */
#ifndef BRIG_NET_H
#define BRIG_NET_H

#include "config.h"
#include "err.h"

#include <stdbool.h>

struct net_hold {
	int fd;                              /* the namespace (nsfs); -1: none held */
	bool pinned;                         /* bind-mounted at STATE/netns/NAME */
	char host_if[16];                    /* veth host end; "" when none */
	char moved[CFG_MAX_IFACES][16];      /* interfaces to hand back; "" ends */
};

/* Pure: the host end of a jail's veth pair. "vb-NAME" when NAME has at most
 * 12 characters, else "vb-" + its first 6 + "." + 5 hex digits of a hash of
 * the whole name (a jail name holds no '.', so the two forms never meet). */
void net_host_ifname(const char *name, char out[16]);

/* Pure: whether a jail of cfg runs in a namespace the caller holds. */
bool net_needs_hold(const struct jail_cfg *cfg);

/* Runs in: the supervisor, `brig run`. Makes cfg's namespace: loopback up,
 * for veth the pair (eth0 inside, the host end on cfg->bridge, both up)
 * with its addresses and default route, the interfaces moved in. With
 * state_dir, pins it at STATE/netns/NAME. On failure nothing is left. */
int net_hold(const struct jail_cfg *cfg, const char *state_dir, struct net_hold *h,
	     struct err *e);

/* Hands the moved interfaces back, unpins, closes; the veth pair goes
 * with the namespace once nothing else holds it (the kernel tears it down
 * in the background). Errors go to the log; safe on a struct with fd -1. */
void net_release(const char *name, const char *state_dir, struct net_hold *h);

/* Steps the caller into the namespace nsfd (nsfd < 0: a new one); *host
 * keeps the caller's own for net_back. -1 with errno. */
int net_enter(int nsfd, int *host);
void net_back(int *host);

/* Runs in: the supervisor at start. The system file's bridges: created
 * when missing, addressed and up. Every failure is logged; returns the
 * number of failures. */
int net_bridges(const struct init_cfg *ic);

#endif
