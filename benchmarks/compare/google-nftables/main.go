// The google/nftables (Go) implementation of benchmarks/compare's "setup nat-install": the seed's NAT ruleset
// (masquerade 10.201.0.0/24 out of uplink0, forward accept for the prefix both ways, tcp 8080 on 198.51.100.1
// published to 10.201.0.5:80) in table inet lxi_seed, built with the library's Conn/Table/Chain/Rule/expr types
// and committed with one Conn.Flush (one batch: add table, delete table, add table, 3 chains, 4 rules), so each
// apply atomically replaces the previous ruleset. The rules are written expression by expression, as nft writes
// them for the same text (nft --debug=netlink), so that `nft list ruleset` prints the same. The Conn is made once,
// outside the timed runs, with nftables.WithNetNSFd (the throwaway host namespace); in this mode, the library's
// default, each Flush dials a new netlink socket inside that namespace (mdlayher/netlink: a locked OS thread that
// setns-es in and back) and closes it. The lasting mode (AsLasting, one socket) is not usable for a long run in
// this version (0.1.0): Flush reads one message per acknowledged request but rules are sent with NLM_F_ECHO, so
// the unread echoes pile up and recvmsg fails with ENOBUFS after some hundred applies.
// Built offline from Debian's packages in GOPATH mode.
//
//	cnat list | verify CASE | ruleset CASE | bench APPLIES CASE
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

const caseName = "setup nat-install"

var (
	table = &nftables.Table{Family: nftables.TableFamilyINet, Name: "lxi_seed"}
	name  = "google/nftables (Go, " + goVersion() + ")"
)

func goVersion() string { return runtimeVersion }

// ipv4 returns "meta nfproto ipv4" (the inet table's guard before an ip payload match).
func ipv4() []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.NFPROTO_IPV4}},
	}
}

// prefix24 matches the /24 10.201.0.0 at network header offset off (12 saddr, 16 daddr), as nft does: 3 bytes.
func prefix24(off uint32) []expr.Any {
	return append(ipv4(),
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: 3},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{10, 201, 0}},
	)
}

func ifname(s string) []byte { b := make([]byte, 16); copy(b, s); return b }

func apply(c *nftables.Conn) error {
	c.AddTable(table)
	c.DelTable(table)
	c.AddTable(table)
	pre := c.AddChain(&nftables.Chain{Name: "prerouting", Table: table, Type: nftables.ChainTypeNAT,
		Hooknum: nftables.ChainHookPrerouting, Priority: nftables.ChainPriorityNATDest})
	post := c.AddChain(&nftables.Chain{Name: "postrouting", Table: table, Type: nftables.ChainTypeNAT,
		Hooknum: nftables.ChainHookPostrouting, Priority: nftables.ChainPriorityNATSource})
	fwd := c.AddChain(&nftables.Chain{Name: "forward", Table: table, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookForward, Priority: nftables.ChainPriorityFilter})

	// ip daddr 198.51.100.1 tcp dport 8080 dnat ip to 10.201.0.5:80
	dnat := append(ipv4(),
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: net.ParseIP("198.51.100.1").To4()},
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.IPPROTO_TCP}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{8080 >> 8, 8080 & 0xff}},
		&expr.Immediate{Register: 1, Data: net.ParseIP("10.201.0.5").To4()},
		&expr.Immediate{Register: 2, Data: []byte{0, 80}},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegAddrMax: 1, RegProtoMin: 2, RegProtoMax: 2},
	)
	c.AddRule(&nftables.Rule{Table: table, Chain: pre, Exprs: dnat})

	// ip saddr 10.201.0.0/24 oifname "uplink0" masquerade
	masq := append(prefix24(12),
		&expr.Meta{Key: expr.MetaKeyOIFNAME, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: ifname("uplink0")},
		&expr.Masq{},
	)
	c.AddRule(&nftables.Rule{Table: table, Chain: post, Exprs: masq})

	// ip saddr 10.201.0.0/24 accept ; ip daddr 10.201.0.0/24 accept
	for _, off := range []uint32{12, 16} {
		c.AddRule(&nftables.Rule{Table: table, Chain: fwd, Exprs: append(prefix24(off), &expr.Verdict{Kind: expr.VerdictAccept})})
	}
	return c.Flush()
}

func remove(c *nftables.Conn) error {
	c.AddTable(table)
	c.DelTable(table)
	return c.Flush()
}

func world(cmd, ns string) string {
	exe, _ := os.Executable()
	out, err := exec.Command(filepath.Join(filepath.Dir(exe), "..", "..", "nat-world"), cmd, ns).Output()
	check(err)
	return string(out)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "google-nftables:", err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "list" {
		fmt.Println(caseName)
		return
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: cnat list | verify CASE | ruleset CASE | bench APPLIES CASE")
		os.Exit(1)
	}
	host := os.Getenv("COMPARE_HOST_NETNS")
	fd, err := unix.Open("/run/netns/"+host, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	check(err)
	c, err := nftables.New(nftables.WithNetNSFd(fd))
	check(err)

	switch os.Args[1] {
	case "verify", "ruleset":
		if os.Args[2] != caseName {
			os.Exit(2)
		}
		check(apply(c))
		what := "describe"
		if os.Args[1] == "ruleset" {
			what = "ruleset"
		}
		fmt.Print(world(what, host))
		check(remove(c))
	case "bench":
		n, err := strconv.Atoi(os.Args[2])
		check(err)
		if len(os.Args) != 4 || os.Args[3] != caseName {
			fmt.Fprintln(os.Stderr, "google-nftables: bench APPLIES \""+caseName+"\"")
			os.Exit(1)
		}
		runs := 5
		if r, err := strconv.Atoi(os.Getenv("COMPARE_SETUP_RUNS")); err == nil && r > 0 {
			runs = r
		}
		once := func(n int) float64 {
			start := time.Now()
			for i := 0; i < n; i++ {
				check(apply(c))
			}
			elapsed := time.Since(start)
			check(remove(c))
			return float64(elapsed.Nanoseconds()) / float64(n)
		}
		if n < 10 {
			once(n)
		} else {
			once(10)
		}
		var all []float64
		for r := 0; r < runs; r++ {
			all = append(all, once(n))
		}
		sort.Float64s(all)
		fmt.Printf("%s (wall clock)\t%s\t%.0f\t%d\n", caseName, name, all[0], n)
	default:
		os.Exit(1)
	}
}
