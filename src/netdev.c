/* linux.netDevices: host interfaces moved into the container's network
 * namespace over rtnetlink, renamed, with their permanent global addresses
 * kept (moving drops them) and brought up (config-linux.md, "Network
 * Devices").  The runtime does it between clone and go, entering the
 * container's namespace for the second half and leaving it after. */
#include "container.h"
#include "error.h"
#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ADDRS 32

struct saved_addr {
	unsigned char family;
	unsigned char prefixlen;
	unsigned char len;
	unsigned char addr[16];
};

struct nlreq {
	struct nlmsghdr h;
	union {
		struct ifinfomsg link;
		struct ifaddrmsg addr;
		struct rtgenmsg gen;
	};
	char attrs[256];
};

static unsigned seq;
static char reply[16384] __attribute__((aligned(4)));

static void add_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? fail(errno, "netDevices: open rtnetlink") : fd;
}

/* Sends a request that wants only an acknowledgement. */
static int nl_do(int fd, struct nlreq *r, const char *what)
{
	ssize_t n;
	struct nlmsghdr *h;

	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->h.nlmsg_seq = ++seq;
	if (send(fd, r, r->h.nlmsg_len, 0) < 0)
		return fail(errno, "netDevices: %s", what);
	n = recv(fd, reply, sizeof(reply), 0);
	if (n < 0)
		return fail(errno, "netDevices: %s", what);
	h = (struct nlmsghdr *)reply;
	if (NLMSG_OK(h, (size_t)n) && h->nlmsg_type == NLMSG_ERROR) {
		int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

		if (e)
			return fail(-e, "netDevices: %s", what);
	}
	return 0;
}

/* The permanent addresses of global scope of ifindex. */
static int save_addrs(int fd, int ifindex, struct saved_addr *out, unsigned *count)
{
	struct nlreq r;
	bool done = false;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
	r.h.nlmsg_type = RTM_GETADDR;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.h.nlmsg_seq = ++seq;
	r.gen.rtgen_family = AF_UNSPEC;
	*count = 0;
	if (send(fd, &r, r.h.nlmsg_len, 0) < 0)
		return fail(errno, "netDevices: list addresses");
	while (!done) {
		ssize_t n = recv(fd, reply, sizeof(reply), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return fail(errno, "netDevices: list addresses");
		for (h = (struct nlmsghdr *)reply; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct ifaddrmsg *a = NLMSG_DATA(h);
			struct rtattr *rta;
			size_t len;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (h->nlmsg_type != RTM_NEWADDR || (int)a->ifa_index != ifindex ||
			    !(a->ifa_flags & IFA_F_PERMANENT) || a->ifa_scope != RT_SCOPE_UNIVERSE)
				continue;
			len = IFA_PAYLOAD(h);
			for (rta = IFA_RTA(a); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
				size_t dlen = RTA_PAYLOAD(rta);

				if (rta->rta_type != IFA_LOCAL && !(rta->rta_type == IFA_ADDRESS && a->ifa_family == AF_INET6))
					continue;
				if (*count >= MAX_ADDRS || dlen > 16)
					break;
				out[*count].family = a->ifa_family;
				out[*count].prefixlen = a->ifa_prefixlen;
				out[*count].len = (unsigned char)dlen;
				memcpy(out[*count].addr, RTA_DATA(rta), dlen);
				(*count)++;
				break;
			}
		}
	}
	return 0;
}

static int move_link(int fd, int ifindex, pid_t pid, const char *name)
{
	struct nlreq r;
	uint32_t target = (uint32_t)pid;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_NEWLINK;
	r.link.ifi_family = AF_UNSPEC;
	r.link.ifi_index = ifindex;
	add_attr(&r, IFLA_NET_NS_PID, &target, sizeof(target));
	add_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_do(fd, &r, "move an interface into the container");
}

static int link_index(int fd, const char *name)
{
	struct nlreq r;
	ssize_t n;
	struct nlmsghdr *h;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_GETLINK;
	r.h.nlmsg_flags = NLM_F_REQUEST;
	r.h.nlmsg_seq = ++seq;
	r.link.ifi_family = AF_UNSPEC;
	add_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	if (send(fd, &r, r.h.nlmsg_len, 0) < 0 || (n = recv(fd, reply, sizeof(reply), 0)) < 0)
		return fail(errno, "netDevices: find %s", name);
	h = (struct nlmsghdr *)reply;
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != RTM_NEWLINK)
		return fail(ENODEV, "netDevices: no interface %s", name);
	return ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
}

