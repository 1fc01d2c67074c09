/*
 * The libmnl (C) implementation of benchmarks/compare's "setup container-network": the floor the other
 * implementations are measured against, written as a C container runtime would do it with libmnl, one
 * container after the other on the process's one thread (a single-threaded process may move its own thread
 * between namespaces).
 *
 * Container i:
 *   - the named namespace C the way ip netns add makes it: /run/netns/C created O_CREAT|O_EXCL, unshare(CLONE_NEWNET),
 *     mount --bind /proc/thread-self/ns/net onto it; while inside, the container's NETLINK_ROUTE socket is opened
 *     and bound (mnl_socket_open + mnl_socket_bind); the namespace is opened (O_RDONLY) and the thread goes back with
 *     setns. (/run/netns is made a shared mount once, at start: ip netns add does it every time.)
 *   - on the host socket (opened once in the host namespace): one RTM_NEWLINK veth h<i> with NLM_F_ECHO, whose peer
 *     eth0 is created in C (IFLA_NET_NS_FD); the echo gives the peer's index (IFLA_LINK); then, pipelined in one
 *     sendmsg: h<i> master br0, h<i> up.
 *   - on the container socket, pipelined in one sendmsg: lo up, eth0 up, 10.200.A.B/16 on eth0, default route via
 *     10.200.0.1 (proto boot); every ACK is checked. The socket and the namespace descriptor are closed.
 * Teardown: umount2(/run/netns/C, MNT_DETACH), unlink: the namespace is dropped and the kernel removes the veth.
 *
 *   container list | verify "setup container-network" | bench CONTAINERS "setup container-network"
 *
 * Output as every implementation's (benchmarks/compare/README.md): two lines (wall clock, CPU time) of set up and
 * torn down, per container, plus "setup only" and "teardown only" (wall clock) lines, the best of COMPARE_SETUP_RUNS
 * runs after a warm-up of 10 containers.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CASE "setup container-network"

#ifndef LIBMNL_VERSION
#define LIBMNL_VERSION "?"
#endif

static const char *host_name, *prefix;
static char world[4096];
static struct mnl_socket *host;
static unsigned int host_port, seq = 1;
static int bridge_index, own_netns;
static char buf[16384] __attribute__((aligned(8)));

static void die(const char *what)
{
	fprintf(stderr, "libmnl container: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void container_name(char *out, size_t size, int i)
{
	snprintf(out, size, "%slm-%d", prefix, i);
}

/* Reads the answers to messages first..last, checks every ACK; calls echo for data messages. */
static void collect(struct mnl_socket *nl, unsigned int port, unsigned int first, unsigned int last, int *index, int *peer_index)
{
	unsigned int pending = last - first + 1;
	while (pending > 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			die("recv");
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n); h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_seq < first || h->nlmsg_seq > last || h->nlmsg_pid != port)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				if (e->error != 0) {
					errno = -e->error;
					die("request refused");
				}
				pending--;
			} else if (h->nlmsg_type == RTM_NEWLINK && peer_index != NULL) {
				*index = ((struct ifinfomsg *)mnl_nlmsg_get_payload(h))->ifi_index;
				struct nlattr *a;
				mnl_attr_for_each(a, h, sizeof(struct ifinfomsg))
					if (mnl_attr_get_type(a) == IFLA_LINK)
						*peer_index = (int)mnl_attr_get_u32(a);
			}
		}
	}
}

static struct nlmsghdr *put(char **at, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(*at);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = seq++;
	return h;
}

static void link_up(char **at, int index)
{
	struct nlmsghdr *h = put(at, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_index = index;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	*at += h->nlmsg_len;
}

static struct nlattr *nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	nest->nla_type = type;
	return nest;
}

