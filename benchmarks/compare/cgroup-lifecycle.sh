# Shared by the shell implementations of "setup cgroup-lifecycle" (sourced by their impl scripts). The impl
# sets PARENT (the parent cgroup's directory, made by ../run), NAME_PREFIX, IMPL_NAME and LIMITS ("file=value"
# words, the limit of this hierarchy), and defines the five steps, each taking the child's name:
#   step_create, step_limit, step_place (moves $COMPARE_CGROUP_PID into the child), step_unplace (moves it back
#   into PARENT), step_delete.
# Environment from ../run: COMPARE_CGROUP_V2, COMPARE_CGROUP_V1 (the parents), COMPARE_CGROUP_PID (the process
# to move), COMPARE_SETUP_RUNS.
case_name="setup cgroup-lifecycle"
pid="${COMPARE_CGROUP_PID:-}"

lifecycle() {
  step_create "$1"; step_limit "$1"; step_place "$1"; step_unplace "$1"; step_delete "$1"
}

yes_no() { if "$@"; then echo yes; else echo no; fi; }
limits_read_back() {
  local kv
  for kv in $LIMITS; do [ "$(<"$PARENT/$1/${kv%%=*}")" = "${kv#*=}" ] || return 1; done
}
in_procs() { grep -qx "$pid" "$1/cgroup.procs"; }

# One lifecycle with a check after each step; the text is compared with LinuxIsolation's by ../run.
verify() {
  local c="${NAME_PREFIX}verify"
  step_create "$c"; echo "created: $(yes_no test -d "$PARENT/$c")"
  step_limit "$c"; echo "limits read back: $(yes_no limits_read_back "$c")"
  step_place "$c"; echo "process in the child: $(yes_no in_procs "$PARENT/$c")"
  step_unplace "$c"; echo "process back in the parent: $(yes_no in_procs "$PARENT")"
  step_delete "$c"; echo "child removed: $(yes_no test ! -e "$PARENT/$c")"
}

# CPU time (user + system) of this shell and of its finished children, in ns, from /proc/BASHPID/stat
# (utime, stime, cutime, cstime: clock ticks of 10 ms). Sets CPU_NS.
cpu_ns() {
  local -a st
  read -r -a st <"/proc/$BASHPID/stat"
  CPU_NS=$(( (st[13] + st[14] + st[15] + st[16]) * 10000000 ))
}

# One timed run of N lifecycles, one after the other; prints wall-clock and CPU ns per lifecycle.
run_once() {
  local n="$1" start end i cpu0
  cpu_ns; cpu0="$CPU_NS"; start="${EPOCHREALTIME/./}"
  for ((i = 1; i <= n; i++)); do lifecycle "${NAME_PREFIX}$i"; done
  end="${EPOCHREALTIME/./}"; cpu_ns
  echo "$(( (end - start) * 1000 / n )) $(( (CPU_NS - cpu0) / n ))"
}

main() {
  case "${1:-}" in
    list) echo "$case_name" ;;
    verify) [ "${2:-}" = "$case_name" ] || exit 2; verify ;;
    bench)
      local n="$2" c wall cpu best_wall best_cpu r
      shift 2
      for c in "$@"; do
        [ "$c" = "$case_name" ] || { echo "$IMPL_NAME: no case \"$c\"" >&2; continue; }
        run_once "$(( n < 10 ? n : 10 ))" >/dev/null
        best_wall=""; best_cpu=""
        for ((r = 0; r < ${COMPARE_SETUP_RUNS:-3}; r++)); do
          read -r wall cpu < <(run_once "$n")
          { [ -z "$best_wall" ] || [ "$wall" -lt "$best_wall" ]; } && best_wall="$wall"
          { [ -z "$best_cpu" ] || [ "$cpu" -lt "$best_cpu" ]; } && best_cpu="$cpu"
        done
        printf '%s (wall clock)\t%s\t%s\t%s\n' "$case_name" "$IMPL_NAME" "$best_wall" "$n"
        printf '%s (CPU time)\t%s\t%s\t%s\n' "$case_name" "$IMPL_NAME" "$best_cpu" "$n"
      done
      ;;
    *) echo "usage: impl build | list | verify CASE | bench CYCLES [CASE...]" >&2; exit 1 ;;
  esac
}
