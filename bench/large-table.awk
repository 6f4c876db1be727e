# Prints the bench/run.sh --large table from its raw TSV (bench/lib/large-cases.sh):
#   size case run value ms p50_us p99_us p999_us non2xx socket_errors|note
# One block per size, each service row followed by its floor row and the ratio to it; then memory and readiness;
# the last line is the SUMMARY. Medians over runs.
BEGIN { FS = "\t" }
FNR == NR { header = header $0 "\n"; next }
{
  s = $1; k = s SUBSEP $2
  if (!(s in seen_size)) { seen_size[s] = 1; sizes[++nsizes] = s }
  n[k]++; v[k, n[k]] = $4; t[k, n[k]] = $5; p50[k, n[k]] = $6; p99[k, n[k]] = $7
  err[k] += $9 + ($10 ~ /^[0-9]+$/ ? $10 : 0); if ($10 !~ /^[0-9]*$/) note[k] = $10
}
# the median of a case's values over its runs; empty if it has none
function med(arr, k,   i, j, x, m, tmp) {
  m = 0
  for (i = 1; i <= n[k]; i++) if (arr[k, i] != "") tmp[++m] = arr[k, i] + 0
  if (!m) return ""
  for (i = 2; i <= m; i++) { x = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > x; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = x }
  return m % 2 ? tmp[(m + 1) / 2] : (tmp[m / 2] + tmp[m / 2 + 1]) / 2
}
function commas(x,   s, out, neg) {
  if (x == "") return "-"
  s = sprintf("%d", x); neg = (s ~ /^-/); sub(/^-/, "", s)
  while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
  return (neg ? "-" : "") s out
}
function ms(us) { return us == "" ? "-" : sprintf("%.2f", us / 1000) }
function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
# the rate column of a case: what its value means
function rate(s, c,   k, x) {
  k = s SUBSEP c; x = med(v, k)
  if (x == "") return "-"
  if (c ~ /^(load|walk)/) return commas(x) " keys/s"
  if (c ~ /^(page|floor-page)/) return commas(x) " req/s"
  if (c == "all" || c == "floor-localpart") return sprintf("%.1f MB", x / 1048576)
  if (c == "all-check") return commas(x) " keys"
  return x
}
# x floor: a time over the floor's time (load, walk, all), or a p50 over the floor's p50 (pages)
function xfloor(s, c) {
  if (c == "load" || c == "walk") return ratio(med(t, s SUBSEP c), med(t, s SUBSEP c "-floor"))
  if (c == "all") return ratio(med(t, s SUBSEP c), med(t, s SUBSEP "floor-localpart"))
  if (c ~ /^page-/) return err[s SUBSEP c] ? "n/a" : ratio(med(p50, s SUBSEP c), med(p50, s SUBSEP "floor-" c))
  return ""
}
function row(s, c, label,   k, tm) {
  k = s SUBSEP c; if (!n[k]) return
  tm = (c ~ /page/) ? "-" : commas(med(t, k))
  printf "%-11s %-16s %4d %9s %16s %8s %8s %8s %6d  %s\n", label, c, n[k], tm, rate(s, c), ms(med(p50, k)),
    ms(med(p99, k)), xfloor(s, c), err[k], (k in note) ? note[k] : (c ~ /^page/ && err[k]) ? "p50/p99 mix pages and 503s" : ""
}
function trio(s, prefix,   i, out, x) {
  for (i = 1; i <= 3; i++) { x = med(v, s SUBSEP prefix "i" i); out = out (i > 1 ? "/" : "") (x == "" ? "-" : x) }
  return out
}
END {
  printf "%s\n", header
  printf "%-11s %-16s %4s %9s %16s %8s %8s %8s %6s  %s\n", "keys", "case", "runs", "time ms", "rate", "p50 ms", "p99 ms",
    "x floor", "errors", "note"
  ncase = split("load load-floor walk walk-floor page-c1 floor-page-c1 page-c16 floor-page-c16 all floor-localpart all-check", cases, " ")
  for (i = 1; i <= nsizes; i++) {
    s = sizes[i]; label = commas(s)
    for (j = 1; j <= ncase; j++) { if (n[s SUBSEP cases[j]]) { row(s, cases[j], label); label = "" } }
    print ""
  }
  printf "%-11s %-26s %-24s %-26s %s\n", "keys", "RSS MB after load", "peak RSS MB during all", "RSS MB after all",
    "not ready (samples)"
  printf "%-11s %-26s %-24s %-26s %s\n", "", "i1/i2/i3, floor", "i1/i2/i3", "i1/i2/i3, floor", "walk, all"
  for (i = 1; i <= nsizes; i++) {
    s = sizes[i]
    printf "%-11s %-26s %-24s %-26s %s of %s, %s of %s\n", commas(s), trio(s, "rss-load-") ", " med(v, s SUBSEP "rss-load-floor"),
      trio(s, "peak-all-"), trio(s, "rss-all-") ", " med(v, s SUBSEP "rss-all-floor"),
      med(v, s SUBSEP "notready-walk"), med(t, s SUBSEP "notready-walk"), med(v, s SUBSEP "notready-all"), med(t, s SUBSEP "notready-all")
    for (j = 1; j <= 3; j++) for (ph = 1; ph <= 3; ph++) {
      x = med(v, s SUBSEP (ph == 1 ? "rss-load-" : ph == 2 ? "peak-all-" : "rss-all-") "i" j) + 0
      if (x > maxrss[s]) maxrss[s] = x
    }
    notready += med(v, s SUBSEP "notready-walk") + med(v, s SUBSEP "notready-all")
    if (note[s SUBSEP "walk"] !~ /ordered, complete/) bad = bad " walk at " commas(s) ";"
    if (note[s SUBSEP "all-check"] !~ /^complete/) bad = bad " all at " commas(s) ";"
    if (err[s SUBSEP "load"] || !n[s SUBSEP "load"]) bad = bad " load at " commas(s) ";"
  }
  for (i = 1; i <= nsizes; i++) {
    s = sizes[i]; sep = (i > 1 ? "/" : "")
    l_sizes = l_sizes sep commas(s); l_load = l_load sep commas(med(v, s SUBSEP "load"))
    l_walk = l_walk sep sprintf("%.1f", med(t, s SUBSEP "walk") / 1000); l_walkx = l_walkx sep xfloor(s, "walk")
    l_p1 = l_p1 sep ms(med(p50, s SUBSEP "page-c1")); l_p1x = l_p1x sep xfloor(s, "page-c1")
    l_p16 = l_p16 sep ms(med(p50, s SUBSEP "page-c16")); l_p16x = l_p16x sep xfloor(s, "page-c16")
    l_p16e = l_p16e sep err[s SUBSEP "page-c16"] + 0
    l_all = l_all sep sprintf("%.2f", med(t, s SUBSEP "all") / 1000); l_allx = l_allx sep xfloor(s, "all")
    l_rss = l_rss sep maxrss[s]
  }
  print ""
  printf "SUMMARY large, %s keys: load %s keys/s | walk %s s, x floor %s | page p50 c1 %s ms (x floor %s), c16 %s ms (x floor %s, errors %s) | all %s s (x floor local part %s) | max RSS %s MB | not ready: %d samples | checks: %s\n",
    l_sizes, l_load, l_walk, l_walkx, l_p1, l_p1x, l_p16, l_p16x, l_p16e, l_all, l_allx, l_rss, notready,
    bad == "" ? "every load, walk and all complete and ordered" : "FAILED:" bad
}
