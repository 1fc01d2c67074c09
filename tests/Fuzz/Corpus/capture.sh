#!/usr/bin/env bash
# Re-captures the netlink seeds of tests/Fuzz/Corpus/netlink/ from the real kernel (needs root, iproute2, nftables,
# strace, python3). Everything happens inside a throwaway network namespace (fuzzcap-PID), removed at the end; the
# host's namespace is never touched. The seeds are what the kernel answered to iproute2's and nft's dumps and what
# `ip monitor` received while the namespace was built, converted by tools/strace2vector.py.
set -euo pipefail
cd "$(dirname "$0")"
ns=fuzzcap-$$
out=netlink
tmp=$(mktemp -d)
mkdir -p "$out"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns"
x() { ip netns exec "$ns" "$@"; }
cap() { # cap NAME "NOTE" COMMAND...
  local name=$1 note=$2; shift 2
  x strace -f -xx -s 65536 -e trace=recvmsg,recvfrom -e read=all -o "$tmp/$name.strace" "$@" >/dev/null
  python3 tools/strace2vector.py "$tmp/$name.strace" "$out/$name.txt" "$*" "$note" "kernel $(uname -r), $(ip -V), $(nft -v)"
}

# Events: ip monitor runs while the namespace is built, so link/address/route/neighbour creation and deletion
# notifications (RTM_NEW*/RTM_DEL*) are captured as the kernel multicasts them.
ip netns exec "$ns" strace -f -xx -s 65536 -e trace=recvmsg,recvfrom -e read=all -o "$tmp/monitor.strace" \
  timeout 5 ip monitor link address route neigh >/dev/null &
monitor=$!
sleep 0.5

x ip link set lo up
x ip link add br0 type bridge stp_state 0 forward_delay 400
x ip link add veth0 type veth peer name veth1
x ip link set veth0 master br0
x ip link add link veth1 name mv0 type macvlan mode bridge
x ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1 dev veth1
x ip tuntap add tap0 mode tap
x ip tuntap add tun0 mode tun
x ip link set dev veth1 alias "uplink with spaces é"
x ip link set dev veth1 mtu 9000
for l in br0 veth0 veth1 mv0 vx0 tap0 tun0; do x ip link set "$l" up; done
x ip addr add 10.9.0.1/24 brd + label veth1:main dev veth1
x ip addr add 10.9.1.1 peer 10.9.1.2/32 dev veth1
x ip addr add 192.0.2.10/28 dev br0
x ip addr add 2001:db8::1/64 dev veth1 nodad
x ip addr add fd00:9::1/64 dev br0 nodad valid_lft 3600 preferred_lft 1800
x ip route add default via 10.9.0.254 dev veth1
x ip route add 198.51.100.0/24 table 100 metric 50 src 10.9.0.1 via 10.9.0.253
x ip route add 203.0.113.0/24 nexthop via 10.9.0.2 weight 1 nexthop via 10.9.0.3 weight 3
x ip route add blackhole 198.18.0.0/15
x ip route add unreachable 198.20.0.0/16
x ip route add 2001:db8:1::/48 via 2001:db8::2 dev veth1
x ip -6 route add 2001:db8:2::/48 nexthop via 2001:db8::3 dev veth1 weight 2 nexthop via 2001:db8::4 dev veth1
x ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth1 nud permanent
x ip neigh add 10.9.0.3 lladdr 02:00:00:00:00:03 dev veth1 nud reachable
x ip neigh add 2001:db8::2 lladdr 02:00:00:00:00:04 dev veth1 nud permanent
x bridge fdb add 02:00:00:00:00:05 dev veth0 master static
x ip -4 route del 198.20.0.0/16
x ip addr del 192.0.2.10/28 dev br0
x ip neigh del 10.9.0.3 dev veth1
x ip link del tun0
wait "$monitor" || true  # timeout ends ip monitor after 5 s
python3 tools/strace2vector.py "$tmp/monitor.strace" "$out/monitor-events.txt" "ip monitor link address route neigh" \
  "events received while capture.sh built the namespace (creation, then deletion of a route, an address, a neighbour and tun0)" \
  "kernel $(uname -r), $(ip -V)"

x nft -f nat-ruleset.nft

cap link-dump "every link kind this kernel builds (bridge, veth, macvlan, vxlan, tap, tun), an alias with spaces and non-ASCII" ip -d link show
cap addr-dump "IPv4 with broadcast and label, a peer address, IPv6 nodad, lifetimes" ip -d addr show
cap route-dump-all "every table, IPv4 and IPv6: default, table 100 with metric and src, multipath with weights, blackhole, local/broadcast" ip route show table all
cap route6-dump-all "IPv6 routes of every table, multipath included" ip -6 route show table all
cap neigh-dump "IPv4 and IPv6 neighbours, permanent and reachable" ip neigh show
cap fdb-dump "bridge FDB entries (AF_BRIDGE neighbour messages)" bridge fdb show
cap nft-list-ruleset "nft list ruleset of a NAT ruleset with sets, maps, verdict maps, counters, ct, lookup, dnat/snat/masquerade/redirect, comments" nft list ruleset
cap nft-list-ruleset-handles "the same with handles (nft -a)" nft -a list ruleset
echo "captured into $(pwd)/$out"
