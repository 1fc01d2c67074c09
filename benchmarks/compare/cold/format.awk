# Formats coldrun's lines (prefixed "cold|CASE|LABEL" or "warm|CASE|LABEL") as two Markdown tables with ratios against
# the C (or util-linux) row of the same case, the first row of each case. Figures in microseconds.
function us(ns) { return ns < 0 ? "-" : sprintf("%.0f", ns / 1000) }
function ratio(a, b) { return (a < 0 || b <= 0) ? "-" : sprintf("%.2f", a / b) }
{
  split($1, k, "|"); mode = k[1]; c = k[2]; label = k[3]
  n = ++count[mode]; row[mode, n] = label; kase[mode, n] = c
  whole[mode, n] = $2; wholemin[mode, n] = $3; inside[mode, n] = $4; insidemin[mode, n] = $5
  if (!((mode, c) in ref)) ref[mode, c] = n
}
END {
  names["nat"] = "seed NAT ruleset (one nf_tables batch)"; names["link"] = "ip link set lo up (one RTM_NEWLINK)"; names["spawn"] = "/bin/true in new pid, mnt, uts, ipc namespaces, new root"
  print ""
  print "Cold (a fresh process, first call; median of the rounds, minimum in brackets; ratio = median / the first row's median)"
  print ""
  print "| case | implementation | in-process us | ratio | whole process us | ratio |"
  print "|---|---|---:|---:|---:|---:|"
  for (i = 1; i <= count["cold"]; i++) {
    r = ref["cold", kase["cold", i]]
    printf "| %s | %s | %s (%s) | %s | %s (%s) | %s |\n", names[kase["cold", i]], row["cold", i], us(inside["cold", i]), us(insidemin["cold", i]), ratio(inside["cold", i], inside["cold", r]), us(whole["cold", i]), us(wholemin["cold", i]), ratio(whole["cold", i], whole["cold", r])
  }
  print ""
  print "Warm (steady state in one process: median of the timed calls, best of 3 processes; ratio = / the first row's)"
  print ""
  print "| case | implementation | us per call | ratio |"
  print "|---|---|---:|---:|"
  for (i = 1; i <= count["warm"]; i++) {
    r = ref["warm", kase["warm", i]]
    printf "| %s | %s | %.1f | %s |\n", names[kase["warm", i]], row["warm", i], insidemin["warm", i] / 1000, ratio(insidemin["warm", i], insidemin["warm", r])
  }
}
