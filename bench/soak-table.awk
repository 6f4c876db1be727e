# Table and SUMMARY line of bench/soak.sh. Inputs: header.txt, soak.raw (wrk/mixed.lua lines), samples.tsv.
FILENAME ~ /header/ { print; next }
FILENAME ~ /soak.raw/ {
  if ($2 == "RESULT") {
    inst = $1; insts[++ni] = inst
    for (f = 3; f <= NF; f++) { split($f, kv, "="); r[inst, kv[1]] = kv[2] }
  } else if ($2 == "STATUS") { status[$3] += $4 }
  else if ($2 == "SEC") { sec_n[$3] += $4; sec_bad[$3] += $5 }
  else if ($2 == "VER") { ver[$3] += $4 }
  next
}
{ # samples: label t instance rss fds threads
  if ($1 == "before" || $1 == "after" || $1 == "loaded") { s[$1, $3, "rss"] = $4; s[$1, $3, "fds"] = $5; s[$1, $3, "thr"] = $6 }
  if ($1 == "before" || $1 == "trend" || $1 == "after") { trend[$3] = trend[$3] sprintf(" %s", $4); ftrend[$3] = ftrend[$3] sprintf(" %s", $5) }
}
END {
  printf "\n%-6s %9s %9s %8s %8s %9s %7s %7s %7s %7s %7s\n", "target", "requests", "rps", "p50_ms", "p99_ms", "p99.9_ms", "max_ms", "non2xx", "sockerr", "timeout", "all"
  for (k = 1; k <= ni; k++) {
    i = insts[k]
    printf "%-6s %9d %9.0f %8.2f %8.2f %9.2f %7.0f %7d %7d %7d %7d\n", i, r[i, "requests"], r[i, "rps"], r[i, "p50_us"] / 1000,
      r[i, "p99_us"] / 1000, r[i, "p999_us"] / 1000, r[i, "max_us"] / 1000, r[i, "non2xx"], r[i, "socket_errors"], r[i, "timeout"], r[i, "sent_all"]
    req += r[i, "requests"]; rps += r[i, "rps"]; non2xx += r[i, "non2xx"]; sock += r[i, "socket_errors"]
    if (r[i, "p99_us"] > p99) p99 = r[i, "p99_us"]
    if (r[i, "max_us"] > mx) mx = r[i, "max_us"]
    sl += r[i, "sent_local"]; sf += r[i, "sent_fwd"]; sa += r[i, "sent_all"]
  }
  printf "%-6s %9d %9.0f %8s %8.2f %9s %7.0f %7d %7d\n", "total", req, rps, "", p99 / 1000, "", mx / 1000, non2xx, sock
  printf "sent: local %d, forwarded %d, all %d\n", sl, sf, sa
  printf "statuses:"; for (c in status) printf " %s=%d", c, status[c]; printf "\n"
  printf "route version header seen:"; for (v in ver) printf " %s=%d", v, ver[v]; printf "\n"
  printf "\n%-5s %12s %12s %12s %8s %8s %9s  %s\n", "inst", "rss_loaded", "rss_before", "rss_after", "fds_bef", "fds_aft", "threads", "trend every 10 s: rss MB | fds"
  for (j = 1; j <= 3; j++) {
    i = "i" j
    printf "%-5s %10s MB %9s MB %9s MB %8s %8s %4s->%-4s%s | fds%s\n", i, s["loaded", i, "rss"], s["before", i, "rss"], s["after", i, "rss"],
      s["before", i, "fds"], s["after", i, "fds"], s["before", i, "thr"], s["after", i, "thr"], trend[i], ftrend[i]
    rsssum = rsssum sprintf("%s%s %s->%s MB", j > 1 ? ", " : "", i, s["before", i, "rss"], s["after", i, "rss"])
    fdsum = fdsum sprintf("%s%s %s->%s", j > 1 ? ", " : "", i, s["before", i, "fds"], s["after", i, "fds"])
  }
  reload_fail = "n/a"
  if (reload == 1) {
    printf "\n%-5s %-5s %-6s %12s %10s %10s\n", "ver", "inst", "method", "active_after", "window_req", "window_bad"
    nr = 0; ok = 0; reload_fail = 0; wreq = 0; delete counted
    while ((getline line < reload_log) > 0) {
      split(line, rf, "\t"); nr++
      t0 = int(rf[4] / 1000); t1 = (rf[5] == "-") ? t0 + 40 : int(rf[5] / 1000)
      # window: the second of the replacement through one second after the new version answered
      wb = 0; wn = 0
      for (t = t0; t <= t1 + 1; t++) {
        if (!(t in sec_n)) continue
        wb += sec_bad[t]; wn += sec_n[t]
        if (!(t in counted)) { counted[t] = 1; wsecs++; reload_fail += sec_bad[t]; wreq += sec_n[t] }
      }
      if (rf[5] != "-") ok++
      printf "%-5s %-5s %-6s %12s %10d %10d\n", rf[1], rf[2], rf[3], (rf[5] == "-") ? "NOT ACTIVE" : sprintf("%d ms", rf[5] - rf[4]), wn, wb
    }
    printf "reloads: %d of %d became active; reload windows (replacement second .. 1 s after active, under load): %d s, %d responses (%.0f/s), non-2xx among them: %d (socket errors are not timed: %d in the whole run)\n",
      ok, nr, wsecs, wreq, wsecs ? wreq / wsecs : 0, reload_fail, sock
  }
  printf "after-checks:%s\n", (checks == "" ? " counts equal the corpus through every instance; unknown store still a JSON 4xx; ownership unchanged" : checks)
  printf "WARN/ERROR log lines during the soak:%s\n", logerr
  printf "\nSUMMARY soak %ds: %.0f req/s, errors %d (non2xx %d, socket %d), p99 %.2f ms (worst instance), max %.0f ms; RSS %s; fds %s%s\n",
    (load_end - load_start) / 1000, rps, non2xx + sock, non2xx, sock, p99 / 1000, mx / 1000, rsssum, fdsum,
    reload == 1 ? sprintf("; reloads %d/%d active, failed in reload windows %d", ok, nr, reload_fail + 0) : ""
}
