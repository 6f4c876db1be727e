# Prints the results table from bench/run.sh's raw TSV: case run value ms p50_us p99_us p999_us non2xx socket_errors|note
# Every Camel row carries a ratio to its floor row from the same run; the last line is the SUMMARY.
BEGIN { FS = "\t" }
FNR == NR { header = header $0 "\n"; next }
{
  c = $1; n[c]++; v[c, n[c]] = $3; t[c, n[c]] = $4; p50[c, n[c]] = $5; p99[c, n[c]] = $6; p999[c, n[c]] = $7
  err[c] += $8 + ($9 ~ /^[0-9]+$/ ? $9 : 0); if ($9 !~ /^[0-9]*$/) note[c] = $9
  if (!(c in seen)) { seen[c] = 1; order[++cases] = c }
}
function med(arr, c, k,   i, j, x, m, tmp) {
  m = n[c]; for (i = 1; i <= m; i++) tmp[i] = arr[c, i] + 0
  for (i = 2; i <= m; i++) { x = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > x; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = x }
  lo = tmp[1]; hi = tmp[m]
  return m % 2 ? tmp[(m + 1) / 2] : (tmp[m / 2] + tmp[m / 2 + 1]) / 2
}
function spread(arr, c,   m) { m = med(arr, c); return m ? sprintf("%d%%", 100 * (hi - lo) / m) : "-" }
function ms(us) { return sprintf("%.2f", us / 1000) }
END {
  floor["local-hit"] = "floor-hit"; floor["fwd-hit"] = "floor-hit"; floor["local-hit-c1"] = "floor-hit-c1"
  floor["fwd-hit-c1"] = "floor-hit-c1"; floor["windowed"] = "floor-windowed"; floor["range100-c1"] = "floor-range100-c1"
  floor["all-c1"] = "floor-localpart-c1"; floor["ingest"] = "ingest-floor"
  printf "%s", header
  printf "%-19s %4s %10s %7s %9s %7s %8s %9s %10s %10s %6s\n", "case", "runs", "req/s", "spread", "p50 ms", "spread", "p99 ms", "p99.9 ms", "x floor/s", "x floor p50", "errors"
  for (k = 1; k <= cases; k++) {
    c = order[k]
    if (c ~ /^rss-/ || c ~ /^ingest/) continue
    r = med(v, c); rs = spread(v, c); l = med(p50, c); ls = spread(p50, c)
    f = floor[c]; xr = "-"; xl = "-"
    if (f in seen) { xr = sprintf("%.2f", r / med(v, f)); xl = sprintf("%.2f", l / med(p50, f)) }
    printf "%-19s %4d %10.0f %7s %9s %7s %8s %9s %10s %10s %6d\n", c, n[c], r, rs, ms(l), ls, ms(med(p99, c)), ms(med(p999, c)), xr, xl, err[c]
  }
  print ""
  printf "%-19s %4s %12s %7s %14s %10s\n", "ingest", "runs", "lines/s", "spread", "visible ms", "x floor"
  for (k = 1; k <= cases; k++) {
    c = order[k]; if (c !~ /^ingest/) continue
    f = floor[c]; x = (f in seen) ? sprintf("%.2f", med(v, c) / med(v, f)) : "-"
    printf "%-19s %4d %12.0f %7s %14.0f %10s %s\n", c, n[c], med(v, c), spread(v, c), med(t, c), x, (c in note) ? "(" note[c] ")" : ""
  }
  print ""
  printf "%-19s %10s %16s\n", "process", "RSS MB", "start→ready ms"
  for (k = 1; k <= cases; k++) { c = order[k]; if (c ~ /^rss-/) printf "%-19s %10s %16s\n", substr(c, 5), v[c, 1], t[c, 1] }
  tput = ("floor-hit" in seen) ? med(v, "local-hit") / med(v, "floor-hit") : 0
  hop = ("fwd-hit-c1" in seen) ? (med(p50, "fwd-hit-c1") - med(p50, "local-hit-c1")) / 1000 : 0
  hop16 = ("fwd-hit" in seen) ? (med(p50, "fwd-hit") - med(p50, "local-hit")) / 1000 : 0
  all = ("all-c1" in seen) ? med(p50, "all-c1") / med(p50, "floor-localpart-c1") : 0
  print ""
  printf "SUMMARY local-hit %.2fx floor req/s (target >= 0.7: %s) | forwarded p50 = local + %.2f ms at c=1, + %.2f ms at c=16 (target <= 1: %s) | all over 3 = %.1fx one local part (target <= 2: %s) | ingest %d lines/s\n", \
    tput, (tput >= 0.7 ? "met" : "MISSED"), hop, hop16, (hop <= 1 ? "met" : "MISSED"), all, (all <= 2 ? "met" : "MISSED"), med(v, "ingest")
}
