#!/usr/bin/env bash
# The measurements of bench/run.sh --large (sourced by bench/lib/large.sh): loading keys, the paged walk, pages at
# random cursors, whole "all" answers, memory and readiness. Each appends rows to $RAW (one file per store size):
#   case run value ms p50_us p99_us p999_us non2xx socket_errors|note        (read by bench/large-table.awk)
# Uses large.sh's BENCH_DIR, RAW, FLOOR, URLS, LIMIT, CURSORS, RUNS, WORDS_PER_LINE, BODY_KEYS, LOAD_TIMEOUT, PARTS
# (i1's partitions) and FAILED (set to 1 by a failed check).
# shellcheck disable=SC2034 # FAILED is read by bench/lib/large.sh

STORE=/state/keyvalues/word-count

# make_key_bodies FIRST LAST: keys k0000000.. numbered FIRST..LAST-1, shuffled, WORDS_PER_LINE to a line, as POST
# bodies of BODY_KEYS keys in $WORK/chunks/c00000..; the last key of every body goes to $WORK/probes.txt
make_key_bodies() {
  rm -rf "$WORK/chunks"; mkdir -p "$WORK/chunks"
  awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i < b; i++) printf "k%07d\n", i }' | shuf --random-source=<(yes) \
    | awk -v w="$WORDS_PER_LINE" '{ printf "%s%s", $0, (NR % w ? " " : "\n") } END { if (NR % w) print "" }' \
    | split -l $(( (BODY_KEYS + WORDS_PER_LINE - 1) / WORDS_PER_LINE )) -d -a 5 - "$WORK/chunks/c"
  for f in "$WORK"/chunks/c*; do tail -n 1 "$f" | awk '{ print $NF }'; done > "$WORK/probes.txt"
}

# probes_found PORT: every key of $WORK/probes.txt answers 200 at localhost:PORT
probes_found() {
  ! awk -v u="http://localhost:$1/state/keyvalue/word-count/" '{ print "url = \"" u $1 "\"\noutput = \"/dev/null\"" }' \
    "$WORK/probes.txt" | curl -s -K - -w '%{http_code}\n' | grep -qv '^200$'
}

# tally URL: "entries sum ordered curl_rc ms" of a whole-store answer at URL, read to its end (ordered: 1 if every
# key comes strictly after the one before; curl_rc 18 means the answer was cut before its end)
tally() {
  local t0 out
  t0=$(now_ms)
  out=$(curl -sS -f -m 900 "$1" 2>> "$WORK/curl.err" | LC_ALL=C awk -v RS='}' 'match($0, /"key":"[^"]*"/) {
      k = substr($0, RSTART + 7, RLENGTH - 8); if (n && k <= prev) bad++; prev = k; n++
      if (match($0, /"value":[0-9]+/)) s += substr($0, RSTART + 8, RLENGTH - 8) }
    END { printf "%d %d %d", n, s, !bad }'; echo " ${PIPESTATUS[0]}")
  echo "$out $(($(now_ms) - t0))"
}

