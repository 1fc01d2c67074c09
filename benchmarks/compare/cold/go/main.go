// benchmarks/compare/cold, Go: the seed NAT ruleset with google/nftables (Conn.Flush: one batch, the same operations
// as the other implementations; the library dials its socket in Flush) and "ip link set lo up" with
// vishvananda/netlink (Handle.LinkSetUp on a link given by index: one RTM_NEWLINK, acknowledged). Built offline from
// Debian's packages in GOPATH mode.
//
//	cold-go cold nat|link     prints ns from before the socket is opened to the end of the call
//	cold-go warm nat|link N   N/5 (at least 20) untimed calls, then N timed one by one; prints the median ns
package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

var table = &nftables.Table{Family: nftables.TableFamilyINet, Name: "lxi_seed"}

// prefix24 is nft's match of 10.201.0.0/24 at network header offset off (12 saddr, 16 daddr) in an inet table.
func prefix24(off uint32) []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.NFPROTO_IPV4}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: 3},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{10, 201, 0}},
	}
}

func nat() error {
	c := &nftables.Conn{}
	accept := nftables.ChainPolicyAccept
	c.AddTable(table)
	c.DelTable(table)
	c.AddTable(table)
	post := c.AddChain(&nftables.Chain{Name: "postrouting", Table: table, Type: nftables.ChainTypeNAT,
		Hooknum: nftables.ChainHookPostrouting, Priority: nftables.ChainPriorityNATSource, Policy: &accept})
	fwd := c.AddChain(&nftables.Chain{Name: "forward", Table: table, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookForward, Priority: nftables.ChainPriorityFilter, Policy: &accept})
	c.AddRule(&nftables.Rule{Table: table, Chain: post, Exprs: append(prefix24(12), &expr.Masq{})})
	for _, off := range []uint32{12, 16} {
		c.AddRule(&nftables.Rule{Table: table, Chain: fwd, Exprs: append(prefix24(off), &expr.Verdict{Kind: expr.VerdictAccept})})
	}
	return c.Flush()
}

func main() {
	if len(os.Args) < 3 || (os.Args[1] != "cold" && os.Args[1] != "warm") {
		fmt.Fprintln(os.Stderr, "usage: cold-go cold nat|link | warm nat|link N")
		os.Exit(2)
	}
	var op func() error
	var h *netlink.Handle
	start := time.Now()
	switch os.Args[2] {
	case "nat":
		op = nat
	case "link":
		var err error
		if h, err = netlink.NewHandle(unix.NETLINK_ROUTE); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		lo := &netlink.Device{LinkAttrs: netlink.LinkAttrs{Index: 1}}
		op = func() error { return h.LinkSetUp(lo) }
	default:
		os.Exit(2)
	}
	if os.Args[1] == "cold" {
		if err := op(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// Conn.Flush closes the socket it dialled inside the call: that close (which waits for the kernel's deferred
		// release of the replaced table) is part of the library's call here.
		fmt.Println(time.Since(start).Nanoseconds())
		return
	}
	n, _ := strconv.Atoi(os.Args[3])
	warm := n / 5
	if warm < 20 {
		warm = 20
	}
	for i := 0; i < warm; i++ {
		if err := op(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	t := make([]int64, n)
	for i := range t {
		s := time.Now()
		op()
		t[i] = time.Since(s).Nanoseconds()
	}
	sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
	fmt.Println(t[n/2])
}