static void setup(int i)
{
	char name[64], path[128];
	container_name(name, sizeof(name), i);
	snprintf(path, sizeof(path), "/run/netns/%s", name);

	int file = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (file < 0)
		die(path);
	close(file);
	if (unshare(CLONE_NEWNET) != 0)
		die("unshare");
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) != 0)
		die("bind mount");
	struct mnl_socket *inside = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (inside == NULL || mnl_socket_bind(inside, 0, MNL_SOCKET_AUTOPID) < 0)
		die("container socket");
	int nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		die("open netns");
	if (setns(own_netns, CLONE_NEWNET) != 0)
		die("setns back");

	/* The veth, its peer created in C; the echo gives the peer's index. */
	char *at = buf;
	unsigned int first = seq;
	struct nlmsghdr *h = put(&at, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO);
	mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
	char host_end[IFNAMSIZ];
	snprintf(host_end, sizeof(host_end), "h%d", i);
	mnl_attr_put_strz(h, IFLA_IFNAME, host_end);
	struct nlattr *linkinfo = nest_start(h, IFLA_LINKINFO);
	mnl_attr_put(h, IFLA_INFO_KIND, 4, "veth");
	struct nlattr *data = nest_start(h, IFLA_INFO_DATA);
	struct nlattr *peer = nest_start(h, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)nsfd);
	mnl_attr_put_strz(h, IFLA_IFNAME, "eth0");
	mnl_attr_nest_end(h, peer);
	mnl_attr_nest_end(h, data);
	mnl_attr_nest_end(h, linkinfo);
	if (mnl_socket_sendto(host, buf, h->nlmsg_len) < 0)
		die("send veth");
	int eth0 = 0, host_index = 0;
	collect(host, host_port, first, first, &host_index, &eth0);
	if (eth0 <= 0) {
		errno = EPROTO;
		die("no peer index in the echo");
	}

	/* Host end (its index from the echo too) a port of br0, and up: one sendmsg. */
	at = buf;
	first = seq;
	h = put(&at, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_index = host_index;
	mnl_attr_put_u32(h, IFLA_MASTER, (uint32_t)bridge_index);
	at += h->nlmsg_len;
	link_up(&at, host_index);
	if (mnl_socket_sendto(host, buf, (size_t)(at - buf)) < 0)
		die("send master/up");
	collect(host, host_port, first, seq - 1, NULL, NULL);

	/* Inside: lo up, eth0 up, address, default route; one sendmsg. */
	at = buf;
	first = seq;
	link_up(&at, 1);
	link_up(&at, eth0);
	h = put(&at, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(h, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 16;
	ifa->ifa_index = (uint32_t)eth0;
	struct in_addr address = { htonl((10u << 24) | (200u << 16) | ((uint32_t)(1 + i / 256) << 8) | (uint32_t)(i % 256)) };
	mnl_attr_put(h, IFA_LOCAL, sizeof(address), &address);
	mnl_attr_put(h, IFA_ADDRESS, sizeof(address), &address);
	at += h->nlmsg_len;
	h = put(&at, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(h, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	struct in_addr gateway = { htonl((10u << 24) | (200u << 16) | 1u) };
	mnl_attr_put(h, RTA_GATEWAY, sizeof(gateway), &gateway);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)eth0);
	at += h->nlmsg_len;
	if (mnl_socket_sendto(inside, buf, (size_t)(at - buf)) < 0)
		die("send inside");
	collect(inside, mnl_socket_get_portid(inside), first, seq - 1, NULL, NULL);
	mnl_socket_close(inside);
	close(nsfd);
}

static void teardown(int i)
{
	char name[64], path[128];
	container_name(name, sizeof(name), i);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if (umount2(path, MNT_DETACH) != 0)
		die("umount2");
	if (unlink(path) != 0)
		die("unlink");
}

static int run_world(const char *verb, const char *a, const char *b, const char *c)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl(world, world, verb, a, b, c, (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		die("container-world");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void open_host(void)
{
	host_name = getenv("COMPARE_HOST_NETNS");
	prefix = getenv("COMPARE_NETNS_PREFIX");
	if (host_name == NULL || prefix == NULL || !*host_name || !*prefix) {
		fprintf(stderr, "libmnl container: COMPARE_HOST_NETNS and COMPARE_NETNS_PREFIX must be set (benchmarks/compare/run sets them)\n");
		exit(1);
	}
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	snprintf(world, sizeof(world), "%s/../../container-world", exe);

	own_netns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	char path[256];
	snprintf(path, sizeof(path), "/run/netns/%s", host_name);
	int hostns = open(path, O_RDONLY | O_CLOEXEC);
	if (own_netns < 0 || hostns < 0)
		die("open namespaces");
	if (setns(hostns, CLONE_NEWNET) != 0)
		die("setns host");
	host = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (host == NULL || mnl_socket_bind(host, 0, MNL_SOCKET_AUTOPID) < 0)
		die("host socket");
	host_port = mnl_socket_get_portid(host);
	bridge_index = (int)if_nametoindex("br0"); /* this thread is in the host namespace here */
	if (bridge_index == 0)
		die("br0");
	if (setns(own_netns, CLONE_NEWNET) != 0)
		die("setns back");
	close(hostns);

	/* ip netns add's first steps, once: /run/netns exists and is a shared mount. */
	mkdir("/run/netns", 0755);
	if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) != 0) {
		if (errno != EINVAL || mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, NULL) != 0 ||
		    mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) != 0)
			die("make /run/netns shared");
	}
}

