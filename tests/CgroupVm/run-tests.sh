#!/usr/bin/env bash
# The VM tier of the cgroup v2 tests (ARCHITECTURE.md "Tests" 3). This host's cgroups are v1-hybrid, so the checks
# that need real memory/cpu/pids/io/cpuset/hugetlb controllers run in a VM: a Debian linux-image-*-amd64 kernel
# booted under qemu TCG with cgroup_no_v1=all, an initramfs of busybox-static and the 9p/virtio modules, the
# host's / shared read-only over virtio-9p, and the .NET program tests/CgroupVm/CgroupVmTests run inside it.
#
# Prints the program's "PASS name" / "FAIL name: reason" lines and, last, "N passed, N failed"; exits non-zero on
# any failure. Needs root (apt-get, and the guest runs as root). The kernel and initramfs are cached in
# artifacts/cgroupvm (gitignored); CGROUPVM_REFRESH=1 rebuilds them. CGROUPVM_TIMEOUT (seconds, default 600)
# bounds the VM.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
cache="$repo/artifacts/cgroupvm"
timeout_s=${CGROUPVM_TIMEOUT:-600}
log() { echo "cgroupvm: $*" >&2; }
setup_failed() { echo "FAIL cgroupvm-setup: $*"; echo "0 passed, 1 failed"; exit 1; }

[ "$(id -u)" -eq 0 ] || setup_failed "needs root (apt-get, and cgroup writes inside the guest)"

# 1. Host packages: qemu, a static busybox for the initramfs, cpio to pack it.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || setup_failed "apt-get install ${need[*]} failed"
fi

# 2. The .NET program, built on the host (the guest sees the same files through the shared /).
dotnet build tests/CgroupVm/CgroupVmTests/CgroupVmTests.csproj -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2 \
  || setup_failed "building tests/CgroupVm/CgroupVmTests failed"
dll="$repo/tests/CgroupVm/CgroupVmTests/bin/Release/net10.0/CgroupVmTests.dll"
dotnet_bin=$(readlink -f "$(command -v dotnet)")
[ -f "$dll" ] || setup_failed "$dll was not built"
case "$dll$dotnet_bin" in *' '*) setup_failed "paths with spaces cannot go on the kernel command line: $dll";; esac

# 3. Kernel and initramfs, cached.
build_image() {
  local pkg=$1 dir=$2 work
  work=$(mktemp -d)
  chmod 755 "$work"
  log "downloading $pkg"
  (cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) || { rm -rf "$work"; return 1; }
  dpkg-deb -x "$work"/"$pkg"_*.deb "$work/x" || { rm -rf "$work"; return 1; }
  local kver moddir
  kver=$(ls "$work/x/lib/modules" | head -1)
  moddir="$work/x/lib/modules/$kver"
  mkdir -p "$work/root/bin" "$work/root/lib/modules" "$work/root/proc" "$work/root/sys" "$work/root/dev" "$work/root/newroot"
  cp /bin/busybox "$work/root/bin/busybox"

  # Modules with their dependencies (read from each module's depends= field: the package has no modules.dep),
  # loaded in dependency order; built-in ones are skipped.
  local order=()
  add_module() {
    local name=$1 file base deps d
    for d in "${order[@]}"; do [ "$d" = "$name" ] && return 0; done
    file=$(find "$moddir/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | head -1)
    if [ -z "$file" ]; then
      grep -qE "/(${name}|${name//_/-})\.ko\$" "$moddir/modules.builtin" && return 0
      log "module $name not found in $pkg"; return 1
    fi
    case "$file" in
      *.xz) deps=$(xz -dc "$file" | tr '\0' '\n' | sed -n 's/^depends=//p' | head -1) ;;
      *.zst) deps=$(zstd -qdc "$file" | tr '\0' '\n' | sed -n 's/^depends=//p' | head -1) ;;
      *.gz) deps=$(gzip -dc "$file" | tr '\0' '\n' | sed -n 's/^depends=//p' | head -1) ;;
      *) deps=$(tr '\0' '\n' < "$file" | sed -n 's/^depends=//p' | head -1) ;;
    esac
    for d in ${deps//,/ }; do add_module "$d" || return 1; done
    case "$file" in
      *.xz) xz -dc "$file" ;; *.zst) zstd -qdc "$file" ;; *.gz) gzip -dc "$file" ;; *) cat "$file" ;;
    esac > "$work/root/lib/modules/$name.ko"
    order+=("$name")
  }
  # 9p over virtio for the shared root; brd gives the guest a block device (/dev/ram0) for io.max and io.stat.
  for m in 9pnet_virtio 9p brd; do add_module "$m" || { rm -rf "$work"; return 1; }; done
  printf '%s\n' "${order[@]}" > "$work/root/modules"

  cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules); do
  args=""
  [ "$m" = brd ] && args="rd_nr=1 rd_size=16384"
  insmod /lib/modules/$m.ko $args || echo "cgroupvm: insmod $m failed"
