// The vishvananda/netlink (Go) implementation of benchmarks/compare's "setup container-network", written as
// a Go container runtime or CNI plugin would use the library (Debian's golang-github-vishvananda-netlink-dev
// and -netns-dev, built offline in GOPATH mode by ./impl).
//
// Container i, on one OS-locked thread: netns.NewNamed(C) (the thread is then inside C); LinkAdd of a veth
// h<i> with MasterIndex br0 and FlagUp whose peer eth0 is created in C (PeerNamespace NsFd: one RTM_NEWLINK
// with IFF_UP, then the library's own RTM_GETLINK for the index and RTM_NEWLINK master, through a handle on
// the host namespace); netlink.NewHandle(NETLINK_ROUTE) opens a socket inside C; back to the original
// namespace; through that handle: LinkByName("eth0"), LinkSetUp(lo, index 1), LinkSetUp(eth0), AddrAdd,
// RouteAdd(default via 10.200.0.1). Teardown: netns.DeleteNamed(C) (drops the namespace and its veth).
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

const caseName = "setup container-network"

var (
	hostName string
	prefix   string
	world    string
	hostH    *netlink.Handle
	brIndex  int
	origNs   netns.NsHandle
	gateway  = net.ParseIP("10.200.0.1")
)

func container(i int) string { return fmt.Sprintf("%svn-%d", prefix, i) }

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vishvananda: "+format+"\n", args...)
	os.Exit(1)
}

func open() {
	hostName, prefix = os.Getenv("COMPARE_HOST_NETNS"), os.Getenv("COMPARE_NETNS_PREFIX")
	if hostName == "" || prefix == "" {
		fail("COMPARE_HOST_NETNS and COMPARE_NETNS_PREFIX must be set (benchmarks/compare/run sets them)")
	}
	exe, _ := os.Executable()
	world = filepath.Join(filepath.Dir(exe), "..", "..", "container-world")
	hostNs, err := netns.GetFromName(hostName)
	if err != nil {
		fail("open %s: %v", hostName, err)
	}
	if hostH, err = netlink.NewHandleAt(hostNs, unix.NETLINK_ROUTE); err != nil {
		fail("handle in %s: %v", hostName, err)
	}
	hostNs.Close()
	br, err := hostH.LinkByName("br0")
	if err != nil {
		fail("br0: %v", err)
	}
	brIndex = br.Attrs().Index
	runtime.LockOSThread()
	if origNs, err = netns.Get(); err != nil {
		fail("own namespace: %v", err)
	}
}

func setup(i int) error {
	name := container(i)
	ns, err := netns.NewNamed(name)
	if err != nil {
		netns.Set(origNs)
		return fmt.Errorf("NewNamed %s: %w", name, err)
	}
	defer ns.Close()
	// The thread is inside the new namespace now: open the in-container handle here, then go back.
	nsH, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if serr := netns.Set(origNs); serr != nil {
		fail("back to the original namespace: %v", serr)
	}
	if err != nil {
		return fmt.Errorf("handle in %s: %w", name, err)
	}
	defer nsH.Delete()

	veth := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: fmt.Sprintf("h%d", i), MasterIndex: brIndex, Flags: net.FlagUp},
		PeerName:      "eth0",
		PeerNamespace: netlink.NsFd(int(ns)),
	}
	if err := hostH.LinkAdd(veth); err != nil {
		return fmt.Errorf("veth h%d: %w", i, err)
	}
	eth0, err := nsH.LinkByName("eth0")
	if err != nil {
		return fmt.Errorf("eth0 in %s: %w", name, err)
	}
	lo := &netlink.Device{LinkAttrs: netlink.LinkAttrs{Index: 1, Name: "lo"}}
	if err := nsH.LinkSetUp(lo); err != nil {
		return fmt.Errorf("lo up: %w", err)
	}
	if err := nsH.LinkSetUp(eth0); err != nil {
		return fmt.Errorf("eth0 up: %w", err)
	}
	ip := net.IPv4(10, 200, byte(1+i/256), byte(i%256))
	if err := nsH.AddrAdd(eth0, &netlink.Addr{IPNet: &net.IPNet{IP: ip, Mask: net.CIDRMask(16, 32)}}); err != nil {
		return fmt.Errorf("address: %w", err)
	}
	if err := nsH.RouteAdd(&netlink.Route{LinkIndex: eth0.Attrs().Index, Gw: gateway}); err != nil {
		return fmt.Errorf("default route: %w", err)
	}
	return nil
}

