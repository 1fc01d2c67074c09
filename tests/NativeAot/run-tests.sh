#!/usr/bin/env bash
# The NativeAOT test: packs the packages (eng/pack; under tests/run it reuses what tests/run packed), then
# publishes samples/SeedNetwork, a consumer of them by PackageReference, with PublishAot for linux-x64 (the
# ILCompiler packages come from the configured NuGet source; the SDK picks their version), requires the publish to
# report no warning at all (trim, AOT or other), then runs the native binary as root (it works only inside
# throwaway network namespaces it creates and removes) and requires exit code 0. Prints the binary size and run
# time, and "1 passed, 0 failed" or "0 passed, 1 failed" as its last line.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=""; log=""
cleanup() { [ -n "$out" ] && rm -rf "$out"; [ -n "$log" ] && rm -f "$log"; }
trap cleanup EXIT
fail() { echo "NativeAot: $*"; echo "0 passed, 1 failed"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (the sample creates network namespaces)"

# The ILCompiler links with clang by default; fall back to gcc where clang is absent.
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)

sample="$repo/samples/SeedNetwork"
# The sample takes LinuxIsolation from artifacts/packages; drop its earlier extracted copy so restore takes the
# bits just packed (samples/Directory.Build.props explains why).
"$repo/eng/pack" >/dev/null || fail "eng/pack failed"
rm -rf "$repo"/artifacts/samples-packages/linuxisolation*
# Start from a clean native intermediate directory, so the whole-program trim and AOT analysis really runs
# (an incremental publish skips it and with it the warnings).
rm -rf "$sample/obj/Release/net10.0/linux-x64" "$sample/bin/Release/net10.0/linux-x64"
out=$(mktemp -d /tmp/lxi-aot.XXXXXX)
log=$(mktemp /tmp/lxi-aot-log.XXXXXX)
echo "NativeAot: dotnet publish samples/SeedNetwork -c Release -r linux-x64 -p:PublishAot=true ${linker[*]}"
dotnet publish "$sample/SeedNetwork.csproj" -c Release -r linux-x64 -p:PublishAot=true "${linker[@]}" \
  -o "$out" -nologo -clp:NoSummary >"$log" 2>&1
rc=$?
# MSBuild and compiler warnings (": warning CS1234") and ILC's ("Trim analysis warning IL2026", "AOT analysis
# warning IL3050").
warnings=$(grep -iE 'warning [A-Z]{2,}[0-9]+' "$log" | sort -u)
count=$(printf '%s' "$warnings" | grep -c . || true)
echo "NativeAot: publish warnings: $count"
[ "$count" -eq 0 ] || { echo "$warnings"; fail "the NativeAOT publish reported $count warnings"; }
[ $rc -eq 0 ] || { cat "$log"; fail "dotnet publish exited with $rc"; }
binary="$out/SeedNetwork"
[ -x "$binary" ] || fail "no native binary at $binary"
file "$binary" 2>/dev/null | grep -q 'ELF 64-bit' || fail "$binary is not an ELF executable"
echo "NativeAot: binary size $(stat -c %s "$binary") bytes"

prefix="lxi-aot$$-"
start=$(date +%s%N)
"$binary" "$prefix"
rc=$?
end=$(date +%s%N)
echo "NativeAot: the native binary ran in $(( (end - start) / 1000000 )) ms and exited with $rc"
[ $rc -eq 0 ] || fail "the native binary exited with $rc"
leftover=$(ip netns list | grep -c "^$prefix" || true)
[ "$leftover" -eq 0 ] || fail "the native binary left $leftover network namespaces behind"
echo "1 passed, 0 failed"
