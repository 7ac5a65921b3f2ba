/* Runs in: the supervisor and `brig run` (the jail's caller), never in a
 * jail. Every change goes through one rtnetlink request and its ack; the
 * caller steps into the jail's namespace only to open a socket there
 * (setns, then back: both callers are single-threaded), since a netlink
 * socket stays in the namespace it was made in. */
#include "net.h"

#include "log.h"
#include "path.h"
#include "value.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- pure parts ---- */

void net_host_ifname(const char *name, char out[16])
{
	uint32_t h = 2166136261u;  /* FNV-1a */
	const char *p;

	if (strlen(name) <= 12) {
		snprintf(out, 16, "vb-%s", name);
		return;
	}
	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(out, 16, "vb-%.6s.%05x", name, (unsigned)(h & 0xfffff));
}

bool net_needs_hold(const struct jail_cfg *cfg)
{
	/* A `none` jail with a user namespace gets a namespace owned by
	 * that user namespace, from its own clone, as before: its root may
	 * configure it and mount its sysfs. */
	return cfg->net == NET_VETH || cfg->interfaces ||
	       (cfg->net == NET_NONE && !(cfg->namespaces & CLONE_NEWUSER));
}

/* The next space-separated word of *s into out (at most len - 1 bytes);
 * false at the end. */
static bool next_word(const char **s, char *out, size_t len)
{
	size_t n;

	while (**s == ' ')
		(*s)++;
	n = strcspn(*s, " ");
	if (!n)
		return false;
	snprintf(out, len, "%.*s", (int)n, *s);
	*s += n;
	return true;
}

/* ---- rtnetlink ---- */

struct msg {
	struct nlmsghdr h;
	char body[512];  /* the largest request (a veth pair) needs about 120 */
};

static void *msg_start(struct msg *m, int type, int flags, size_t fixed)
{
	memset(m, 0, sizeof *m);
	m->h.nlmsg_len = NLMSG_LENGTH(fixed);
	m->h.nlmsg_type = (uint16_t)type;
	m->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	return NLMSG_DATA(&m->h);
}

/* Appends an attribute; its length is fixed again by nest_end when more
 * attributes go inside it. Requests are built from bounded names and
 * addresses only, well within body. */
static struct rtattr *attr(struct msg *m, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)m + NLMSG_ALIGN(m->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	m->h.nlmsg_len = NLMSG_ALIGN(m->h.nlmsg_len) + RTA_LENGTH(len);
	return a;
}

static void nest_end(struct msg *m, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)m + m->h.nlmsg_len - (char *)a);
}

static void attr_str(struct msg *m, int type, const char *s)
{
	attr(m, type, s, strlen(s) + 1);
}

static void attr_u32(struct msg *m, int type, uint32_t v)
{
	attr(m, type, &v, sizeof v);
}

/* Sends m, reads the answer: 0 on the ack, -errno on the kernel's error;
 * a request without NLM_F_ACK (RTM_GETLINK) gets the link's index. */
static int talk(int fd, struct msg *m)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[8192];  /* one link's attributes, statistics included */
	struct nlmsghdr *r;
	ssize_t n;

	m->h.nlmsg_seq = 1;
	if (sendto(fd, m, m->h.nlmsg_len, 0, (const struct sockaddr *)&kernel, sizeof kernel) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof buf, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;  /* EAGAIN: no answer within NL_TIMEOUT_S */
		if ((size_t)n > sizeof buf)
			return -EMSGSIZE;
		for (r = (struct nlmsghdr *)buf; NLMSG_OK(r, n); r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(r))->error;
			if (r->nlmsg_type == RTM_NEWLINK)
				return ((struct ifinfomsg *)NLMSG_DATA(r))->ifi_index;
		}
		return -EPROTO;  /* an answer that is neither: never wait for more */
	}
}

/* PID 1 talks to the kernel here: a bound on each answer, so that it can
 * never wait for one forever. */
#define NL_TIMEOUT_S 5

