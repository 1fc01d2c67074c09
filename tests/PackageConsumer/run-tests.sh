#!/usr/bin/env bash
# The package consumer test: proves the packed packages work outside the solution.
# 1. packs LinuxIsolation.Netlink and LinuxIsolation into artifacts/packages (the local folder feed);
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
version=$(dotnet msbuild "$repo/src/LinuxIsolation/LinuxIsolation.csproj" -nologo -getProperty:Version) \
  || fail "could not read the package version"
[ -n "$version" ] || fail "empty package version"
echo "PackageConsumer: packing LinuxIsolation.Netlink and LinuxIsolation $version into $feed"
for project in LinuxIsolation.Netlink LinuxIsolation; do
  dotnet pack "$repo/src/$project/$project.csproj" -c Release -nologo -clp:ErrorsOnly >/dev/null \
    || fail "dotnet pack $project failed"
  [ -f "$feed/$project.$version.nupkg" ] || fail "$feed/$project.$version.nupkg was not produced"
  [ -f "$feed/$project.$version.snupkg" ] || fail "$feed/$project.$version.snupkg was not produced"
done

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