static long long mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_ns(void)
{
	struct rusage self, children;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return (self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec + children.ru_stime.tv_sec) * 1000000000LL +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec + children.ru_utime.tv_usec + children.ru_stime.tv_usec) * 1000LL;
}

/* One timed run: set up 1..n, tear all down; per container: total wall, CPU, setup wall, teardown wall. */
static void run_once(int n, long long out[4])
{
	long long cpu0 = cpu_ns(), start = mono_ns();
	for (int i = 1; i <= n; i++)
		setup(i);
	long long middle = mono_ns();
	for (int i = 1; i <= n; i++)
		teardown(i);
	long long end = mono_ns(), cpu = cpu_ns() - cpu0;
	if (run_world("quiesce", host_name, NULL, NULL) != 0)
		die("quiesce");
	out[0] = (end - start) / n;
	out[1] = cpu / n;
	out[2] = (middle - start) / n;
	out[3] = (end - middle) / n;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		puts(CASE);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "verify") == 0) {
		if (strcmp(argv[2], CASE) != 0)
			return 2;
		open_host();
		setup(1);
		setup(2);
		char c1[64], c2[64];
		container_name(c1, sizeof(c1), 1);
		container_name(c2, sizeof(c2), 2);
		fflush(stdout);
		int status = run_world("describe", host_name, c1, c2);
		teardown(1);
		teardown(2);
		run_world("quiesce", host_name, NULL, NULL);
		return status;
	}
	if (argc >= 3 && strcmp(argv[1], "bench") == 0) {
		int n = atoi(argv[2]);
		if (n <= 0) {
			fprintf(stderr, "libmnl container: bad container count %s\n", argv[2]);
			return 1;
		}
		const char *r = getenv("COMPARE_SETUP_RUNS");
		int runs = r != NULL && atoi(r) > 0 ? atoi(r) : 5;
		open_host();
		long long out[4], best[4] = { -1, -1, -1, -1 };
		run_once(n < 10 ? n : 10, out);
		for (int k = 0; k < runs; k++) {
			run_once(n, out);
			for (int j = 0; j < 4; j++)
				if (best[j] < 0 || out[j] < best[j])
					best[j] = out[j];
		}
		const char *impl = "libmnl " LIBMNL_VERSION " (C, gcc -O2)";
		printf("%s (wall clock)\t%s\t%lld\t%d\n", CASE, impl, best[0], n);
		printf("%s (CPU time)\t%s\t%lld\t%d\n", CASE, impl, best[1], n);
		printf("%s, setup only (wall clock)\t%s\t%lld\t%d\n", CASE, impl, best[2], n);
		printf("%s, teardown only (wall clock)\t%s\t%lld\t%d\n", CASE, impl, best[3], n);
		return 0;
	}
	fprintf(stderr, "usage: container list | verify CASE | bench CONTAINERS CASE\n");
	return 1;
}