static int nl_socket(void)
{
	struct timeval tv = { .tv_sec = NL_TIMEOUT_S };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd >= 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

/* The index of link name, or -errno (-ENODEV: no such link). */
static int link_index(int fd, const char *name)
{
	struct msg m;

	msg_start(&m, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
	m.h.nlmsg_flags = NLM_F_REQUEST;
	attr_str(&m, IFLA_IFNAME, name);
	return talk(fd, &m);
}

/* Link index up (nsfd < 0), or moved into the namespace nsfd. */
static int link_set(int fd, int index, int nsfd)
{
	struct msg m;
	struct ifinfomsg *i = msg_start(&m, RTM_NEWLINK, 0, sizeof *i);

	i->ifi_index = index;
	if (nsfd >= 0)
		attr_u32(&m, IFLA_NET_NS_FD, (uint32_t)nsfd);
	else
		i->ifi_flags = i->ifi_change = IFF_UP;
	return talk(fd, &m);
}

/* A new link name of kind, up; for a veth, master is its bridge and the
 * peer, eth0, is made right inside the namespace nsfd. */
static int link_add(int fd, const char *name, const char *kind, int master, int nsfd)
{
	struct msg m;
	struct ifinfomsg *i = msg_start(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *i);
	struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
	struct rtattr *li, *data, *p;

	i->ifi_flags = i->ifi_change = IFF_UP;
	attr_str(&m, IFLA_IFNAME, name);
	if (master > 0)
		attr_u32(&m, IFLA_MASTER, (uint32_t)master);
	li = attr(&m, IFLA_LINKINFO, NULL, 0);
	attr_str(&m, IFLA_INFO_KIND, kind);
	if (nsfd >= 0) {
		data = attr(&m, IFLA_INFO_DATA, NULL, 0);
		p = attr(&m, VETH_INFO_PEER, &peer, sizeof peer);
		attr_str(&m, IFLA_IFNAME, "eth0");
		attr_u32(&m, IFLA_NET_NS_FD, (uint32_t)nsfd);
		nest_end(&m, p);
		nest_end(&m, data);
	}
	nest_end(&m, li);
	return talk(fd, &m);
}

static int link_del(int fd, const char *name)
{
	struct msg m;

	msg_start(&m, RTM_DELLINK, 0, sizeof(struct ifinfomsg));
	attr_str(&m, IFLA_IFNAME, name);
	return talk(fd, &m);
}

/* RTM_NEWADDR, or with gateway set RTM_NEWROUTE (the default route). */
static int addr_or_route(int fd, int index, const char *w, bool gateway)
{
	unsigned char bin[16];
	const char *end;
	int prefix, v = value_ip(w, bin, &prefix, &end);
	int fam = v == 6 ? AF_INET6 : AF_INET;
	size_t len = v == 6 ? 16 : 4;
	struct msg m;

	if (v < 0)
		return -EINVAL;
	if (gateway) {
		struct rtmsg *r = msg_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *r);

		r->rtm_family = (unsigned char)fam;
		r->rtm_table = RT_TABLE_MAIN;
		r->rtm_protocol = RTPROT_BOOT;
		r->rtm_type = RTN_UNICAST;
		attr(&m, RTA_GATEWAY, bin, len);
		attr_u32(&m, RTA_OIF, (uint32_t)index);
	} else {
		struct ifaddrmsg *a = msg_start(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *a);

		a->ifa_family = (unsigned char)fam;
		a->ifa_prefixlen = (unsigned char)prefix;
		/* No duplicate address detection: the address is usable when
		 * the service starts, not a second later. */
		a->ifa_flags = IFA_F_NODAD;
		a->ifa_index = (uint32_t)index;
		attr(&m, IFA_LOCAL, bin, len);
		attr(&m, IFA_ADDRESS, bin, len);
	}
	return talk(fd, &m);
}

/* ---- a jail's namespace ---- */

int net_enter(int nsfd, int *host)
{
	*host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*host >= 0 && (nsfd < 0 ? unshare(CLONE_NEWNET) : setns(nsfd, CLONE_NEWNET)) == 0)
		return 0;
	if (*host >= 0)
		close(*host);
	*host = -1;
	return -1;
}

void net_back(int *host)
{
	if (*host < 0)
		return;
	if (setns(*host, CLONE_NEWNET) < 0)
		log_msg(LOG_ERROR, "setns back to the host network: %m");
	close(*host);
	*host = -1;
}