# load_keys FIRST LAST: POST keys FIRST..LAST-1 to every instance until the service counts LAST keys, each once (an
# "all" through i1 with strict=true); then until the floor does. Rows: load, load-floor. Fails after LOAD_TIMEOUT.
load_keys() {
  local first=$1 last=$2 t0 t_posted t_try t_seen="" t_floor="" entries sum ordered rc ms deadline
  make_key_bodies "$first" "$last"
  log "loading keys $first..$((last - 1)): $(find "$WORK/chunks" -type f | wc -l) bodies of <= $BODY_KEYS keys, $WORDS_PER_LINE a line, $IN_FLIGHT in flight"
  t0=$(now_ms)
  post_chunks "$URLS" gen || { log "some POST /lines did not get 202"; FAILED=1; }
  t_posted=$(now_ms)
  deadline=$((SECONDS + LOAD_TIMEOUT))
  wait_until "$LOAD_TIMEOUT" 0.5 probes_found "$(http_of 1)"
  while [ -z "$t_seen" ] && [ $SECONDS -lt $deadline ]; do
    t_try=$(now_ms)
    read -r entries sum ordered rc ms <<< "$(tally "http://localhost:$(http_of 1)$STORE/all?strict=true")"
    if [ "$entries" = "$last" ] && [ "$sum" = "$last" ]; then t_seen=$t_try; else sleep 1; fi
  done
  [ -n "$t_seen" ] || { log "load: only $entries keys (sum $sum) of $last visible after ${LOAD_TIMEOUT}s"; FAILED=1; return 1; }
  wait_until "$LOAD_TIMEOUT" 0.5 probes_found "$FLOOR"
  while [ -z "$t_floor" ] && [ $SECONDS -lt $deadline ]; do
    t_try=$(now_ms)
    read -r entries sum ordered rc ms <<< "$(tally "http://localhost:$FLOOR$STORE/all")"
    if [ "$entries" = "$last" ]; then t_floor=$t_try; else sleep 1; fi
  done
  local n=$((last - first)) posted=$((t_posted - t0))
  log "load: $n keys posted in $posted ms, all counted after $((t_seen - t0)) ms (floor ${t_floor:+$((t_floor - t0))} ms)"
  printf 'load\t1\t%s\t%s\t\t\t\t\tposted in %s ms\n' $((n * 1000 / (t_seen - t0))) $((t_seen - t0)) "$posted" >> "$RAW"
  [ -n "$t_floor" ] && printf 'load-floor\t1\t%s\t%s\t\t\t\t\t\n' $((n * 1000 / (t_floor - t0))) $((t_floor - t0)) >> "$RAW"
}

# watch_ready OUT: until killed, every 0.25 s: "instance http_status rss_mb" of /observe/health/ready for i1..i3
watch_ready() {
  local i pids=("$(pid_of i1)" "$(pid_of i2)" "$(pid_of i3)")
  while :; do
    for i in 1 2 3; do
      printf 'i%s\t%s\t%s\n' "$i" "$(curl -s -o /dev/null -m 2 -w '%{http_code}' \
        "http://localhost:$(mgmt_of $i)/observe/health/ready")" "$(rss_mb "${pids[$((i - 1))]}")"
    done >> "$1"
    sleep 0.25
  done
}
# watched PHASE COMMAND...: run COMMAND while watch_ready samples; rows notready-PHASE (not-ready samples of all) and
# peak-PHASE-iN (the highest RSS sampled)
watched() {
  local phase=$1 out="$WORK/ready-$1-$RUN_SIZE.tsv" watcher i
  shift
  : > "$out"
  watch_ready "$out" &
  watcher=$!
  BG_PIDS+=("$watcher")
  "$@"
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  awk -v p="$phase" '$2 != 200 { bad++ } END { printf "notready-%s\t1\t%d\t%d\t\t\t\t\t\n", p, bad, NR }' "$out" >> "$RAW"
  for i in 1 2 3; do
    awk -v p="$phase" -v i="i$i" '$1 == i && $3 > m { m = $3 } END { printf "peak-%s-%s\t1\t%d\t\t\t\t\t\t\n", p, i, m }' "$out" >> "$RAW"
  done
}

