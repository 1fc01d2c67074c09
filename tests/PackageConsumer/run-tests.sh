#!/usr/bin/env bash
# The package consumer test: proves the packed packages work outside the solution.
# 1. packs LinuxIsolation.Netlink and LinuxIsolation into artifacts/packages (the local folder feed) with eng/pack
#    and checks their contents (both target frameworks with XML docs, README, licence, native library for
#    linux-x64 and linux-arm64, symbol packages);
# 2. creates a fresh console app in a temporary directory outside the repository (dotnet new console), with a
#    nuget.config that keeps the machine's configured sources and adds the folder feed (absolute path), and a
#    private global packages folder so a stale copy of the same version can never be picked up;
# 3. references LinuxIsolation by PackageReference at the packed version and compiles the seed network sample's
#    sources (samples/SeedNetwork/Program.cs and Probe.cs) into it;
# 4. builds and runs it as root (it works only inside throwaway network namespaces it creates and removes);
# 5. removes the temporary directory and prints "1 passed, 0 failed" or "0 passed, 1 failed" as its last line.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=""
cleanup() { [ -n "$work" ] && rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "PackageConsumer: $*"; echo "0 passed, 1 failed"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (it creates network namespaces)"

feed="$repo/artifacts/packages"
# eng/pack packs both (under tests/run it reuses what tests/run packed) and prints the version.
version=$("$repo/eng/pack") || fail "eng/pack failed"
[ -n "$version" ] || fail "empty package version"
for project in LinuxIsolation.Netlink LinuxIsolation; do
  [ -f "$feed/$project.$version.nupkg" ] || fail "$feed/$project.$version.nupkg was not produced"
  [ -f "$feed/$project.$version.snupkg" ] || fail "$feed/$project.$version.snupkg was not produced"
done

# What the packages must hold: both target frameworks with XML docs, the README, the licence expression, the
# native library for both architectures (checked by ELF machine), and symbol packages with the PDBs.
python3 - "$feed" "$version" <<'PY' || fail "the packages are incomplete (see above)"
import sys, zipfile, struct
feed, version = sys.argv[1], sys.argv[2]
problems = []
def check(package, required):
    with zipfile.ZipFile(f"{feed}/{package}.{version}.nupkg") as z:
        names = set(z.namelist())
        nuspec = z.read(f"{package}.nuspec").decode("utf-8")
        for name in required:
            if name not in names:
                problems.append(f"{package}: no {name}")
        if '<license type="expression">MIT</license>' not in nuspec:
            problems.append(f"{package}: no MIT licence expression")
        if "<readme>README.md</readme>" not in nuspec:
            problems.append(f"{package}: no readme")
        # LinuxIsolation depends on LinuxIsolation.Netlink and, for optional logging, on the logging abstractions
        # only; LinuxIsolation.Netlink depends on nothing outside the BCL.
        logging = 'id="Microsoft.Extensions.Logging.Abstractions"' in nuspec
        if package == "LinuxIsolation" and not logging:
            problems.append(f"{package}: no dependency on Microsoft.Extensions.Logging.Abstractions")
        if package == "LinuxIsolation.Netlink" and "<dependency " in nuspec:
            problems.append(f"{package}: has a package dependency (it must be BCL-only)")
        for rid, machine in (("linux-x64", 62), ("linux-arm64", 183)):
            so = f"runtimes/{rid}/native/libLinuxIsolation.Native.so"
            if so in names:
                head = z.read(so)[:20]
                if head[:4] != b"\x7fELF" or struct.unpack_from("<H", head, 18)[0] != machine:
                    problems.append(f"{package}: {so} is not an ELF shared object for {rid}")
    with zipfile.ZipFile(f"{feed}/{package}.{version}.snupkg") as z:
        for tfm in ("net8.0", "net10.0"):
            if f"lib/{tfm}/{package}.pdb" not in z.namelist():
                problems.append(f"{package}: the symbol package has no lib/{tfm}/{package}.pdb")
    print(f"PackageConsumer: {package}.{version}.nupkg: {len(names)} entries, checked")
lib = lambda p: [f"lib/{t}/{p}.{e}" for t in ("net8.0", "net10.0") for e in ("dll", "xml")] + ["README.md"]
check("LinuxIsolation.Netlink", lib("LinuxIsolation.Netlink"))
check("LinuxIsolation", lib("LinuxIsolation") + [f"runtimes/{r}/native/libLinuxIsolation.Native.so" for r in ("linux-x64", "linux-arm64")])
for p in problems:
    print("PackageConsumer: " + p + ("  (linux-arm64 is cross-compiled only where aarch64-linux-gnu-gcc exists: apt-get install gcc-aarch64-linux-gnu)" if "arm64" in p else ""))
sys.exit(1 if problems else 0)
PY

work=$(mktemp -d /tmp/lxi-consumer.XXXXXX)
case "$work" in "$repo"/*) fail "temporary directory $work is inside the repository" ;; esac
app="$work/Consumer"
mkdir -p "$app"
cd "$app" || fail "cannot enter $app"
dotnet new console -n Consumer -o . --no-restore >/dev/null || fail "dotnet new console failed"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <add key="linuxisolation-local" value="$feed" />
  </packageSources>
</configuration>
XML
rm -f Program.cs
cp "$repo/samples/SeedNetwork/Program.cs" "$repo/samples/SeedNetwork/Probe.cs" . || fail "cannot copy the sample sources"
dotnet add package LinuxIsolation --version "$version" --no-restore >/dev/null || fail "dotnet add package failed"
grep -q "<PackageReference Include=\"LinuxIsolation\" Version=\"$version\"" Consumer.csproj \
  || fail "Consumer.csproj has no PackageReference to LinuxIsolation $version"

echo "PackageConsumer: building $app"
dotnet build -c Release -nologo -clp:ErrorsOnly || fail "the consumer app did not build"
# The package's native library must have come along with the package (runtimes/linux-x64/native).
find bin/Release -name libLinuxIsolation.Native.so | grep -q . || fail "libLinuxIsolation.Native.so is not in the build output"

echo "PackageConsumer: running the seed network walkthrough from the packaged library"
dotnet bin/Release/*/Consumer.dll "lxi-pc$$-"
rc=$?
[ $rc -eq 0 ] || fail "the consumer app exited with $rc"
leftover=$(ip netns list | grep -c "^lxi-pc$$-" || true)
[ "$leftover" -eq 0 ] || fail "the consumer app left $leftover network namespaces behind"
echo "1 passed, 0 failed"
