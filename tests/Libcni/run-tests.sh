#!/usr/bin/env bash
# lxi-cni driven by libcni, the Go library podman, containerd and CRI-O run CNI plugins with (Debian's
# golang-github-appc-cni-dev 1.1.2, built in GOPATH mode against Debian's sources: tests/Libcni/driver.go), first in
# a chain followed by the reference plugins of Debian's containernetworking-plugins (portmap, firewall, tuning,
# bandwidth), and alone with its own portMappings and bandwidth capabilities. libcni's AddNetworkList,
# CheckNetworkList, DelNetworkList and (emulated for 1.1.2, see driver.go) GCNetworkList; the chain must take
# lxi-cni's result as prevResult and real traffic must flow: container to container, container to an "outside"
# namespace (masqueraded), outside to a published port.
#
# Everything happens in namespaces made here: a "host" namespace the driver (and so every plugin) runs in, with an
# "outside" namespace joined to it by a veth (192.168.78.2 to the host's 192.168.78.1), and container namespaces.
# CNI state (IPAM, libcni's cache) lives in a temporary directory. All of it is removed on exit.
# Prints "PASS name" / "FAIL name: why" lines and, last, "N passed, N failed". Needs root.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
passed=0; failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
setup_failed() { echo "FAIL libcni-setup: $*"; failed=$((failed + 1)); finish; }

