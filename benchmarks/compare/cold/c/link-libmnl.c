/* benchmarks/compare/cold, C with libmnl: one rtnetlink request, "ip link set lo up" (RTM_NEWLINK with NLM_F_ACK,
 * ifinfomsg index 1, flags and change IFF_UP), the acknowledgement read, as LinuxIsolation's
 * RtnetlinkClient.SetLinkUp(1) sends it.
 *   link-libmnl cold      prints ns from before mnl_socket_open to the acknowledgement
 *   link-libmnl warm N    N/5 (at least 20) untimed requests, then N timed one by one; prints the median ns */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

static char buf[8192];
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static void die(const char *what) { perror(what); exit(1); }

static void request(struct mnl_socket *nl, uint32_t portid, uint32_t *seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++*seq;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = 1;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("mnl_socket_sendto");
	int n = (int)mnl_socket_recvfrom(nl, buf, sizeof buf);
	if (n < 0 || mnl_cb_run(buf, n, *seq, portid, NULL, NULL) < 0)
		die("RTM_NEWLINK");
}

static int cmp(const void *a, const void *b) { long long x = *(const long long *)a, y = *(const long long *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv)
{
	uint32_t seq = (uint32_t)time(NULL);
	int cold = argc >= 2 && strcmp(argv[1], "cold") == 0;
	if (!cold && !(argc >= 3 && strcmp(argv[1], "warm") == 0)) {
		fprintf(stderr, "usage: link-libmnl cold | warm N\n");
		return 2;
	}
	long long t0 = now();
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("mnl_socket_open");
	uint32_t portid = mnl_socket_get_portid(nl);
	if (cold) {
		request(nl, portid, &seq);
		printf("%lld\n", now() - t0);
		mnl_socket_close(nl);
		return 0;
	}
	int n = atoi(argv[2]);
	for (int i = 0; i < (n / 5 > 20 ? n / 5 : 20); i++)
		request(nl, portid, &seq);
	long long *t = malloc(sizeof(long long) * n);
	for (int i = 0; i < n; i++) {
		long long s = now();
		request(nl, portid, &seq);
		t[i] = now() - s;
	}
	qsort(t, n, sizeof *t, cmp);
	printf("%lld\n", t[n / 2]);
	mnl_socket_close(nl);
	return 0;
}
