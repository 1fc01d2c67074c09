#!/usr/bin/env bash
# containerd 1.6 (Debian's) with lxi in place of runc: the runc-v2 shim runs `lxi` (ctr's --runc-binary, the
# shim's BinaryName option), inside a private mount and network namespace, with containerd's root, state, socket
# and image store in a temporary directory (see shared/ENGINES.md). The image is an OCI archive of a busybox-static
# root written here (no registry is reachable) and imported with `ctr images import`. Checks: run --rm and its
# output, the exit code, a detached task, `ctr task exec` (output and exit code), `ctr task ps`, pause and resume
# (state "paused" and back), kill and the exit status, delete of task and container, and that neither lxi's state
# (the shim's --root) nor a shim process is left. Prints one line per check and "N passed, N failed" last.
# Needs root.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
fail() { echo "OciContainerd: $*"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root"
command -v containerd >/dev/null || { apt-get install -y -qq containerd >/dev/null 2>&1 || fail "containerd is not installed and apt-get install containerd failed"; }
[ -x /bin/busybox ] || fail "busybox-static is missing"

W=$(mktemp -d /tmp/lxi-containerd.XXXXXX)
trap 'rm -rf "$W"' EXIT
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
dotnet publish "$repo/src/lxi/lxi.csproj" -c Release -r linux-x64 -p:PublishAot=true "${linker[@]}" -o "$W/lxi" \
  -nologo -clp:ErrorsOnly >"$W/publish.log" 2>&1 || { cat "$W/publish.log"; fail "publishing lxi failed"; }

# The image: an OCI image layout (one gzip layer) in a tar, named through the index's annotations.
mkdir -p "$W/rootfs/bin" "$W/rootfs/etc" "$W/rootfs/tmp" "$W/rootfs/proc" "$W/rootfs/sys" "$W/rootfs/dev"
cp /bin/busybox "$W/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$W/rootfs/bin/$a"; done
python3 - "$W" <<'PY' || fail "writing the OCI archive failed"
import gzip, hashlib, io, json, os, sys, tarfile
w = sys.argv[1]
layout = os.path.join(w, "layout"); blobs = os.path.join(layout, "blobs", "sha256"); os.makedirs(blobs)
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, digest), "wb").write(data)
    return "sha256:" + digest, len(data)
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as t:
    t.add(os.path.join(w, "rootfs"), arcname=".")
diff_id = "sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()
layer, layer_size = blob(gzip.compress(raw.getvalue(), mtime=0))
config, config_size = blob(json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode())
manifest, manifest_size = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": config_size},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer, "size": layer_size}]}).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest,
    "size": manifest_size, "platform": {"architecture": "amd64", "os": "linux"},
    "annotations": {"io.containerd.image.name": "localhost/bb:latest", "org.opencontainers.image.ref.name": "latest"}}]},
    open(os.path.join(layout, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(layout, "oci-layout"), "w"))
with tarfile.open(os.path.join(w, "bb.tar"), "w") as t:
    for name in ("oci-layout", "index.json", "blobs"):
        t.add(os.path.join(layout, name), arcname=name)
PY

cat > "$W/config.toml" <<C
version = 2
root = "$W/containerd/root"
state = "$W/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$W/containerd.sock"
[ttrpc]
  address = "$W/containerd.sock.ttrpc"
C

unshare --net --mount --propagation private -- env W="$W" bash -c '
  for d in /run/containerd /var/lib/containerd /run/lxi; do mkdir -p $d; mount -t tmpfs tmpfs $d; done
  containerd --config $W/config.toml >$W/containerd.log 2>&1 &
  daemon=$!
  C="ctr --address $W/containerd.sock -n lxi-test"
  for i in $(seq 1 100); do $C version >/dev/null 2>&1 && break; sleep 0.1; done
  passed=0; failed=0
  check() { if [ "$2" = "$3" ]; then echo "PASS $1"; passed=$((passed+1)); else echo "FAIL $1: got [$2], expected [$3]"; failed=$((failed+1)); fi; }
  $C version >/dev/null 2>&1; check "containerd answers" "$?" 0
  $C images import --all-platforms $W/bb.tar >/dev/null 2>&1; check "images import" "$?" 0
  check "images ls" "$($C images ls -q 2>/dev/null)" localhost/bb:latest
  RUN="$C run --runc-binary $W/lxi/lxi"
  check "run --rm echo hi" "$($RUN --rm localhost/bb:latest t1 echo hi 2>&1)" hi
  $RUN --rm localhost/bb:latest t2 sh -c "exit 7" >/dev/null 2>&1; check "run: the exit code" "$?" 7
  $RUN -d localhost/bb:latest t3 sleep 1000 >/dev/null 2>&1; check "run -d" "$?" 0
  check "task ls: running" "$($C task ls 2>/dev/null | awk "\$1 == \"t3\" { print \$3 }")" RUNNING
  # The shim ran lxi, not runc: lxi logs its mapping warnings (the /dev tmpfs ones) to the log the shim gives it.
  check "the runtime is lxi" "$(grep -c "MountKind.Dev" $W/containerd/state/io.containerd.runtime.v2.task/lxi-test/t3/log.json 2>/dev/null | grep -v "^0$" | wc -l)" 1
  check "task exec" "$($C task exec --exec-id e1 t3 sh -c "cat /proc/1/cmdline | tr \"\\0\" \" \"" 2>&1)" "sleep 1000 "
  $C task exec --exec-id e2 t3 sh -c "exit 5" >/dev/null 2>&1; check "task exec: the exit code" "$?" 5
  check "task ps: one process" "$($C task ps t3 2>/dev/null | tail -n +2 | wc -l)" 1
  $C task pause t3 >/dev/null 2>&1; check "task pause" "$?" 0
  check "task ls: paused" "$($C task ls 2>/dev/null | awk "\$1 == \"t3\" { print \$3 }")" PAUSED
  $C task resume t3 >/dev/null 2>&1; check "task resume" "$?" 0
  check "task ls: running again" "$($C task ls 2>/dev/null | awk "\$1 == \"t3\" { print \$3 }")" RUNNING
  $C task kill -s SIGKILL t3 >/dev/null 2>&1; check "task kill" "$?" 0
  for i in $(seq 1 50); do [ "$($C task ls 2>/dev/null | awk "\$1 == \"t3\" { print \$3 }")" = STOPPED ] && break; sleep 0.1; done
  check "task ls: stopped" "$($C task ls 2>/dev/null | awk "\$1 == \"t3\" { print \$3 }")" STOPPED
  $C task delete t3 >/dev/null 2>&1; check "task delete" "$?" 0
  $C container delete t3 >/dev/null 2>&1; check "container delete" "$?" 0
  check "no container left" "$($C container ls -q 2>/dev/null)" ""
  check "no lxi state left" "$(ls $W/containerd/state/io.containerd.runtime.v2.task/lxi-test 2>/dev/null; ls /run/containerd/runc/lxi-test 2>/dev/null)" ""
  $C images rm localhost/bb:latest >/dev/null 2>&1
  kill $daemon; wait $daemon 2>/dev/null
  # A shim outlives containerd only if a task was left running: none may be.
  shims=$(pgrep -f "containerd-shim-runc-v2 -namespace lxi-test -address $W/containerd.sock" | tr "\n" " ")
  check "no shim left" "$shims" ""
  for pid in $shims; do kill -9 $pid; done
  if [ "$failed" -gt 0 ]; then echo "--- containerd log (last 30 lines)"; tail -30 $W/containerd.log; fi
  echo "$passed passed, $failed failed"
'