/* What build() was doing when it failed: one %s of arg, the key's line. */
struct step {
	const char *what, *arg;
	int key;
};

static void at(struct step *st, int key, const char *what, const char *arg)
{
	st->key = key;
	st->what = what;
	st->arg = arg;
}

/* Moves cfg's interfaces in (out: the host's socket, in: the jail's) and
 * brings them up. Returns 0 or -errno, as the steps below. */
static int move_in(const struct jail_cfg *cfg, struct net_hold *h, int out, int in,
		   struct step *st)
{
	const char *s = cfg->interfaces;
	int n = 0, rc = 0;

	while (rc >= 0 && s && n < CFG_MAX_IFACES && next_word(&s, h->moved[n], 16)) {
		at(st, K_INTERFACE, "interface %s", h->moved[n]);
		rc = link_index(out, h->moved[n]);
		if (rc > 0)
			rc = link_set(out, rc, h->fd);
		if (rc < 0) {
			h->moved[n][0] = '\0';  /* still the host's */
			break;
		}
		rc = link_index(in, h->moved[n++]);
		if (rc > 0)
			rc = link_set(in, rc, -1);
	}
	return rc;
}

/* The addresses, then up, then the default route, on dev inside. */
static int address(const struct jail_cfg *cfg, const char *dev, int in, struct step *st)
{
	const char *s = cfg->address;
	int index = link_index(in, dev), rc = index;

	at(st, K_ADDRESS, "address %s", s);
	for (; rc >= 0 && *(s += strspn(s, " ")); s += strcspn(s, " "))
		rc = addr_or_route(in, index, s, false);
	if (rc >= 0) {
		at(st, K_NET_MODE, "%s up", dev);
		rc = link_set(in, index, -1);
	}
	if (rc >= 0 && cfg->gateway) {
		at(st, K_GATEWAY, "default route via %s", cfg->gateway);
		rc = addr_or_route(in, index, cfg->gateway, true);
	}
	return rc;
}

static int build(const struct jail_cfg *cfg, struct net_hold *h, int out, int in,
		 struct step *st)
{
	int rc, br;

	at(st, K_NET_MODE, "%s up", "lo");
	if ((rc = link_set(in, 1, -1)) < 0)  /* lo is index 1 in every namespace */
		return rc;
	if (cfg->net == NET_VETH) {
		at(st, K_BRIDGE, "bridge %s", cfg->bridge);
		if ((br = link_index(out, cfg->bridge)) < 0)
			return br;
		net_host_ifname(cfg->name, h->host_if);
		at(st, K_NET_MODE, "veth %s", h->host_if);
		/* The name is brig's (net.h): one still there is this jail's
		 * last pair, its namespace not torn down yet, or one a killed
		 * supervisor left pinned. */
		if ((rc = link_add(out, h->host_if, "veth", br, h->fd)) == -EEXIST &&
		    link_del(out, h->host_if) == 0)
			rc = link_add(out, h->host_if, "veth", br, h->fd);
		if (rc < 0)
			return rc;
	}
	if ((rc = move_in(cfg, h, out, in, st)) < 0)
		return rc;
	if (cfg->address && (cfg->net == NET_VETH || h->moved[0][0]))
		return address(cfg, cfg->net == NET_VETH ? "eth0" : h->moved[0], in, st);
	return 0;
}

/* Bind-mounts the namespace at STATE/netns/NAME, for `ip netns exec` and
 * nsenter; the fd the caller keeps is what holds it. */
static int pin(const char *name, const char *state_dir, struct net_hold *h, struct err *e)
{
	char path[PATH_MAX], src[32];
	int dir, fd = -1;

	snprintf(path, sizeof path, "%s/netns", state_dir);
	dir = path_open(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0700);
	if (dir >= 0)
		fd = openat(dir, name, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0400);
	snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
	snprintf(src, sizeof src, "/proc/self/fd/%d", h->fd);
	if (fd >= 0) {
		close(fd);
		(void)umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);  /* a crashed supervisor's */
		h->pinned = mount(src, path, NULL, MS_BIND, NULL) == 0;
	}
	if (dir >= 0)
		close(dir);
	return h->pinned ? 0 : err_sys(e, "pin the network namespace at %s", path);
}

