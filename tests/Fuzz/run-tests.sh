#!/usr/bin/env bash
# The short variant of the fuzzing harness (issue 8 item 1): builds tests/Fuzz and runs 100,000 structure-aware
# mutations of the real captures under Corpus/ through every decoder family (netlink, rtnetlink, nftables, socket,
# mountinfo, cgroup, iptables), each netlink input placed against a guard page. Any exception other than the family's
# documented one is a failure; its input is saved as hex (default artifacts/fuzz-crashes/) with the seed and index.
# Prints one line per family, "PASS fuzz FAMILY" / "FAIL fuzz FAMILY" and, last, "N passed, N failed" (one per
# family). FUZZ_INPUTS and FUZZ_SEED override the count and the seed (default 1, so the run is reproducible).
# Needs no privileges.
set -uo pipefail
cd "$(dirname "$0")/../.."
inputs=${FUZZ_INPUTS:-100000}
seed=${FUZZ_SEED:-1}
fail() { echo "FAIL fuzz: $*"; echo "0 passed, 7 failed"; exit 1; }

dotnet build tests/Fuzz/Fuzz.csproj -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2 || fail "building tests/Fuzz failed"
dll=tests/Fuzz/bin/Release/net10.0/LinuxIsolation.Fuzz.dll
[ -f "$dll" ] || fail "$dll was not built"

timeout 600 dotnet "$dll" --inputs "$inputs" --seed "$seed" --crash-dir "${FUZZ_CRASH_DIR:-artifacts/fuzz-crashes}"
rc=$?
# A crash of the process itself (a read past the guard page is SIGSEGV) or the timeout leaves no summary line.
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "the harness exited with $rc (139 is SIGSEGV: a read out of bounds; 124 the timeout)"
exit "$rc"
