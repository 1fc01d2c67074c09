#!/usr/bin/env bash
# Coverage-guided mode (optional, not part of the test command): AFL++ drives the harness with SharpFuzz-instrumented
# copies of LinuxIsolation.Netlink.dll and LinuxIsolation.dll, so inputs that reach new branches of the decoders are
# kept and mutated further. Usage: tests/Fuzz/afl.sh FAMILY [SECONDS] (default 600).
# Needs afl++ (apt-get install afl++) and the SharpFuzz.CommandLine tool (dotnet tool install -g SharpFuzz.CommandLine
# --version 2.3.0). Works in a temporary directory; prints afl-fuzz's final statistics (executions, corpus, edges
# found, crashes) and leaves crashing inputs under that directory's out/default/crashes/ (the path is printed).
set -euo pipefail
family=${1:?usage: afl.sh FAMILY [SECONDS]}
seconds=${2:-600}
cd "$(dirname "$0")/../.."
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++"; exit 1; }
sharpfuzz=$(command -v sharpfuzz || echo "$HOME/.dotnet/tools/sharpfuzz")
[ -x "$sharpfuzz" ] || { echo "sharpfuzz not found: dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0"; exit 1; }

dotnet build tests/Fuzz/Fuzz.csproj -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2
work=$(mktemp -d /tmp/lxi-afl-"$family".XXXX)
cp -r tests/Fuzz/bin/Release/net10.0 "$work/bin"
for dll in LinuxIsolation.Netlink.dll LinuxIsolation.dll; do "$sharpfuzz" "$work/bin/$dll" >/dev/null; done
dotnet "$work/bin/LinuxIsolation.Fuzz.dll" --family "$family" --write-seeds "$work/in"

# The host's core_pattern and CPU governor are left alone (the machine is shared): afl-fuzz is told not to mind them.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
timeout $((seconds + 120)) afl-fuzz -V "$seconds" -t 5000 -m none -i "$work/in" -o "$work/out" -- \
  dotnet "$work/bin/LinuxIsolation.Fuzz.dll" --family "$family" --afl >"$work/afl.log" 2>&1 || true
stats="$work/out/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz did not start; see $work/afl.log"; tail -20 "$work/afl.log"; exit 1; }
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|edges_found|total_edges|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats"
crashes=$(find "$work/out/default/crashes" -type f -name 'id:*' | wc -l)
echo "afl $family: $crashes crashing inputs (in $work/out/default/crashes)"
[ "$crashes" -eq 0 ]