[ "$(id -u)" -eq 0 ] || setup_failed "needs root (network namespaces)"
need=()
command -v go >/dev/null || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/containernetworking/cni/libcni ] || need+=(golang-github-appc-cni-dev)
[ -x /usr/lib/cni/portmap ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null || need+=(iptables)
command -v nft >/dev/null || need+=(nftables)
command -v tc >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || setup_failed "apt-get install ${need[*]} failed"
fi

here="$repo/tests/Libcni"
mkdir -p "$here/bin"
(cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GOCACHE="$here/bin/.gocache" \
  go build -o bin/cnidriver driver.go) >&2 || setup_failed "building the libcni driver failed"
plugin="$repo/src/lxi-cni/bin/Release/net10.0/lxi-cni"
[ -x "$plugin" ] || dotnet build src/lxi-cni -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2 || setup_failed "building lxi-cni failed"
[ -x "$plugin" ] || setup_failed "$plugin was not built"

tag=lc$$
H=${tag}h; O=${tag}o; C1=${tag}c1; C2=${tag}c2; C3=${tag}c3
work=$(mktemp -d /tmp/lxi-libcni.XXXXXX)
cleanup() {
  for ns in "$C1" "$C2" "$C3" "$O" "$H"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# The plugin directory: lxi-cni (a framework-dependent build: its files beside it) and the reference plugins.
mkdir -p "$work/bin" "$work/cache" "$work/ipam"
ln -s "$plugin" "$work/bin/lxi-cni"
cni_path="$work/bin:/usr/lib/cni"

for ns in "$H" "$O" "$C1" "$C2" "$C3"; do ip netns add "$ns" || setup_failed "ip netns add $ns"; done
ip -n "$H" link set lo up
ip -n "$H" link add out0 type veth peer name eth0 netns "$O" || setup_failed "veth to the outside namespace"
ip -n "$H" addr add 192.168.78.1/24 dev out0 && ip -n "$H" link set out0 up
ip -n "$O" addr add 192.168.78.2/24 dev eth0 && ip -n "$O" link set eth0 up && ip -n "$O" link set lo up

cat > "$work/chain.conflist" <<JSON
{"cniVersion":"1.0.0","name":"lxichain","plugins":[
  {"type":"lxi-cni","bridge":"lxc0","isGateway":true,"ipMasq":true,"hairpinMode":true,
   "ipam":{"type":"host-local","ranges":[[{"subnet":"10.97.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"$work/ipam"}},
  {"type":"portmap","capabilities":{"portMappings":true},"snat":true},
  {"type":"firewall","backend":"iptables"},
  {"type":"tuning","sysctl":{"net.core.somaxconn":"512"}},
  {"type":"bandwidth","capabilities":{"bandwidth":true}}]}
JSON
cat > "$work/alone.conflist" <<JSON
{"cniVersion":"1.0.0","name":"lxialone","plugins":[
  {"type":"lxi-cni","bridge":"lxa0","isGateway":true,"ipMasq":true,"capabilities":{"portMappings":true,"bandwidth":true},
   "ipam":{"type":"host-local","ranges":[[{"subnet":"10.96.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"$work/ipam"}}]}
JSON
caps='{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}],"bandwidth":{"ingressRate":10000000,"ingressBurst":100000,"egressRate":10000000,"egressBurst":100000}}'
caps3='{"portMappings":[{"hostPort":8081,"containerPort":80,"protocol":"tcp"}],"bandwidth":{"ingressRate":10000000,"ingressBurst":100000,"egressRate":10000000,"egressBurst":100000}}'

driver() { local list=$1 c=$2; shift 2; ip netns exec "$H" "$here/bin/cnidriver" -conflist "$work/$list.conflist" -path "$cni_path" -cache "$work/cache" -caps "$c" "$@"; }

# listen NS PORT: accepts one TCP connection (5 s at most) and prints the peer's address; connect NS ADDR PORT.
listen() { ip netns exec "$1" timeout 6 python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(1); s.settimeout(5)
c, a = s.accept(); print(a[0])' "$2"; }
connect() { ip netns exec "$1" timeout 4 python3 -c '
import socket, sys
socket.create_connection((sys.argv[1], int(sys.argv[2])), 3).close()' "$2" "$3"; }
# peer_of LISTEN_NS PORT CONNECT_NS ADDR CONNECT_PORT: the address the listener saw, or "" when nothing arrived.
peer_of() { local out; out=$(mktemp -p "$work"); listen "$1" "$2" > "$out" 2>/dev/null & local l=$!; sleep 0.3
  connect "$3" "$4" "$5" 2>/dev/null; wait $l; cat "$out"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# 1. ADD through the chain: every reference plugin takes lxi-cni's result as prevResult.
if r1=$(driver chain "$caps" add c1 /run/netns/"$C1" 2>"$work/err"); then pass "chain-add-c1"; else fail "chain-add-c1" "$(cat "$work/err")"; fi
if r2=$(driver chain "$caps" add c2 /run/netns/"$C2" 2>"$work/err"); then pass "chain-add-c2"; else fail "chain-add-c2" "$(cat "$work/err")"; fi
ip1=$(echo "$r1" | json 'd["ips"][0]["address"].split("/")[0]' 2>/dev/null)
ip2=$(echo "$r2" | json 'd["ips"][0]["address"].split("/")[0]' 2>/dev/null)
shape=$(echo "$r1" | json '" ".join(i["name"] + ("@sandbox" if "sandbox" in i else "") for i in d["interfaces"])' 2>/dev/null)
veth1=$(echo "$r1" | json 'd["interfaces"][1]["name"]' 2>/dev/null)
[ "$ip1" = 10.97.0.2 ] && [ "$ip2" = 10.97.0.3 ] && [[ "$shape" == "lxc0 veth"*" eth0@sandbox bwp"* ]] \
  && pass "chain-result-through-libcni" || fail "chain-result-through-libcni" "ips $ip1 $ip2, interfaces $shape"

# 2. What the reference plugins did with it: tuning's sysctl inside, bandwidth's tbf on lxi-cni's host veth,
# firewall's and portmap's iptables rules for the container's address.
[ "$(ip netns exec "$C1" sysctl -n net.core.somaxconn)" = 512 ] && pass "chain-tuning-sysctl" || fail "chain-tuning-sysctl" "net.core.somaxconn is $(ip netns exec "$C1" sysctl -n net.core.somaxconn)"
tc -n "$H" -j qdisc show dev "$veth1" | json '[q["kind"] for q in d]' | grep -q tbf && pass "chain-bandwidth-tbf-on-lxi-veth" || fail "chain-bandwidth-tbf-on-lxi-veth" "$(tc -n "$H" qdisc show dev "$veth1")"
ip netns exec "$H" iptables -S CNI-FORWARD 2>/dev/null | grep -q "$ip1" && pass "chain-firewall-rules" || fail "chain-firewall-rules" "$(ip netns exec "$H" iptables -S CNI-FORWARD 2>&1 | head -5)"
ip netns exec "$H" iptables -t nat -S 2>/dev/null | grep -q "to-destination $ip1:80" && pass "chain-portmap-dnat" || fail "chain-portmap-dnat" "no DNAT to $ip1:80 in iptables -t nat -S"

# 3. Real traffic: container to container; container to outside, masqueraded to the host's address; outside to the
# port published by the reference portmap.
seen=$(peer_of "$C2" 9001 "$C1" "$ip2" 9001)
[ "$seen" = "$ip1" ] && pass "chain-container-to-container" || fail "chain-container-to-container" "c2 saw '${seen}'"
seen=$(peer_of "$O" 9000 "$C1" 192.168.78.2 9000)
[ "$seen" = 192.168.78.1 ] && pass "chain-container-to-outside-masqueraded" || fail "chain-container-to-outside-masqueraded" "the outside saw '${seen}'"
seen=$(peer_of "$C1" 80 "$O" 192.168.78.1 8080)
[ "$seen" = 192.168.78.2 ] && pass "chain-outside-to-published-port" || fail "chain-outside-to-published-port" "the container saw '${seen}'"

# 4. CHECK through the chain (libcni passes the cached result as prevResult to every plugin). Without the
# portMappings argument: the reference portmap 1.1.1 fails CHECK of any IPv4-only container ("could not check ipv6
# dnat: chain CNI-DN-... not found"; it checks ip6tables whatever the family), with the reference bridge as well.
caps_check='{"bandwidth":{"ingressRate":10000000,"ingressBurst":100000,"egressRate":10000000,"egressBurst":100000}}'
driver chain "$caps_check" check c1 /run/netns/"$C1" 2>"$work/err" && pass "chain-check" || fail "chain-check" "$(cat "$work/err")"

# 5. GC with only c1 valid: lxi-cni frees c2's address and host veth (the reference plugins 1.1.1 know no GC).
veth2=$(echo "$r2" | json 'd["interfaces"][1]["name"]' 2>/dev/null)
if driver chain "$caps" gc c1 2>"$work/err"; then
  if [ ! -e "$work/ipam/lxichain/$ip2" ] && [ -e "$work/ipam/lxichain/$ip1" ] && ! ip -n "$H" link show "$veth2" >/dev/null 2>&1; then pass "chain-gc"
  else fail "chain-gc" "after GC: $(ls "$work/ipam/lxichain" | tr '\n' ' '), veth $veth2 $(ip -n "$H" link show "$veth2" >/dev/null 2>&1 && echo present || echo gone)"; fi
else fail "chain-gc" "$(cat "$work/err")"; fi

# 6. DEL through the chain (twice: idempotent), then nothing of c1 is left: address, veth, DNAT, lxi-cni's table.
if driver chain "$caps" del c1 /run/netns/"$C1" 2>"$work/err" && driver chain "$caps" del c1 /run/netns/"$C1" 2>>"$work/err"; then
  left=""
  [ -e "$work/ipam/lxichain/$ip1" ] && left+=" ipam"
  ip -n "$H" link show "$veth1" >/dev/null 2>&1 && left+=" veth"
  ip netns exec "$H" iptables -t nat -S 2>/dev/null | grep -q "to-destination $ip1:80" && left+=" dnat"
  ip netns exec "$H" nft list table ip lxi-cni-lxichain >/dev/null 2>&1 && left+=" masquerade-table"
  [ -z "$left" ] && pass "chain-del" || fail "chain-del" "left behind:$left"
else fail "chain-del" "$(cat "$work/err")"; fi
driver chain "$caps" del c2 /run/netns/"$C2" 2>"$work/err" && pass "chain-del-after-gc" || fail "chain-del-after-gc" "$(cat "$work/err")"

# 7. lxi-cni alone, its own capabilities passed by libcni: nf_tables DNAT and tbf/ifb, traffic from outside.
if r3=$(driver alone "$caps3" add c3 /run/netns/"$C3" 2>"$work/err"); then pass "alone-add"; else fail "alone-add" "$(cat "$work/err")"; fi
veth3=$(echo "$r3" | json 'd["interfaces"][1]["name"]' 2>/dev/null)
seen=$(peer_of "$C3" 80 "$O" 192.168.78.1 8081)
[ "$seen" = 192.168.78.2 ] && pass "alone-outside-to-published-port" || fail "alone-outside-to-published-port" "the container saw '${seen}'"
ip netns exec "$H" nft list tables | grep -q "lxi-cni-pm-" && pass "alone-portmap-table" || fail "alone-portmap-table" "$(ip netns exec "$H" nft list tables)"
tc -n "$H" -j qdisc show dev "$veth3" | json '[q["kind"] for q in d]' | grep -q tbf && ip -n "$H" link show "lxb${veth3#veth}" >/dev/null 2>&1 \
  && pass "alone-bandwidth" || fail "alone-bandwidth" "$(tc -n "$H" qdisc show dev "$veth3")"
driver alone "$caps3" check c3 /run/netns/"$C3" 2>"$work/err" && pass "alone-check" || fail "alone-check" "$(cat "$work/err")"
if driver alone "$caps3" del c3 /run/netns/"$C3" 2>"$work/err"; then
  ip netns exec "$H" nft list tables | grep -q "lxi-cni-" && fail "alone-del" "$(ip netns exec "$H" nft list tables)" || pass "alone-del"
else fail "alone-del" "$(cat "$work/err")"; fi

finish
