/* benchmarks/compare/cold, C with libnftnl + libmnl (Debian's libnftnl-dev): the seed NAT ruleset in table inet
 * lxi_seed, replaced in one batch exactly as LinuxIsolation's NftNatBackend.Apply sends it (add table, delete table,
 * add table, chains postrouting (nat, srcnat, policy accept) and forward (filter, priority 0, policy accept),
 * "ip saddr 10.201.0.0/24 masquerade", "ip saddr 10.201.0.0/24 accept", "ip daddr 10.201.0.0/24 accept"; every
 * operation with NLM_F_ACK, no NLM_F_ECHO), the objects built with libnftnl, the answers read until every
 * acknowledgement is in.
 *   nat-libnftnl cold      one apply; prints ns from before mnl_socket_open to the last acknowledgement
 *   nat-libnftnl warm N    N/5 (at least 20) untimed applies, then N timed one by one; prints the median ns */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/batch.h>

#define TABLE "lxi_seed"
static char buf[16384];
static char rbuf[8192];

static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static void die(const char *what) { perror(what); exit(1); }

static void add_expr(struct nftnl_rule *r, struct nftnl_expr *e) { nftnl_rule_add_expr(r, e); }

/* meta nfproto ipv4; payload @nh,OFF,3; cmp eq 10.201.0 (nft's /24 match) */
static void prefix24(struct nftnl_rule *r, uint32_t off)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_NFPROTO);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	add_expr(r, e);
	uint8_t v4 = NFPROTO_IPV4;
	e = nftnl_expr_alloc("cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, &v4, 1);
	add_expr(r, e);
	e = nftnl_expr_alloc("payload");
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, 3);
	add_expr(r, e);
	uint8_t net[3] = { 10, 201, 0 };
	e = nftnl_expr_alloc("cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, net, 3);
	add_expr(r, e);
}

static void verdict_accept(struct nftnl_rule *r)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
	add_expr(r, e);
}

static void put_table(struct mnl_nlmsg_batch *b, uint32_t *seq, uint16_t type)
{
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	if (type == NFT_MSG_NEWTABLE)
		nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type, NFPROTO_INET, NLM_F_ACK, (*seq)++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(b);
}

static void put_chain(struct mnl_nlmsg_batch *b, uint32_t *seq, const char *name, const char *type, uint32_t hook, int32_t prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, type);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWCHAIN, NFPROTO_INET, NLM_F_ACK | NLM_F_CREATE, (*seq)++);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	mnl_nlmsg_batch_next(b);
}

static void put_rule(struct mnl_nlmsg_batch *b, uint32_t *seq, const char *chain, uint32_t off, int masq)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	prefix24(r, off);
	if (masq)
		add_expr(r, nftnl_expr_alloc("masq"));
	else
		verdict_accept(r);
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWRULE, NFPROTO_INET, NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND, (*seq)++);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	mnl_nlmsg_batch_next(b);
}

/* Builds and sends the batch, reads until the 8 acknowledgements are in. */
static void apply(struct mnl_socket *nl, uint32_t portid, uint32_t *seq)
{
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof buf);
	uint32_t first = *seq;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	put_table(b, seq, NFT_MSG_NEWTABLE);
	put_table(b, seq, NFT_MSG_DELTABLE);
	put_table(b, seq, NFT_MSG_NEWTABLE);
	put_chain(b, seq, "postrouting", "nat", NF_INET_POST_ROUTING, 100);
	put_chain(b, seq, "forward", "filter", NF_INET_FORWARD, 0);
	put_rule(b, seq, "postrouting", 12, 1);
	put_rule(b, seq, "forward", 12, 0);
	put_rule(b, seq, "forward", 16, 0);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0)
		die("mnl_socket_sendto");
	mnl_nlmsg_batch_stop(b);
	int acks = 0;
	while (acks < 8) {
		int n = (int)mnl_socket_recvfrom(nl, rbuf, sizeof rbuf);
		if (n < 0)
			die("mnl_socket_recvfrom");
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n)) {
			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq < first || h->nlmsg_seq >= *seq)
				continue;
			struct nlmsgerr *err = mnl_nlmsg_get_payload(h);
			if (err->error != 0) {
				fprintf(stderr, "nat-libnftnl: message %u: %s\n", h->nlmsg_seq - first, strerror(-err->error));
				exit(1);
			}
			acks++;
		}
	}
	(void)portid;
}

static int cmp(const void *a, const void *b) { long long x = *(const long long *)a, y = *(const long long *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv)
{
	uint32_t seq = (uint32_t)time(NULL);
	if (argc >= 2 && strcmp(argv[1], "cold") == 0) {
		long long t0 = now();
		struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
		if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
			die("mnl_socket_open");
		apply(nl, mnl_socket_get_portid(nl), &seq);
		long long t1 = now();
		mnl_socket_close(nl);
		printf("%lld\n", t1 - t0);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "warm") == 0) {
		int n = atoi(argv[2]);
		struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
		if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
			die("mnl_socket_open");
		uint32_t portid = mnl_socket_get_portid(nl);
		for (int i = 0; i < (n / 5 > 20 ? n / 5 : 20); i++)
			apply(nl, portid, &seq);
		long long *t = malloc(sizeof(long long) * n);
		for (int i = 0; i < n; i++) {
			long long t0 = now();
			apply(nl, portid, &seq);
			t[i] = now() - t0;
		}
		qsort(t, n, sizeof *t, cmp);
		printf("%lld\n", t[n / 2]);
		mnl_socket_close(nl);
		return 0;
	}
	fprintf(stderr, "usage: nat-libnftnl cold | warm N\n");
	return 2;
}
