/* Runs in: the supervisor and `brig run` (the jail's caller), never in a
 * jail. Every change goes through one rtnetlink request and its ack; the
 * caller steps into the jail's namespace only to open a socket there
 * (setns, then back: both callers are single-threaded), since a netlink
 * socket stays in the namespace it was made in. */
#include "net.h"

#include "log.h"
#include "path.h"

#include <arpa/inet.h>
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
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (r = (struct nlmsghdr *)buf; NLMSG_OK(r, n); r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(r))->error;
			if (r->nlmsg_type == RTM_NEWLINK)
				return ((struct ifinfomsg *)NLMSG_DATA(r))->ifi_index;
		}
	}
}

static int nl_socket(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* A netlink socket inside the namespace nsfd; host is the caller's own. */
static int nl_socket_in(int nsfd, int host)
{
	int fd, saved;

	if (setns(nsfd, CLONE_NEWNET) < 0)
		return -1;
	fd = nl_socket();
	saved = errno;
	if (setns(host, CLONE_NEWNET) < 0)
		log_msg(LOG_ERROR, "setns back to the host network: %s", strerror(errno));
	errno = saved;
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

/* "ADDR" or "ADDR/PREFIX" (checked at load) into bin: its family. */
static int parse_ip(const char *w, unsigned char bin[16], int *prefix)
{
	char a[48];
	int fam;

	snprintf(a, sizeof a, "%.*s", (int)strcspn(w, "/"), w);
	fam = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, a, bin) != 1)
		return -1;
	*prefix = w[strlen(a)] == '/' ? atoi(w + strlen(a) + 1) : 0;
	return fam;
}

/* RTM_NEWADDR, or with gateway set RTM_NEWROUTE (the default route). */
static int addr_or_route(int fd, int index, const char *w, bool gateway)
{
	unsigned char bin[16];
	int prefix, fam = parse_ip(w, bin, &prefix);
	size_t len = fam == AF_INET6 ? 16 : 4;
	struct msg m;

	if (fam < 0)
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

/* Moves cfg's interfaces in (out: the host's socket, in: the jail's) and
 * brings them up; the first is the one addressed when there is no veth. */
static int move_in(const struct jail_cfg *cfg, struct net_hold *h, int out, int in, struct err *e)
{
	const char *s = cfg->interfaces;
	char w[16];
	int n = 0, rc;

	while (s && n < CFG_MAX_IFACES && next_word(&s, w, sizeof w)) {
		rc = link_index(out, w);
		if (rc > 0)
			rc = link_set(out, rc, h->fd);
		if (rc < 0)
			return err_set_at(e, cfg->line[K_INTERFACE], -rc, "interface %s: move it in", w);
		memcpy(h->moved[n++], w, sizeof w);
		rc = link_index(in, w);
		if (rc > 0)
			rc = link_set(in, rc, -1);
		if (rc < 0)
			return err_set_at(e, cfg->line[K_INTERFACE], -rc, "interface %s: up", w);
	}
	return 0;
}

/* The addresses and the default route on dev, inside. */
static int address(const struct jail_cfg *cfg, const char *dev, int in, struct err *e)
{
	const char *s = cfg->address;
	char w[48];
	int index = link_index(in, dev), rc = index;

	while (rc >= 0 && s && next_word(&s, w, sizeof w))
		if ((rc = addr_or_route(in, index, w, false)) < 0)
			return err_set_at(e, cfg->line[K_ADDRESS], -rc, "address %s on %s", w, dev);
	if (rc >= 0)
		rc = link_set(in, index, -1);
	if (rc >= 0 && cfg->gateway && (rc = addr_or_route(in, index, cfg->gateway, true)) < 0)
		return err_set_at(e, cfg->line[K_GATEWAY], -rc, "default route via %s",
				  cfg->gateway);
	if (rc < 0)
		return err_set_at(e, cfg->line[K_NET_MODE], -rc, "%s up", dev);
	return 0;
}

static int build(const struct jail_cfg *cfg, struct net_hold *h, int out, int in, struct err *e)
{
	int rc = link_set(in, 1, -1);  /* lo is index 1 in every namespace */

	if (rc < 0)
		return err_set_at(e, cfg->line[K_NET_MODE], -rc, "bring up lo");
	if (cfg->net == NET_VETH) {
		rc = link_index(out, cfg->bridge);
		if (rc == -ENODEV)
			return err_set_at(e, cfg->line[K_BRIDGE], 0, "bridge '%s' does not exist",
					  cfg->bridge);
		if (rc < 0)
			return err_set_at(e, cfg->line[K_BRIDGE], -rc, "bridge %s", cfg->bridge);
		net_host_ifname(cfg->name, h->host_if);
		rc = link_add(out, h->host_if, "veth", rc, h->fd);
		if (rc < 0) {
			err_set_at(e, cfg->line[K_NET_MODE], -rc, "veth %s on %s", h->host_if,
				   cfg->bridge);
			h->host_if[0] = '\0';  /* not ours to delete */
			return -1;
		}
	}
	if (move_in(cfg, h, out, in, e) < 0)
		return -1;
	if (cfg->address && (cfg->net == NET_VETH || h->moved[0][0]))
		return address(cfg, cfg->net == NET_VETH ? "eth0" : h->moved[0], in, e);
	return 0;
}

/* Bind-mounts the namespace at STATE/netns/NAME, for `ip netns exec` and
 * nsenter; the fd the caller keeps is what holds it. */
static int pin(const char *name, const char *state_dir, struct net_hold *h, struct err *e)
{
	char path[PATH_MAX], src[32];
	int dir, fd;

	snprintf(path, sizeof path, "%s/netns", state_dir);
	dir = path_open(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0700);
	if (dir < 0)
		return err_set(e, errno, "%s", path);
	fd = openat(dir, name, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0400);
	close(dir);
	if (fd < 0)
		return err_set(e, errno, "%s/%s", path, name);
	close(fd);
	snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
	snprintf(src, sizeof src, "/proc/self/fd/%d", h->fd);
	(void)umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);  /* a crashed supervisor's */
	if (mount(src, path, NULL, MS_BIND, NULL) < 0)
		return err_set(e, errno, "bind the network namespace on %s", path);
	h->pinned = true;
	return 0;
}

