#!/usr/bin/env bash
# The short variant of the soak test (issue 8 item 2): builds tests/Soak and runs 200 cycles of namespace + veth into
# a bridge + addresses + route + NAT rule + spawn of /bin/true in a cgroup + teardown, all inside a throwaway
# network namespace and a cgroup subtree of its own, and checks that fds, threads, zombies, mounts, /run/netns
# entries, links, nft tables and cgroups are back at their starting values (RSS within 64 MiB).
# Prints the program's table, "PASS name" / "FAIL name" and, last, "N passed, N failed"; exits non-zero on failure.
# Needs root. SOAK_CYCLES overrides the cycle count.
set -uo pipefail
cd "$(dirname "$0")/../.."
cycles=${SOAK_CYCLES:-200}
name="soak $cycles cycles counters unchanged"
fail() { echo "FAIL $name: $*"; echo "0 passed, 1 failed"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (network namespaces, nf_tables, cgroups)"
dotnet build tests/Soak/Soak.csproj -c Release -nologo -v:q -clp:ErrorsOnly\;NoSummary >&2 || fail "building tests/Soak failed"
dll=tests/Soak/bin/Release/net10.0/Soak.dll
[ -f "$dll" ] || fail "$dll was not built"

timeout 900 dotnet "$dll" --cycles "$cycles"
rc=$?
if [ "$rc" -eq 0 ]; then
  echo "PASS $name"
  echo "1 passed, 0 failed"
else
  echo "FAIL $name: the soak program exited with $rc (124 is the timeout)"
  echo "0 passed, 1 failed"
  exit 1
fi
