#!/usr/bin/env bash
# The samples test: builds both samples as consumers of the packed packages and runs them as root.
# 1. eng/pack packs LinuxIsolation.Netlink and LinuxIsolation into artifacts/packages (or, under tests/run, reuses
#    what it packed); the samples' earlier extracted copies are removed so restore takes these bits;
# 2. builds samples/SeedNetwork and samples/ContainerRunner (PackageReference at $(LinuxIsolationPackageVersion))
#    and checks that each resolved LinuxIsolation as a package and that the assemblies in its output are
#    byte for byte those in the packages just packed (no stale copy, no project reference);
# 3. runs SeedNetwork (the seed walkthrough in throwaway network namespaces with a unique prefix) and requires
#    exit code 0, "All connectivity checks passed." and no namespace left behind;
# 4. runs ContainerRunner with a short command and requires its hostname, a new PID namespace, a network
#    namespace holding only lo, the command's exit code passed through and its cgroup removed.
# Prints "N passed, N failed" as its last line.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0
log=$(mktemp /tmp/lxi-samples.XXXXXX)
trap 'rm -f "$log"' EXIT
pass() { echo "Samples: PASS $*"; passed=$((passed + 1)); }
fail() { echo "Samples: FAIL $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

[ "$(id -u)" -eq 0 ] || { fail "needs root (the samples create namespaces and a cgroup)"; finish; }
[ -x /bin/busybox ] || { fail "/bin/busybox is missing (tests/run installs busybox-static)"; finish; }

version=$("$repo/eng/pack") || { fail "eng/pack failed"; finish; }
rm -rf "$repo"/artifacts/samples-packages/linuxisolation*

# Build both samples, then check where their LinuxIsolation assemblies came from.
built=1
for sample in SeedNetwork ContainerRunner; do
  if ! dotnet build "$repo/samples/$sample/$sample.csproj" -c Release -nologo -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log"; fail "samples/$sample did not build"; built=0
  fi
done
[ "$built" -eq 1 ] || finish
if python3 - "$repo" "$version" <<'PY'
import json, sys, zipfile
repo, version = sys.argv[1], sys.argv[2]
problems = []
for sample in ("SeedNetwork", "ContainerRunner"):
    assets = json.load(open(f"{repo}/samples/{sample}/obj/project.assets.json"))
    libraries = assets["libraries"]
    for package in ("LinuxIsolation", "LinuxIsolation.Netlink"):
        entry = libraries.get(f"{package}/{version}")
        if entry is None or entry.get("type") != "package":
            problems.append(f"{sample}: {package} {version} is not restored as a package")
            continue
        with zipfile.ZipFile(f"{repo}/artifacts/packages/{package}.{version}.nupkg") as z:
            packed = z.read(f"lib/net10.0/{package}.dll")
        with open(f"{repo}/samples/{sample}/bin/Release/net10.0/{package}.dll", "rb") as f:
            if f.read() != packed:
                problems.append(f"{sample}: bin/Release/net10.0/{package}.dll is not the one in "
                                f"artifacts/packages/{package}.{version}.nupkg (a stale copy)")
    native = f"{repo}/samples/{sample}/bin/Release/net10.0/runtimes/linux-x64/native/libLinuxIsolation.Native.so"
    with zipfile.ZipFile(f"{repo}/artifacts/packages/LinuxIsolation.{version}.nupkg") as z:
        try:
            if open(native, "rb").read() != z.read("runtimes/linux-x64/native/libLinuxIsolation.Native.so"):
                problems.append(f"{sample}: {native} differs from the packed native library")
        except FileNotFoundError:
            problems.append(f"{sample}: no {native}")
for p in problems:
    print("Samples: " + p)
sys.exit(1 if problems else 0)
PY
then
  pass "both samples build from LinuxIsolation $version as packages, with the bits just packed"
else
  fail "a sample does not use the packages just packed (see above)"
fi

# SeedNetwork: the whole walkthrough, in namespaces named with a prefix of our own.
prefix="lxi-smp$$-"
dotnet "$repo/samples/SeedNetwork/bin/Release/net10.0/SeedNetwork.dll" "$prefix" >"$log" 2>&1
rc=$?
leftover=$(ip netns list | grep -c "^$prefix" || true)
if [ $rc -eq 0 ] && grep -q '^All connectivity checks passed\.$' "$log" && [ "$leftover" -eq 0 ]; then
  pass "SeedNetwork ran the walkthrough ($(grep -c '^\$ ' "$log") steps) and removed its namespaces"
else
  cat "$log"
  # Remove what a failed run left (namespaces with our prefix only), then report it.
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix"); do ip netns delete "$ns"; done
  fail "SeedNetwork exited with $rc, left $leftover namespaces behind"
fi

# ContainerRunner: a command in the container, checked from its output and exit code.
name="lxi-smp$$"
dotnet "$repo/samples/ContainerRunner/bin/Release/net10.0/ContainerRunner.dll" --hostname "$name" -- \
  /bin/sh -c 'echo "hostname=$(hostname)"; echo "pid=$$"; echo "links=$(ip -o link | wc -l)"; exit 3' >"$log" 2>&1 &
runner=$!
wait $runner
rc=$?
problems=()
[ $rc -eq 3 ] || problems+=("exit code $rc, not the command's 3")
grep -qx "hostname=$name" "$log" || problems+=("hostname is not $name")
grep -qxE 'pid=[12]' "$log" || problems+=("the command is not PID 1 or 2 of a new PID namespace")
grep -qx 'links=1' "$log" || problems+=("its network namespace does not hold only lo")
grep -q '^exit status: exit code 3$' "$log" || problems+=("no 'exit status: exit code 3' line")
# Its cgroup lxi-runner-PID (under the cgroup v2 root) must be gone.
left=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "lxi-runner-$runner" 2>/dev/null)
if [ -n "$left" ]; then
  problems+=("its cgroup lxi-runner-$runner was left behind")
  for dir in $left; do rmdir "$dir" 2>/dev/null || true; done   # its own cgroup only, named after its pid
fi
if [ ${#problems[@]} -eq 0 ]; then
  pass "ContainerRunner ran a command in its container (hostname, PID and network namespaces, exit code)"
else
  cat "$log"; fail "ContainerRunner: $(IFS=';'; echo "${problems[*]}")"
fi
finish