static int add_addr(int fd, int ifindex, const struct saved_addr *a)
{
	struct nlreq r;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	r.h.nlmsg_type = RTM_NEWADDR;
	r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.addr.ifa_family = a->family;
	r.addr.ifa_prefixlen = a->prefixlen;
	r.addr.ifa_scope = RT_SCOPE_UNIVERSE;
	r.addr.ifa_index = (unsigned)ifindex;
	add_attr(&r, IFA_LOCAL, a->addr, a->len);
	add_attr(&r, IFA_ADDRESS, a->addr, a->len);
	return nl_do(fd, &r, "restore an address");
}

static int set_up(int fd, int ifindex)
{
	struct nlreq r;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_NEWLINK;
	r.link.ifi_family = AF_UNSPEC;
	r.link.ifi_index = ifindex;
	r.link.ifi_flags = IFF_UP;
	r.link.ifi_change = IFF_UP;
	return nl_do(fd, &r, "bring an interface up");
}

/* Inside the container's namespace: addresses back, then up.  With a "%d"
 * template the kernel picks the name; the interface keeps its index unless
 * that index is taken there, so the index is tried first. */
static int finish_inside(const char *name, int old_index, const struct saved_addr *addrs, unsigned n)
{
	int fd = nl_open(), index, r = 0;
	unsigned i;

	if (fd < 0)
		return fd;
	index = strchr(name, '%') ? old_index : link_index(fd, name);
	for (i = 0; index > 0 && i < n && !r; i++)
		r = add_addr(fd, index, &addrs[i]);
	if (index < 0)
		r = index;
	if (!r)
		r = set_up(fd, index);
	close(fd);
	return r;
}

int netdev_move(struct ctx *c)
{
	const struct linux_cfg *l = &c->spec->linux;
	static struct saved_addr addrs[MAX_ADDRS];
	char path[64];
	int host_ns, ctr_ns, fd, r = 0;
	unsigned i, n;

	if (!l->nnet_devices)
		return 0;
	host_ns = openat(AT_FDCWD, "/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fmt(path, sizeof(path), "/proc/%d/ns/net", (int)c->pid);
	ctr_ns = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	fd = nl_open();
	if (host_ns < 0 || ctr_ns < 0 || fd < 0)
		return fail(errno, "netDevices: open the network namespaces");
	for (i = 0; i < l->nnet_devices && !r; i++) {
		const char *host = l->net_devices[i].key, *name = l->net_devices[i].value;
		int index = link_index(fd, host);

		if (index < 0) {
			r = index;
			break;
		}
		r = save_addrs(fd, index, addrs, &n);
		if (!r)
			r = move_link(fd, index, c->pid, name);
		if (r) {
			error_prefix("%s: ", host);
			break;
		}
		if (setns(ctr_ns, CLONE_NEWNET) < 0) {
			r = fail(errno, "netDevices: enter the container's network namespace");
			break;
		}
		r = finish_inside(name, index, addrs, n);
		if (setns(host_ns, CLONE_NEWNET) < 0 && !r)
			r = fail(errno, "netDevices: leave the container's network namespace");
		if (r)
			error_prefix("%s: ", host);
	}
	close(fd);
	close(ctr_ns);
	close(host_ns);
	return r;
}