func teardown(i int) error { return netns.DeleteNamed(container(i)) }

func quiesce() {
	if out, err := exec.Command(world, "quiesce", hostName).CombinedOutput(); err != nil {
		fail("quiesce: %v %s", err, out)
	}
}

func cpuNanoseconds() int64 {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	return self.Utime.Nano() + self.Stime.Nano() + children.Utime.Nano() + children.Stime.Nano()
}

// runOnce sets up containers 1..n, tears them all down, and returns wall-clock and CPU ns per container, and the
// wall clock per container of the setup and of the teardown half.
func runOnce(n int) (int64, int64, int64, int64) {
	cpu0, start := cpuNanoseconds(), time.Now()
	for i := 1; i <= n; i++ {
		if err := setup(i); err != nil {
			fail("%v", err)
		}
	}
	middle := time.Now()
	for i := 1; i <= n; i++ {
		if err := teardown(i); err != nil {
			fail("teardown %d: %v", i, err)
		}
	}
	end := time.Now()
	wall, cpu := end.Sub(start).Nanoseconds(), cpuNanoseconds()-cpu0
	quiesce()
	return wall / int64(n), cpu / int64(n), middle.Sub(start).Nanoseconds() / int64(n), end.Sub(middle).Nanoseconds() / int64(n)
}

func main() {
	impl := "vishvananda/netlink 1.1.0-125 (" + runtime.Version() + ")"
	switch {
	case len(os.Args) == 2 && os.Args[1] == "list":
		fmt.Println(caseName)
	case len(os.Args) == 3 && os.Args[1] == "verify":
		if os.Args[2] != caseName {
			os.Exit(2)
		}
		open()
		for i := 1; i <= 2; i++ {
			if err := setup(i); err != nil {
				fail("%v", err)
			}
		}
		out, err := exec.Command(world, "describe", hostName, container(1), container(2)).Output()
		for i := 1; i <= 2; i++ {
			if terr := teardown(i); terr != nil {
				fail("teardown %d: %v", i, terr)
			}
		}
		quiesce()
		if err != nil {
			fail("describe: %v", err)
		}
		os.Stdout.Write(out)
	case len(os.Args) >= 3 && os.Args[1] == "bench":
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n <= 0 {
			fail("bad container count %q", os.Args[2])
		}
		runs := 5
		if v, err := strconv.Atoi(os.Getenv("COMPARE_SETUP_RUNS")); err == nil && v > 0 {
			runs = v
		}
		open()
		for _, c := range os.Args[3:] {
			if c != caseName {
				fmt.Fprintf(os.Stderr, "vishvananda: no case %q\n", c)
				continue
			}
			warm := n
			if warm > 10 {
				warm = 10
			}
			runOnce(warm)
			best := [4]int64{-1, -1, -1, -1}
			for r := 0; r < runs; r++ {
				wall, cpu, setupWall, teardownWall := runOnce(n)
				for k, v := range [4]int64{wall, cpu, setupWall, teardownWall} {
					if best[k] < 0 || v < best[k] {
						best[k] = v
					}
				}
			}
			fmt.Printf("%s (wall clock)\t%s\t%d\t%d\n", caseName, impl, best[0], n)
			fmt.Printf("%s (CPU time)\t%s\t%d\t%d\n", caseName, impl, best[1], n)
			fmt.Printf("%s, setup only (wall clock)\t%s\t%d\t%d\n", caseName, impl, best[2], n)
			fmt.Printf("%s, teardown only (wall clock)\t%s\t%d\t%d\n", caseName, impl, best[3], n)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: cnbench list | verify CASE | bench CONTAINERS [CASE...]")
		os.Exit(1)
	}
}