int net_hold(const struct jail_cfg *cfg, const char *state_dir, struct net_hold *h,
	     struct err *e)
{
	struct step st = { "%s", "netlink socket", K_NET_MODE };
	int host, in = -1, out = -1, rc = -1;

	memset(h, 0, sizeof *h);
	h->fd = -1;
	if (net_enter(-1, &host) < 0)
		return err_set_at(e, cfg->line[K_NET_MODE], errno, "new network namespace");
	h->fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	in = nl_socket();
	net_back(&host);
	out = nl_socket();
	if (h->fd >= 0 && in >= 0 && out >= 0)
		rc = build(cfg, h, out, in, &st);
	else
		rc = -errno;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (rc == -ENODEV && st.key == K_BRIDGE)
		err_set_at(e, cfg->line[K_BRIDGE], 0, "bridge '%s' does not exist", cfg->bridge);
	else if (rc < 0)
		err_set_at(e, cfg->line[st.key], -rc, st.what, st.arg);
	if (rc >= 0 && state_dir)
		rc = pin(cfg->name, state_dir, h, e);
	if (rc < 0)
		net_release(cfg->name, state_dir, h);
	return rc < 0 ? -1 : 0;
}

void net_release(const char *name, const char *state_dir, struct net_hold *h)
{
	char path[PATH_MAX];
	int host, fd = -1, i, rc = 0;

	if (h->fd < 0)
		return;
	/* Moved interfaces would go to the first namespace, or vanish (a
	 * VLAN, a veth end), with the jail's: back to ours first. */
	if (h->moved[0][0] && net_enter(h->fd, &host) == 0) {
		fd = nl_socket();
		rc = -errno;
		if (setns(host, CLONE_NEWNET) < 0)
			log_msg(LOG_ERROR, "setns back to the host network: %m");
	}
	for (i = 0; i < CFG_MAX_IFACES && h->moved[i][0]; i++) {
		if (fd >= 0 && (rc = link_index(fd, h->moved[i])) > 0)
			rc = link_set(fd, rc, host);
		if (rc < 0)
			log_msg(LOG_ERROR, "jail %s: release %s: %s", name, h->moved[i], strerror(-rc));
	}
	if (h->moved[0][0])
		net_back(&host);
	if (fd >= 0)
		close(fd);
	/* The veth pair goes with the namespace, torn down by the kernel in
	 * the background: deleting it here costs a grace period (tens of
	 * ms) on the caller's path. */
	if (h->pinned) {
		snprintf(path, sizeof path, "%s/netns/%s", state_dir, name);
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 || unlink(path) < 0)
			log_msg(LOG_ERROR, "jail %s: release %s: %m", name, path);
	}
	close(h->fd);
	memset(h, 0, sizeof *h);
	h->fd = -1;
}

/* ---- the system file's bridges ---- */

/* "NAME [ADDR/PREFIX...]": made if missing (a present one is kept), up,
 * with its addresses. */
static int bridge(int fd, const char *spec)
{
	char name[16];
	const char *s = spec;
	int rc, index;

	next_word(&s, name, sizeof name);
	rc = link_add(fd, name, "bridge", 0, -1);
	index = link_index(fd, name);
	if (rc == -EEXIST || rc >= 0)
		rc = index < 0 ? index : link_set(fd, index, -1);
	for (; rc >= 0 && *(s += strspn(s, " ")); s += strcspn(s, " "))
		if ((rc = addr_or_route(fd, index, s, false)) == -EEXIST)
			rc = 0;
	return rc;
}

int net_bridges(const struct init_cfg *ic)
{
	int i, rc, fd = nl_socket(), failed = 0;

	for (i = 0; i < ic->nbridges; i++) {
		rc = fd < 0 ? -errno : bridge(fd, ic->bridges[i]);
		if (rc < 0) {
			log_msg(LOG_ERROR, "%s:%d: bridge %s: %s", ic->file, ic->bridge_line[i],
				ic->bridges[i], strerror(-rc));
			failed++;
		}
	}
	if (fd >= 0)
		close(fd);
	return failed;
}
