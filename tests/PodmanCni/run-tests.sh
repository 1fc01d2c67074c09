#!/usr/bin/env bash
# podman 4.3 (Debian) with its CNI network backend running lxi-cni: a network whose conflist is lxi-cni (with its own
# portMappings capability) followed by the reference tuning plugin, in a plugin directory holding lxi-cni and the
# reference plugins (containers.conf: network_backend "cni", cni_plugin_dirs, network_config_dir). A busybox httpd
# container with a published port, a second container fetching from it over the network, the published port reached
# from podman's host, and nothing of the attachment left after `podman rm`.
#
# Everything runs inside a private mount and network namespace (unshare --net --mount --propagation private) with
# tmpfs on every directory podman and CNI write (/run/netns, /var/lib/cni, /run/containers, ...), podman's storage
# (vfs), state and configuration in a temporary directory, the runtime runc, cgroupfs; see ../shared/ENGINES.md.
# Prints "PASS name" / "FAIL name: why" lines and, last, "N passed, N failed". Needs root.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
setup_failed() { echo "FAIL podman-cni-setup: $*"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || setup_failed "needs root"
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /usr/lib/cni/tuning ] || need+=(containernetworking-plugins)
if [ ${#need[@]} -gt 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || setup_failed "apt-get install ${need[*]} failed"
fi
plugin="$repo/src/lxi-cni/bin/Release/net10.0/lxi-cni"
[ -x "$plugin" ] || dotnet build src/lxi-cni -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2 || setup_failed "building lxi-cni failed"

W=$(mktemp -d /var/tmp/lxi-podman-cni.XXXXXX)
# podman (cgroupfs) makes libpod_parent/ and libpod_parent/conmon/ in every cgroup hierarchy and leaves them, empty,
# after the last container: removed again when this run made them (rmdir only removes empty cgroups).
cgroups_before=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null)
cleanup() {
  if [ -z "$cgroups_before" ]; then
    for h in /sys/fs/cgroup/*/libpod_parent; do
      [ -d "$h" ] || continue
      find "$h" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
      rmdir "$h" 2>/dev/null
    done
  fi
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/cni-bin" "$W/net.d" "$W/rootfs/bin" "$W/rootfs/www" "$W/root" "$W/run" "$W/tmp"
ln -s "$plugin" "$W/cni-bin/lxi-cni"
for p in /usr/lib/cni/*; do ln -s "$p" "$W/cni-bin/$(basename "$p")"; done
cp /bin/busybox "$W/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$W/rootfs/bin/$a"; done
echo "served by a container on lxi-cni" > "$W/rootfs/www/index.html"
tar -C "$W/rootfs" -cf "$W/rootfs.tar" . || setup_failed "tar of the busybox root"
cat > "$W/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
events_logger = "file"
cgroup_manager = "cgroupfs"
runtime = "runc"
[network]
network_backend = "cni"
cni_plugin_dirs = ["$W/cni-bin"]
network_config_dir = "$W/net.d"
CONF
cat > "$W/net.d/lxinet.conflist" <<JSON
{"cniVersion":"1.0.0","name":"lxinet","plugins":[
  {"type":"lxi-cni","bridge":"lxp0","isGateway":true,"ipMasq":true,"hairpinMode":true,"capabilities":{"portMappings":true},
   "ipam":{"type":"host-local","ranges":[[{"subnet":"10.77.0.0/24","gateway":"10.77.0.1"}]],"routes":[{"dst":"0.0.0.0/0"}]}},
  {"type":"tuning"}]}
JSON

export W
unshare --net --mount --propagation private -- bash -c '
  set -uo pipefail
  passed=0; failed=0
  pass() { echo "PASS $1"; passed=$((passed + 1)); }
  fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
  for d in /run/netns /var/lib/cni /run/containers /var/lib/containers /etc/cni/net.d /run/libpod /run/runc /run/cni; do
    mkdir -p $d && mount -t tmpfs tmpfs $d || { echo "FAIL podman-cni-setup: tmpfs on $d"; echo "0 passed, 1 failed"; exit 1; }
  done
  ip link set lo up
  export CONTAINERS_CONF=$W/containers.conf
  P="podman --root $W/root --runroot $W/run --tmpdir $W/tmp --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
  $P import -q $W/rootfs.tar localhost/bb >/dev/null || { echo "FAIL podman-cni-setup: podman import"; echo "0 passed, 1 failed"; exit 1; }

  if $P network ls 2>&1 | grep -qE " lxinet +lxi-cni"; then pass podman-sees-lxi-cni-network
  else fail podman-sees-lxi-cni-network "$($P network ls 2>&1)"; fi

  if $P run -d --name web --network lxinet -p 8080:80 localhost/bb httpd -f -p 80 -h /www >$W/web.id 2>$W/err; then pass podman-run-with-lxi-cni
  else fail podman-run-with-lxi-cni "$(cat $W/err)"; fi
  ip=$($P inspect web --format "{{.NetworkSettings.Networks.lxinet.IPAddress}}" 2>/dev/null)
  [ "$ip" = 10.77.0.2 ] && pass podman-address-from-lxi-cni || fail podman-address-from-lxi-cni "inspect says \"$ip\""
  [ -f /var/lib/cni/networks/lxinet/10.77.0.2 ] && pass podman-ipam-state || fail podman-ipam-state "$(ls /var/lib/cni/networks/lxinet 2>&1)"
  nft list tables | grep -q "lxi-cni-pm-" && pass podman-port-mapping-table || fail podman-port-mapping-table "$(nft list tables)"

  sleep 0.5
  # HTTP by hand with nc: this busybox build'"'"'s wget crashes (SIGSEGV) here.
  out=$($P run --rm --network lxinet localhost/bb sh -c "printf \"GET / HTTP/1.0\r\n\r\n\" | nc -w 5 10.77.0.2 80" 2>&1 | tr -d "\r")
  echo "$out" | grep -qx "served by a container on lxi-cni" && pass podman-container-to-container || fail podman-container-to-container "$out; web: $($P ps -a --format "{{.Status}}" 2>&1) $($P logs web 2>&1)"
  out=$(printf "GET / HTTP/1.0\r\n\r\n" | busybox nc -w 5 10.77.0.1 8080 2>&1 | tr -d "\r")
  echo "$out" | grep -qx "served by a container on lxi-cni" && pass podman-published-port || fail podman-published-port "$out"

  $P rm -f -t 2 web >/dev/null 2>$W/err || fail podman-rm "$(cat $W/err)"
  left=""
  ls /var/lib/cni/networks/lxinet 2>/dev/null | grep -q "^10\." && left+=" address"
  nft list tables | grep -q "lxi-cni-pm-" && left+=" port-mapping-table"
  ip -o link show type veth | grep -q . && left+=" veth"
  [ -z "$left" ] && pass podman-rm-releases-everything || fail podman-rm-releases-everything "left:$left"
  $P rmi -f localhost/bb >/dev/null 2>&1
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]'