done
for word in $(cat /proc/cmdline); do
  case "$word" in
    lxi.dotnet=*) dotnet=${word#lxi.dotnet=} ;;
    lxi.dll=*) dll=${word#lxi.dll=} ;;
  esac
done
if mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose root /newroot; then
  mount -t proc proc /newroot/proc
  mount -t sysfs sysfs /newroot/sys
  mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup
  mount -t devtmpfs devtmpfs /newroot/dev
  # The writable scratch space is a tmpfs on /dev/shm, not on /tmp: the repository (and so the test
  # program) may itself live under the host's /tmp, which a tmpfs there would hide.
  mkdir -p /newroot/dev/shm
  mount -t tmpfs tmpfs /newroot/dev/shm
  echo "CGROUPVM-BOOTED $(uname -r) uptime=$(cut -d" " -f1 /proc/uptime)s"
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/dev/shm TMPDIR=/dev/shm \
    DOTNET_CLI_HOME=/dev/shm DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0 \
    chroot /newroot "$dotnet" "$dll"
  echo "CGROUPVM-EXIT $?"
else
  echo "FAIL cgroupvm-boot: mounting the 9p root failed"
fi
poweroff -f
INIT
  chmod 755 "$work/root/init"
  mkdir -p "$dir"
  (cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$dir/initramfs.gz.tmp" || { rm -rf "$work"; return 1; }
  cp "$work"/x/boot/vmlinuz-* "$dir/vmlinuz"
  mv "$dir/initramfs.gz.tmp" "$dir/initramfs.gz"
  rm -rf "$work"
}

# The cache is keyed by the package and by this recipe, so editing the init script or module list rebuilds it.
recipe=$(declare -f build_image | sha256sum | cut -c1-12)
image=""
[ "${CGROUPVM_REFRESH:-0}" = 1 ] || { [ -f "$cache/current-$recipe" ] && image="$cache/$(cat "$cache/current-$recipe")"; }
if [ -z "$image" ] || [ ! -f "$image/vmlinuz" ] || [ ! -f "$image/initramfs.gz" ]; then
  # The newest generic Debian kernel package this machine's apt sources offer (not -cloud, -rt, -dbg, -unsigned).
  pick() { apt-cache search --names-only '^linux-image-[0-9].*-amd64$' 2>/dev/null | cut -d' ' -f1 \
    | grep -Ev -- '-(cloud|rt)-amd64$' | sort -V | tail -1; }
  pkg=$(pick)
  [ -n "$pkg" ] || { apt-get update -qq >/dev/null 2>&1; pkg=$(pick); }
  [ -n "$pkg" ] || setup_failed "no linux-image-*-amd64 package in apt (apt-cache search linux-image-.*-amd64)"
  image="$cache/$pkg-$recipe"
  build_image "$pkg" "$image" || setup_failed "building the kernel and initramfs from $pkg failed"
  # Drop images of other packages or recipes: only the one in use stays cached.
  for old in "$cache"/*; do
    case "$old" in "$image"|"$cache/current-$recipe") ;; *) rm -rf "$old" ;; esac
  done
  echo "$pkg-$recipe" > "$cache/current-$recipe"
fi

# 4. Boot. KVM does not boot guests on this host, so TCG; a hard timeout bounds everything.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
log "booting $(basename "$image") under TCG (timeout ${timeout_s}s)"
start=$(date +%s)
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -m 2048 -smp 2 -nographic -no-reboot \
  -kernel "$image/vmlinuz" -initrd "$image/initramfs.gz" \
  -append "console=ttyS0 cgroup_no_v1=all quiet panic=-1 lxi.dotnet=$dotnet_bin lxi.dll=$dll" \
  -virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
  </dev/null >"$out" 2>&1
qemu_rc=$?
log "VM finished in $(( $(date +%s) - start )) s (qemu exit $qemu_rc)"

lines=$(tr -d '\r' < "$out" | grep -E '^(PASS|FAIL) ')
tr -d "\r" < "$out" | grep -E "^(TIME|CGROUPVM-BOOTED) " | sed "s/^/cgroupvm: /" >&2
[ -n "$lines" ] && echo "$lines"
passed=$(printf '%s\n' "$lines" | grep -c '^PASS ')
failed=$(printf '%s\n' "$lines" | grep -c '^FAIL ')
exit_line=$(tr -d '\r' < "$out" | grep -E '^CGROUPVM-EXIT ' | tail -1)
if [ -z "$exit_line" ]; then
  echo "FAIL cgroupvm-run: the program did not finish (qemu exit $qemu_rc; 124 is the timeout); console tail:"
  tr -d '\r' < "$out" | tail -20 | sed 's/^/  /'
  failed=$((failed + 1))
elif [ "${exit_line#CGROUPVM-EXIT }" != 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAIL cgroupvm-run: the program exited with ${exit_line#CGROUPVM-EXIT } without a FAIL line"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
