# Sourced by the command-line implementations of the spawn cases (unshare, bwrap, crun, runc). The sourcing
# script defines:
#   spawn NET ID CMD...  runs CMD... (absolute path inside the root) in new pid, mount, uts and ipc namespaces
#                        (and network when NET is 1) with COMPARE_SPAWN_ROOT as root, waits for it to end,
#                        returns its status; ID is unique per spawn
#   spawn_done ID        untimed clean-up after a spawn (crun/runc delete); may do nothing
#   SPAWN_NAME           the implementation's name in the table
#   SPAWN_SECCOMP=1      (optional) it can also apply COMPARE_SECCOMP_PROFILE (an OCI linux.seccomp object, made
#                        by ../seccomp-profile from Debian's copy of Docker's default profile): NET is then "s",
#                        no network namespace and that filter
# and calls spawn_main "$@". Cases: "spawn pid+mnt+uts+ipc", "spawn pid+mnt+uts+ipc+net" and, with SPAWN_SECCOMP,
# "spawn pid+mnt+uts+ipc+seccomp".
# Timing: spawn N runs 20 untimed warm-up spawns, then N timed ones, each from just before the tool is started
# to just after its exit is seen (bash's $EPOCHREALTIME, µs), so the figure includes the tool's own
# start-up, as a caller of the tool waits for it; prints three rows per case: median, p99, mean (ns).
spawn_cases=("spawn pid+mnt+uts+ipc" "spawn pid+mnt+uts+ipc+net")
spawn_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
spawn_probe='for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done'

spawn_net() {
  case "$1" in
    "spawn pid+mnt+uts+ipc") echo 0 ;;
    "spawn pid+mnt+uts+ipc+net") echo 1 ;;
    "spawn pid+mnt+uts+ipc+seccomp") [ "${SPAWN_SECCOMP:-0}" = 1 ] && echo s || return 2 ;;
    *) return 2 ;;
  esac
}

spawn_seq=0
spawn_id() { spawn_seq=$((spawn_seq + 1)); echo "${COMPARE_SPAWN_ID:-sb$$-}$1-$spawn_seq"; }

spawn_bench_case() {
  local c="$1" n="$2" net id i t0 t1 samples stats
  net="$(spawn_net "$c")" || { echo "$SPAWN_NAME: no case \"$c\"" >&2; return 0; }
  samples="$(mktemp)"
  for ((i = 0; i < 20; i++)); do
    id="$(spawn_id w)"; spawn "$net" "$id" /bin/true; spawn_done "$id"
  done
  for ((i = 0; i < n; i++)); do
    id="$(spawn_id t)"
    t0="${EPOCHREALTIME/./}"
    spawn "$net" "$id" /bin/true
    t1="${EPOCHREALTIME/./}"
    spawn_done "$id"
    echo "$(( (t1 - t0) * 1000 ))" >>"$samples"
  done
  read -r median p99 mean < <("$spawn_here/spawn-stats" "$samples")
  rm -f "$samples"
  printf '%s (median)\t%s\t%s\t%s\n' "$c" "$SPAWN_NAME" "$median" "$n"
  printf '%s (p99)\t%s\t%s\t%s\n' "$c" "$SPAWN_NAME" "$p99" "$n"
  printf '%s (mean)\t%s\t%s\t%s\n' "$c" "$SPAWN_NAME" "$mean" "$n"
}

spawn_main() {
  case "${1:-}" in
    build) spawn_build ;;
    list)
      printf '%s\n' "${spawn_cases[@]}"
      if [ "${SPAWN_SECCOMP:-0}" = 1 ]; then echo "spawn pid+mnt+uts+ipc+seccomp"; fi
      ;;
    verify)
      local net id
      net="$(spawn_net "${2:-}")" || exit 2
      id="$(spawn_id v)"
      spawn "$net" "$id" /bin/sh -c "$spawn_probe" | "$spawn_here/spawn-root" describe
      spawn_done "$id"
      ;;
    bench)
      local n="$2" c; shift 2
      for c in "$@"; do spawn_bench_case "$c" "$n"; done
      ;;
    *) echo "usage: impl build | list | verify CASE | bench SPAWNS [CASE...]" >&2; exit 1 ;;
  esac
}

# Installs Debian packages when a command is missing (as root, or through sudo).
spawn_need() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null && return 0
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -q "$pkg" >&2 || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q "$pkg" >&2; }
}

# For the OCI runtimes (crun, runc): writes bundle DIR/config.json (OCI runtime spec 1.0) for the shared root
# (root.path = COMPARE_SPAWN_ROOT, absolute, read-write), process CMD... as uid 0 without a terminal and without
# capabilities, namespaces pid, mount, uts, ipc (and network when NET is 1), mounts a fresh /proc and a tmpfs
# /dev (the runtime adds its default device nodes), and cgroupsPath CGROUP (a subtree made for the run by
# ../run and removed by it: the runtimes create a cgroup per container and remove it on delete).
oci_bundle() {
  local dir="$1" net="$2" cgroup="$3"; shift 3
  local args="" a ns='{"type":"pid"},{"type":"mount"},{"type":"uts"},{"type":"ipc"}' seccomp=""
  for a in "$@"; do args+="${args:+,}\"$a\""; done
  [ "$net" = 1 ] && ns+=',{"type":"network"}'
  [ "$net" = s ] && seccomp=", \"seccomp\": $(cat "$COMPARE_SECCOMP_PROFILE")"
  mkdir -p "$dir"
  cat >"$dir/config.json" <<JSON
{
  "ociVersion": "1.0.2",
  "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": [$args],
              "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true},
  "root": {"path": "$COMPARE_SPAWN_ROOT", "readonly": false},
  "hostname": "spawnbench",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}
  ],
  "linux": {"namespaces": [$ns], "cgroupsPath": "$cgroup"$seccomp}
}
JSON
}

# Bundles are made once per (network, command) in COMPARE_SPAWN_DIR, outside the timed part; sets BUNDLE.
oci_bundle_for() {
  local impl="$1" net="$2"; shift 2
  # /bin/true (1 word) and the probe (3 words) are the only commands: the word count tells them apart
  # without starting a process in the timed part.
  BUNDLE="$COMPARE_SPAWN_DIR/bundles/$impl-$net-$#"
  [ -f "$BUNDLE/config.json" ] || oci_bundle "$BUNDLE" "$net" "/${COMPARE_SPAWN_CGROUP}/$impl" "$@"
}
