"""The pyroute2 implementation of benchmarks/compare's "setup container-network" (Debian's python3-pyroute2,
run with Debian's /usr/bin/python3), written as a Python tool would use the library.

Container i: pyroute2.netns.create(C) (pyroute2 forks a child that unshares and bind-mounts, so the caller
stays where it is); through an IPRoute in the host namespace, one link("add") of a veth h<i> with master br0
and state up whose peer eth0 is created in C (peer net_ns_fd); pushns(C), IPRoute() (its socket is bound
inside C), popns(); through it: link_lookup(eth0), link("set") lo up (index 1), link("set") eth0 up,
addr("add"), route("add") default via 10.200.0.1 (proto boot, as ip sets it). Teardown: netns.remove(C)
(drops the namespace and its veth). NetNS(C), the other way in, starts a proxy process per namespace.
"""
import os
import resource
import subprocess
import sys
import time

from pyroute2 import IPRoute, netns

CASE = "setup container-network"
HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(HERE, "..", "container-world")


def version():
    try:
        from importlib.metadata import version as v
        return v("pyroute2")
    except Exception:
        return "?"


IMPL = "pyroute2 %s (Python %d.%d)" % (version(), sys.version_info[0], sys.version_info[1])


class World:
    def __init__(self):
        self.host_name = os.environ.get("COMPARE_HOST_NETNS")
        self.prefix = os.environ.get("COMPARE_NETNS_PREFIX")
        if not self.host_name or not self.prefix:
            sys.exit("pyroute2: COMPARE_HOST_NETNS and COMPARE_NETNS_PREFIX must be set (benchmarks/compare/run sets them)")
        netns.pushns(self.host_name)
        self.host = IPRoute()
        netns.popns()
        self.br0 = self.host.link_lookup(ifname="br0")[0]

    def container(self, i):
        return "%spy-%d" % (self.prefix, i)

    def setup(self, i):
        name = self.container(i)
        netns.create(name)
        self.host.link("add", ifname="h%d" % i, kind="veth", peer={"ifname": "eth0", "net_ns_fd": name},
                       master=self.br0, state="up")
        netns.pushns(name)
        try:
            ns = IPRoute()
        finally:
            netns.popns()
        try:
            eth0 = ns.link_lookup(ifname="eth0")[0]
            ns.link("set", index=1, state="up")
            ns.link("set", index=eth0, state="up")
            ns.addr("add", index=eth0, address="10.200.%d.%d" % (1 + i // 256, i % 256), prefixlen=16)
            ns.route("add", gateway="10.200.0.1", oif=eth0, proto="boot")
        finally:
            ns.close()

    def teardown(self, i):
        netns.remove(self.container(i))

    def quiesce(self):
        subprocess.run([WORLD, "quiesce", self.host_name], check=True)

    def run_once(self, n):
        cpu0, start = cpu_ns(), time.perf_counter_ns()
        for i in range(1, n + 1):
            self.setup(i)
        for i in range(1, n + 1):
            self.teardown(i)
        wall, cpu = time.perf_counter_ns() - start, cpu_ns() - cpu0
        self.quiesce()
        return wall // n, cpu // n


def cpu_ns():
    """CPU time of this process and its finished children (pyroute2's netns.create forks one)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime) * 1e9)


def main(argv):
    if argv == ["list"]:
        print(CASE)
        return 0
    if len(argv) == 2 and argv[0] == "verify":
        if argv[1] != CASE:
            return 2
        w = World()
        w.setup(1)
        w.setup(2)
        out = subprocess.run([WORLD, "describe", w.host_name, w.container(1), w.container(2)],
                             check=True, capture_output=True, text=True).stdout
        w.teardown(1)
        w.teardown(2)
        w.quiesce()
        sys.stdout.write(out)
        return 0
    if len(argv) >= 2 and argv[0] == "bench" and argv[1].isdigit() and int(argv[1]) > 0:
        n = int(argv[1])
        runs = int(os.environ.get("COMPARE_SETUP_RUNS", "5"))
        w = World()
        for c in argv[2:]:
            if c != CASE:
                print('pyroute2: no case "%s"' % c, file=sys.stderr)
                continue
            w.run_once(min(n, 10))
            results = [w.run_once(n) for _ in range(runs)]
            print("%s (wall clock)\t%s\t%d\t%d" % (CASE, IMPL, min(r[0] for r in results), n))
            print("%s (CPU time)\t%s\t%d\t%d" % (CASE, IMPL, min(r[1] for r in results), n))
        return 0
    print("usage: cnbench.py list | verify CASE | bench CONTAINERS [CASE...]", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
