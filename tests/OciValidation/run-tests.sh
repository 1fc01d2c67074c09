#!/usr/bin/env bash
# The OCI runtime-tools validation suite (../shared/tools/oci-validation, the version Debian 12 packages) against
# lxi and against runc in the same run. Publishes src/lxi with NativeAOT into a temporary directory, runs every
# validation test file against it and against /usr/sbin/runc (or $RUNC), and prints one table, one line per
# test file with both results, then "lxi: K of N test files pass, runc: M of N".
# Counted as tests/run counts its programs: passed = test files lxi passes; failed = test files runc passes
# and lxi fails, in the run and again in a rerun of those files against both (some files race with the
# container's exit, and runc passes them in one run and fails them in the next). The goal is every file runc
# passes here, and more. Needs root (the suite needs it).
# OCI_VALIDATION_TESTS="create state ..." limits the run to some test files.
# LXI_IGNORE_UNSUPPORTED=PATH[,PATH] runs lxi without those unsupported settings (each logged as a warning);
# with linux.seccomp among them, lxi's linux_seccomp result is shown as "ignored" and not counted. Unset: strict.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tool="$repo/../shared/tools/oci-validation"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
fail() { echo "OciValidation: $*"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (the validation suite creates containers)"
[ -x "$tool" ] || fail "$tool is missing (the shared folder beside the repository)"
runc=${RUNC:-/usr/sbin/runc}
[ -x "$runc" ] || { command -v apt-get >/dev/null && apt-get install -y -qq runc >/dev/null 2>&1; }
[ -x "$runc" ] || fail "no runc to compare with ($runc)"

work=$(mktemp -d /tmp/lxi-oci-validation.XXXXXX)
trap 'rm -rf "$work"' EXIT
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
dotnet publish "$repo/src/lxi/lxi.csproj" -c Release -r linux-x64 -p:PublishAot=true "${linker[@]}" -o "$work/lxi" \
  -nologo -clp:ErrorsOnly >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; fail "publishing lxi failed"; }

# shellcheck disable=SC2086
tests=(${OCI_VALIDATION_TESTS:-})
export LXI_IGNORE_UNSUPPORTED=${LXI_IGNORE_UNSUPPORTED-}
echo "OciValidation: lxi runs with LXI_IGNORE_UNSUPPORTED='$LXI_IGNORE_UNSUPPORTED'"
"$tool" "$work/lxi/lxi" "${tests[@]}" >"$work/lxi.txt" 2>&1
ignored=$LXI_IGNORE_UNSUPPORTED; unset LXI_IGNORE_UNSUPPORTED
"$tool" "$runc" "${tests[@]}" >"$work/runc.txt" 2>&1

# A test file that runc passes and lxi fails is run again, against both, once: some files race with the
# container's exit (pidfile kills a container whose "true" may have ended already; killsig), so runc itself
# passes them in one run and fails them in the next. What counts is the rerun, where both run back to back.
rerun=$(python3 - "$work/lxi.txt" "$work/runc.txt" <<'PY'
import re, sys
def passed(path):
    return {m.group(2): m.group(1) for m in (re.match(r'^(PASS|FAIL) (\S+)', l) for l in open(path)) if m}
lxi, runc = passed(sys.argv[1]), passed(sys.argv[2])
print(" ".join(n for n, r in runc.items() if r == "PASS" and lxi.get(n) != "PASS"))
PY
)
if [ -n "$rerun" ]; then
  echo "OciValidation: runc passes and lxi fails: $rerun; running these again against both"
  # shellcheck disable=SC2086
  LXI_IGNORE_UNSUPPORTED=$ignored "$tool" "$work/lxi/lxi" $rerun >"$work/lxi-rerun.txt" 2>&1
  # shellcheck disable=SC2086
  "$tool" "$runc" $rerun >"$work/runc-rerun.txt" 2>&1
else
  : >"$work/lxi-rerun.txt"; : >"$work/runc-rerun.txt"
fi

python3 - "$work/lxi.txt" "$work/runc.txt" "$ignored" "$work/lxi-rerun.txt" "$work/runc-rerun.txt" <<'PY'
import re, sys
def table(path):
    rows = {}
    for line in open(path):
        m = re.match(r'^(PASS|FAIL) (\S+)(?: \(([^)]*)\))?(.*)$', line.rstrip())
        if m:
            rows[m.group(2)] = (m.group(1), m.group(3) or "", m.group(4).lstrip(": "))
    return rows
lxi, runc = table(sys.argv[1]), table(sys.argv[2])
lxi_again, runc_again = table(sys.argv[4]), table(sys.argv[5])
if "linux.seccomp" in sys.argv[3].split(",") and "linux_seccomp" in lxi:
    lxi["linux_seccomp"] = ("IGNORED", "", "seccomp not applied (LXI_IGNORE_UNSUPPORTED)")
names = sorted(set(lxi) | set(runc))
print(f"{'test file':<36} {'lxi':<14} {'runc':<14} first failing assertion (lxi)")
regressions = []
for n in names:
    l = lxi.get(n, ("FAIL", "?", "not run")); r = runc.get(n, ("FAIL", "?", "not run"))
    # The table in lower case: tests/run collects lines with an upper-case FAIL as failures, and only a file that
    # runc passes and lxi fails is one (printed below as "FAIL NAME: ...").
    print(f"{n:<36} {l[0].lower() + ' ' + l[1]:<14} {r[0].lower() + ' ' + r[1]:<14} {l[2][:110] if l[0] == 'FAIL' else ''}")
    if r[0] == "PASS" and l[0] not in ("PASS", "IGNORED"):
        la, ra = lxi_again.get(n, ("FAIL", "?", "not run")), runc_again.get(n, ("FAIL", "?", "not run"))
        print(f"{'  rerun':<36} {la[0].lower() + ' ' + la[1]:<14} {ra[0].lower() + ' ' + ra[1]:<14} {la[2][:110] if la[0] == 'FAIL' else ''}")
        if ra[0] == "PASS" and la[0] != "PASS":
            regressions.append(n)
        else:
            print(f"{'':<36} not counted: {'lxi passes the rerun' if la[0] == 'PASS' else 'runc fails it too on the rerun'}")
lp = sum(1 for v in lxi.values() if v[0] == "PASS"); rp = sum(1 for v in runc.values() if v[0] == "PASS")
for path, who in ((sys.argv[1], "lxi"), (sys.argv[2], "runc")):
    for line in open(path):
        if line.startswith("TAP assertions"):
            print(f"{who}: {line.strip()}")
print(f"lxi: {lp} of {len(names)} test files pass, runc: {rp} of {len(names)}")
for n in regressions:
    print(f"FAIL {n}: runc passes it, lxi does not")
print(f"{lp} passed, {len(regressions)} failed")
sys.exit(1 if regressions else 0)
PY
