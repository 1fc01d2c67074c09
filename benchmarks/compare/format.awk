# Prints the results of benchmarks/compare as one Markdown table.
# Input: lines "case<TAB>implementation<TAB>ns_per_op<TAB>iterations", several rounds of the same
# (case, implementation) allowed (the best is kept). The implementation whose name starts with
# "LinuxIsolation" is the reference of its case: ratio = other ns/op / LinuxIsolation ns/op.
BEGIN { FS = "\t" }
NF == 4 && $3 + 0 > 0 {
  key = $1 SUBSEP $2
  if (!(key in best)) {
    if (!($1 in seen)) { seen[$1] = 1; cases[++ncases] = $1 }
    impls[$1, ++nimpl[$1]] = $2
    best[key] = $3 + 0; iters[key] = $4; rounds[key] = 0
  }
  if ($3 + 0 < best[key]) best[key] = $3 + 0
  rounds[key]++
  if (index($2, "LinuxIsolation") == 1) ours[$1] = $2
  if (index($1, "spawn ") == 1) spawn = 1
  next
}
NF > 0 { print "format: ignored line: " $0 > "/dev/stderr" }
END {
  print "ratio = implementation ns/op / LinuxIsolation ns/op (above 1: LinuxIsolation is faster); ns/op = best timed run" \
    (spawn ? " (spawn cases: ns per spawn, the row's statistic over one run)" : "")
  print ""
  print "| case | implementation | ns/op | ratio vs LinuxIsolation |"
  print "|---|---|---:|---:|"
  for (c = 1; c <= ncases; c++) {
    name = cases[c]
    ref = (name in ours) ? best[name, ours[name]] : 0
    # LinuxIsolation first, then the others in the order they reported.
    if (name in ours) printf "| %s | %s | %s | 1.00 |\n", name, ours[name], ns(ref)
    for (i = 1; i <= nimpl[name]; i++) {
      impl = impls[name, i]
      if (impl == ours[name]) continue
      ratio = ref > 0 ? sprintf("%.2f", best[name, impl] / ref) : "n/a"
      printf "| %s | %s | %s | %s |\n", name, impl, ns(best[name, impl]), ratio
    }
  }
}

# ns/op with one decimal below 100,000 (encode cases), whole nanoseconds above (setup cases, per container).
function ns(v) { return v < 100000 ? sprintf("%.1f", v) : sprintf("%.0f", v) }