int net_hold(const struct jail_cfg *cfg, const char *state_dir, struct net_hold *h,
	     struct err *e)
{
	int host, in = -1, out = -1, rc = -1;

	memset(h, 0, sizeof *h);
	h->fd = -1;
	host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (host < 0)
		return err_set(e, errno, "open /proc/self/ns/net");
	if (unshare(CLONE_NEWNET) < 0) {
		err_set_at(e, cfg->line[K_NET_MODE], errno, "new network namespace");
		close(host);
		return -1;
	}
	h->fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	in = nl_socket();
	if (setns(host, CLONE_NEWNET) < 0)
		log_msg(LOG_ERROR, "setns back to the host network: %s", strerror(errno));
	out = nl_socket();
	if (h->fd < 0 || in < 0 || out < 0)
		err_set(e, errno, "netlink socket");
	else if (build(cfg, h, out, in, e) == 0 && (!state_dir || pin(cfg->name, state_dir, h, e) == 0))
		rc = 0;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	close(host);
	if (rc < 0)
		net_release(cfg->name, state_dir, h);
	return rc;
}

void net_release(const char *name, const char *state_dir, struct net_hold *h)
{
	char path[PATH_MAX];
	int host = -1, fd = -1, i, rc;

	if (h->fd < 0)
		return;
	if (h->moved[0][0] && (host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) >= 0)
		fd = nl_socket_in(h->fd, host);
	for (i = 0; i < CFG_MAX_IFACES && h->moved[i][0]; i++) {
		rc = fd < 0 ? -errno : link_index(fd, h->moved[i]);
		if (rc > 0)
			rc = link_set(fd, rc, host);
		if (rc < 0)
			log_msg(LOG_ERROR, "jail %s: interface %s: hand it back: %s", name,
				h->moved[i], strerror(-rc));
	}
	if (fd >= 0)
		close(fd);
	if (host >= 0)
		close(host);
	if (h->host_if[0] && (fd = nl_socket()) >= 0) {
		if ((rc = link_del(fd, h->host_if)) < 0 && rc != -ENODEV)
			log_msg(LOG_ERROR, "jail %s: delete %s: %s", name, h->host_if, strerror(-rc));
		close(fd);
	}
	if (h->pinned) {
		snprintf(path, sizeof path, "%s/netns/%s", state_dir, name);
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 || unlink(path) < 0)
			log_msg(LOG_ERROR, "jail %s: unpin %s: %s", name, path, strerror(errno));
	}
	close(h->fd);
	memset(h, 0, sizeof *h);
	h->fd = -1;
}

/* ---- the system file's bridges ---- */

static int bridge(int fd, const char *name, const char *addrs, struct err *e)
{
	char w[48];
	int index = link_index(fd, name), rc = 0;

	if (index == -ENODEV && (rc = link_add(fd, name, "bridge", 0, -1)) < 0)
		return err_set(e, -rc, "create bridge %s", name);
	if (index == -ENODEV)
		index = link_index(fd, name);
	if (index < 0 || (rc = link_set(fd, index, -1)) < 0)
		return err_set(e, index < 0 ? -index : -rc, "bridge %s up", name);
	while (addrs && next_word(&addrs, w, sizeof w))
		if ((rc = addr_or_route(fd, index, w, false)) < 0 && rc != -EEXIST)
			return err_set(e, -rc, "bridge %s: address %s", name, w);
	return 0;
}

int net_bridges(const struct init_cfg *ic)
{
	char buf[300];
	struct err e;
	int i, fd, failed = 0;

	if (!ic->nbridges)
		return 0;
	if ((fd = nl_socket()) < 0) {
		log_msg(LOG_ERROR, "bridges: netlink socket: %s", strerror(errno));
		return ic->nbridges;
	}
	for (i = 0; i < ic->nbridges; i++)
		if (bridge(fd, ic->bridges[i].name, ic->bridges[i].address, &e) < 0) {
			log_msg(LOG_ERROR, "%s:%d: %s", ic->file, ic->bridges[i].line,
				err_str(&e, buf, sizeof buf));
			failed++;
		}
	close(fd);
	return failed;
}