# walk NAME PORT PATH EXPECTED: bench/walk/PageWalk.java from PATH, following Link rel=next; row NAME (keys/s, ms,
# page p50/p99, note "N pages"); a failed check fails the bench (FAILED=1) and its reason goes in the note
walk() {
  local line
  # shellcheck disable=SC2034 # max_us comes with the RESULT line; the table does not use it
  local keys pages ms p50_us p99_us max_us retries
  line=$(cd "$WCIQ_HOME" && gen java -cp "target/classes:target/lib/*" bench/walk/PageWalk.java \
    "http://localhost:$2" "$3" "$4" "$LIMIT" 2> "$WORK/walk.err")
  if [ -z "$line" ]; then
    log "$1: $(cat "$WORK/walk.err")"; FAILED=1
    printf '%s\t1\t0\t0\t\t\t\t1\t%s\n' "$1" "$(tr '\t\n' '  ' < "$WORK/walk.err")" >> "$RAW"
    return 1
  fi
  eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
  printf '%s\t1\t%s\t%s\t%s\t%s\t\t0\t%s pages, ordered, complete%s\n' "$1" $((keys * 1000 / (ms + 1))) "$ms" \
    "$p50_us" "$p99_us" "$pages" "$([ "$retries" -gt 0 ] && echo ", $retries retried after 503")" >> "$RAW"
}

# page_cases N: keyset pages of LIMIT at CURSORS random existing keys (after=), through i1 and at the floor, c1 and c16
page_cases() {
  awk -v n="$1" -v c="$CURSORS" 'BEGIN { srand(13); for (i = 0; i < c; i++) printf "k%07d\n", int(rand() * n) }' \
    > "$WORK/cursors.txt"
  # shellcheck disable=SC2034 # read by run_cases (bench/lib/cases.sh)
  CASES=(
    "floor-page-c1|$FLOOR|1|$STORE/page?limit=$LIMIT&after=|cursors.txt|"
    "page-c1|$(http_of 1)|1|$STORE/all?limit=$LIMIT&after=|cursors.txt|"
    "floor-page-c16|$FLOOR|16|$STORE/page?limit=$LIMIT&after=|cursors.txt|"
    "page-c16|$(http_of 1)|16|$STORE/all?limit=$LIMIT&after=|cursors.txt|"
  )
  run_cases
}

# whole_all N: RUNS rounds of "all" through i1 and the floor's read of i1's partitions (curl, c1); then one more
# "all" through i1 read to its end and checked: N keys, each once, in order, not cut. Rows all, floor-localpart, all-check
whole_all() {
  local run c name port path out code secs bytes rc entries sum ordered ms note
  for run in $(seq 1 "$RUNS"); do
    for c in "all|$(http_of 1)|all" "floor-localpart|$FLOOR|all?partitions=$PARTS"; do
      IFS='|' read -r name port path <<< "$c"
      out=$(gen curl -s -o /dev/null -m 900 -w '%{http_code} %{time_total} %{size_download}' "http://localhost:$port$STORE/$path")
      rc=$?
      read -r code secs bytes <<< "$out"
      printf '%s\t%s\t%s\t%s\t\t\t\t%s\t%s\n' "$name" "$run" "$bytes" "$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')" \
        "$([ "$code" = 200 ] && echo 0 || echo 1)" "$([ "$rc" = 0 ] && echo 0 || echo 1)" >> "$RAW"
    done
  done
  read -r entries sum ordered rc ms <<< "$(tally "http://localhost:$(http_of 1)$STORE/all")"
  note="complete: $entries keys, each once, in order"
  if [ "$entries" != "$1" ] || [ "$sum" != "$1" ] || [ "$ordered" != 1 ] || [ "$rc" != 0 ]; then
    note="INCOMPLETE: $entries keys of $1 (sum $sum, ordered $ordered, curl exit $rc)"; FAILED=1
    log "all at $1 keys: $note; see $WORK/i1.log and $WORK/gc-*.log"
  fi
  printf 'all-check\t1\t%s\t%s\t\t\t\t\t%s\n' "$entries" "$ms" "$note" >> "$RAW"
}

# rss_rows PHASE: rows rss-PHASE-iN and rss-PHASE-floor, VmRSS in MB now
rss_rows() {
  local n
  for n in i1 i2 i3 floor; do
    printf 'rss-%s-%s\t1\t%s\t\t\t\t\t\t\n' "$1" "$n" "$(rss_mb "$(pid_of "$n")")" >> "$RAW"
  done
}
