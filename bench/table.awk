# Prints the results table from bench/run.sh's raw TSV: case run value ms p50_us p99_us p999_us non2xx socket_errors|note
# Every Camel row carries a ratio to its floor row from the same run; the last line is the SUMMARY (-v instances=N).
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
function div(a, b) { return b ? a / b : 0 }
function goal(ok) { return ok ? "met" : "MISSED" }
END {
  # each row's reference: the service's rows against their floor; the forwarding floor's rows against the single floor
  floor["local-hit"] = "floor-hit"; floor["fwd-hit"] = "floor-fwd-hit"; floor["floor-fwd-hit"] = "floor-hit"
  floor["local-hit-c1"] = "floor-hit-c1"; floor["fwd-hit-c1"] = "floor-fwd-hit-c1"; floor["floor-fwd-hit-c1"] = "floor-hit-c1"
  floor["local-hit-c1-unpinned"] = "floor-hit-c1-unpinned"; floor["fwd-hit-c1-unpinned"] = "floor-fwd-hit-c1-unpinned"
  floor["floor-fwd-hit-c1-unpinned"] = "floor-hit-c1-unpinned"
  floor["windowed"] = "floor-windowed"; floor["range100-c1"] = "floor-range100-c1"
  floor["all-c1"] = "floor-all-c1"; floor["ingest"] = "ingest-floor"; floor["ingest-keyed"] = "ingest"
  printf "%s", header
  printf "%-25s %4s %10s %7s %9s %7s %8s %9s %10s %10s %6s\n", "case", "runs", "req/s", "spread", "p50 ms", "spread", "p99 ms", "p99.9 ms", "x floor/s", "x floor p50", "errors"
  for (k = 1; k <= cases; k++) {
    c = order[k]
    if (c ~ /^rss-/ || c ~ /^ingest/ || c ~ /^warmup-/) continue
    r = med(v, c); rs = spread(v, c); l = med(p50, c); ls = spread(p50, c)
    f = floor[c]; xr = "-"; xl = "-"
    if (f in seen) { xr = sprintf("%.2f", div(r, med(v, f))); xl = sprintf("%.2f", div(l, med(p50, f))) }
    printf "%-25s %4d %10.0f %7s %9s %7s %8s %9s %10s %10s %6d\n", c, n[c], r, rs, ms(l), ls, ms(med(p99, c)), ms(med(p999, c)), xr, xl, err[c]
  }
  print ""
  printf "%-25s %4s %12s %7s %14s %10s\n", "ingest", "runs", "lines/s", "spread", "visible ms", "x floor"
  for (k = 1; k <= cases; k++) {
    c = order[k]; if (c !~ /^ingest/) continue
    f = floor[c]; x = (f in seen) ? sprintf("%.2f", div(med(v, c), med(v, f))) : "-"
    printf "%-25s %4d %12.0f %7s %14.0f %10s %s\n", c, n[c], med(v, c), spread(v, c), med(t, c), x, (c in note) ? "(" note[c] ")" : ""
  }
  if ("warmup-fwd-hit" in seen) {
    # the forward path before any warm-up: req/s per 1 s slice; steady = the median of the last 10 slices
    c = "warmup-fwd-hit"; m = n[c]
    q = 0; for (i = (m > 10 ? m - 9 : 1); i <= m; i++) tail[++q] = v[c, i] + 0
    for (i = 2; i <= q; i++) { x = tail[i]; for (j = i - 1; j >= 1 && tail[j] > x; j--) tail[j + 1] = tail[j]; tail[j + 1] = x }
    steady = q % 2 ? tail[(q + 1) / 2] : (tail[q / 2] + tail[q / 2 + 1]) / 2
    at = "-"; for (i = 1; i <= m; i++) if (v[c, i] >= 0.9 * steady) { at = i; break }
    print ""
    printf "fwd-hit warm-up (before any other load, 1 s slices): req/s by second, then p50 ms\n"
    line = ""; for (i = 1; i <= m; i++) line = line sprintf("%s%.0f", i > 1 ? " " : "", v[c, i]); print "  req/s " line
    line = ""; for (i = 1; i <= m; i++) line = line sprintf("%s%s", i > 1 ? " " : "", ms(p50[c, i])); print "  p50   " line
    printf "  steady (median of the last %d s) %.0f req/s; first second at >= 90%% of it: %s; errors %d\n", q, steady, at, err[c]
  }
  print ""
  printf "%-25s %10s %16s\n", "process", "RSS MB", "start→ready ms"
  for (k = 1; k <= cases; k++) { c = order[k]; if (c ~ /^rss-/) printf "%-25s %10s %16s\n", substr(c, 5), v[c, 1], t[c, 1] }
  tput = div(med(v, "local-hit"), med(v, "floor-hit"))
  tput1 = div(med(v, "local-hit-c1"), med(v, "floor-hit-c1"))
  fwd = div(med(v, "fwd-hit"), med(v, "floor-fwd-hit"))
  hop = ("fwd-hit-c1" in seen && "floor-fwd-hit-c1" in seen) ? (med(p50, "fwd-hit-c1") - med(p50, "floor-fwd-hit-c1")) / 1000 : 99
  fl = div(med(v, "fwd-hit"), med(v, "local-hit")); ffl = div(med(v, "floor-fwd-hit"), med(v, "floor-hit"))
  all = ("floor-all-c1" in seen) ? div(med(p50, "all-c1"), med(p50, "floor-all-c1")) : 99
  print ""
  tput1u = ("local-hit-c1-unpinned" in seen) ? div(med(v, "local-hit-c1-unpinned"), med(v, "floor-hit-c1-unpinned")) : -1
  hopu = ("fwd-hit-c1-unpinned" in seen && "floor-fwd-hit-c1-unpinned" in seen) ? (med(p50, "fwd-hit-c1-unpinned") - med(p50, "floor-fwd-hit-c1-unpinned")) / 1000 : 99
  # issue "No thread ever waits": a local hit >= 1.0x the floor (c=16, c=1 pinned and unpinned); a forwarded hit
  # >= 0.8x the forwarding floor at c=16 and within its p50 + 0.1 ms at c=1; "all" <= 1.5x the floor's whole store
  printf "SUMMARY local-hit %.2fx floor req/s at c=16, %.2fx at c=1, %s unpinned (goal >= 1.0: %s, %s, %s) | fwd-hit %.2fx forwarding floor req/s at c=16 (goal >= 0.8: %s) | forwarded p50 at c=1 = forwarding floor %+.2f ms, %s unpinned (goal <= +0.1: %s, %s) | forwarded/local req/s at c=16 %.2f, floors %.2f | all over %d = %.2fx floor's whole store p50 (goal <= 1.5: %s) | ingest %d lines/s, with an Idempotency-Key per body %d lines/s (%.2fx)\n", \
    tput, tput1, tput1u < 0 ? "-" : sprintf("%.2fx", tput1u), goal(tput >= 1.0), goal(tput1 >= 1.0), tput1u < 0 ? "-" : goal(tput1u >= 1.0), \
    fwd, goal(fwd >= 0.8), hop, hopu == 99 ? "-" : sprintf("%+.2f ms", hopu), goal(hop <= 0.1), hopu == 99 ? "-" : goal(hopu <= 0.1), \
    fl, ffl, instances ? instances : 3, all, goal(all <= 1.5), med(v, "ingest"), med(v, "ingest-keyed"), div(med(v, "ingest-keyed"), med(v, "ingest"))
}
