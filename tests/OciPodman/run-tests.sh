#!/usr/bin/env bash
# podman 4.3 (Debian's) with lxi as its OCI runtime (--runtime), inside a private mount and network namespace with
# podman's storage and state in a temporary directory (see shared/ENGINES.md): run --rm, the exit code, a detached
# container, exec (and its exit code), inspect, logs, stop, kill, rm, and run -it with a console (--console-socket).
# The image is a busybox-static root imported with `podman import` (no registry is reachable). Machine facts:
# ulimits within this host's hard limits, pids_limit 0 (the pids controller is not in this host's cgroup v2
# hierarchy, and lxi manages v2 only). Containers get podman's default seccomp profile. Prints one line per check and "N passed, N failed" last. Needs root.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
fail() { echo "OciPodman: $*"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root"
command -v podman >/dev/null || { apt-get install -y -qq podman >/dev/null 2>&1 || fail "podman is not installed and apt-get install podman failed"; }
[ -x /bin/busybox ] || fail "busybox-static is missing"

W=$(mktemp -d /tmp/lxi-podman.XXXXXX)
cgroups_before=$(find /sys/fs/cgroup -maxdepth 2 -name libpod_parent 2>/dev/null)
cleanup() {
  # podman leaves its conmon cgroups (libpod_parent/conmon) in the v1 hierarchies: remove them if this run made them.
  if [ -z "$cgroups_before" ]; then
    for d in /sys/fs/cgroup/*/libpod_parent; do rmdir "$d/conmon" "$d" 2>/dev/null; done
  fi
  rm -rf "$W"
}
trap cleanup EXIT
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
dotnet publish "$repo/src/lxi/lxi.csproj" -c Release -r linux-x64 -p:PublishAot=true "${linker[@]}" -o "$W/lxi" \
  -nologo -clp:ErrorsOnly >"$W/publish.log" 2>&1 || { cat "$W/publish.log"; fail "publishing lxi failed"; }

mkdir -p "$W/root" "$W/run" "$W/tmp" "$W/rootfs/bin" "$W/rootfs/etc" "$W/rootfs/tmp" "$W/rootfs/proc" "$W/rootfs/sys" "$W/rootfs/dev"
cp /bin/busybox "$W/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$W/rootfs/bin/$a"; done
tar -C "$W/rootfs" -cf "$W/rootfs.tar" .
cat > "$W/containers.conf" <<C
[containers]
default_ulimits = ["nofile=20000:20000","nproc=32768:32768"]
pids_limit = 0
[engine]
events_logger = "file"
cgroup_manager = "cgroupfs"
C

unshare --net --mount --propagation private -- env W="$W" bash -c '
  for d in /run/netns /var/lib/cni /run/containers /var/lib/containers /etc/cni/net.d /run/libpod /run/runc /run/cni /run/lxi; do
    mkdir -p $d; mount -t tmpfs tmpfs $d; done
  export CONTAINERS_CONF=$W/containers.conf
  P="podman --root $W/root --runroot $W/run --tmpdir $W/tmp --cgroup-manager cgroupfs --events-backend file --runtime $W/lxi/lxi"
  R="--network none"
  passed=0; failed=0
  check() { if [ "$2" = "$3" ]; then echo "PASS $1"; passed=$((passed+1)); else echo "FAIL $1: got [$2], expected [$3]"; failed=$((failed+1)); fi; }
  $P import $W/rootfs.tar localhost/bb >/dev/null 2>&1; check "import" "$?" 0
  check "run --rm echo hi" "$($P run --rm $R localhost/bb echo hi 2>&1 | grep -v level=warn)" hi
  $P run --rm $R localhost/bb sh -c "exit 7" >/dev/null 2>&1; check "run: the exit code" "$?" 7
  $P run -d $R --name c1 localhost/bb sh -c "echo logged; exec sleep 1000" >/dev/null 2>&1; check "run -d" "$?" 0
  check "ps" "$($P ps --format "{{.Names}}" 2>/dev/null)" c1
  check "inspect: running" "$($P inspect -f "{{.State.Status}}" c1 2>/dev/null)" running
  check "exec" "$($P exec c1 sh -c "cat /proc/1/cmdline | tr \"\\0\" \" \"" 2>/dev/null)" "sleep 1000 "
  $P exec c1 sh -c "exit 5" >/dev/null 2>&1; check "exec: the exit code" "$?" 5
  check "logs" "$($P logs c1 2>/dev/null)" logged
  $P stop -t 1 c1 >/dev/null 2>&1; check "stop" "$?" 0
  check "inspect: exited" "$($P inspect -f "{{.State.Status}}" c1 2>/dev/null)" exited
  $P rm c1 >/dev/null 2>&1; check "rm" "$?" 0
  $P run -d $R --name c2 localhost/bb sleep 1000 >/dev/null 2>&1
  $P kill c2 >/dev/null 2>&1; check "kill" "$?" 0
  $P rm -f c2 >/dev/null 2>&1; check "rm -f" "$?" 0
  # The payload waits a moment before it writes: podman 4.3 with conmon loses the output of a -it container that
  # writes and exits at once (conmon has it, podman logs shows it, the attached terminal does not) with fast
  # runtimes: seen here with crun 1.8.1 (2 of 10 runs) and lxi (5 of 12), not with runc 1.1.5, whose slower start
  # gives conmon time to take the attach connection of podman. (No apostrophes here: this is inside bash -c.)
  tty=$(script -qc "$P run --rm -it $R localhost/bb sh -c \"sleep 0.5; tty; test -t 0 && echo is-a-tty\"" /dev/null 2>&1 | tr -d "\r\000" | sed "s/\\^@//g" | grep -v level=warn | tr "\n" " ")
  check "run -it: a console" "$tty" "/dev/pts/0 is-a-tty "
  check "no container left in lxi state" "$(ls /run/lxi)" ""
  echo "$passed passed, $failed failed"
'
