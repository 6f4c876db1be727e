#!/usr/bin/env bash
# The measurements of bench/run.sh (sourced by it, after scripts/lib/cluster.sh): ingest runs and the wrk cases.
# Each appends rows to $RAW: case run value ms p50_us p99_us p999_us non2xx socket_errors|note (read by table.awk).
# Uses run.sh's BENCH_DIR, RAW, FLOOR, CONNS, WARMUP, RUNS, DURATION, TARGET_PORT, NON_OWNER and MY_PARTITIONS.

POSTED_LINES=0
# ingest RUN LINES: post LINES new lines in 1,000-line bodies (4 in flight) to i1, wait until every count is visible
ingest() {
  local run=$1 n=$2 t0 t_posted t_visible t_floor="" expected seen floor_seen
  make_chunks "$POSTED_LINES" "$n"
  expected=$(( (POSTED_LINES + n) * 5 ))
  t0=$(now_ms)
  post_chunks "http://localhost:$(http_of 1)/lines" gen || log "some POST /lines failed"
  t_posted=$(now_ms)
  POSTED_LINES=$((POSTED_LINES + n))
  local deadline=$((SECONDS + 600))
  while :; do
    seen=$(sum_counts "http://localhost:$(http_of 1)/state/keyvalues/word-count/all?strict=true")
    if [ -z "$t_floor" ]; then
      floor_seen=$(sum_counts "http://localhost:$FLOOR/state/keyvalues/word-count/all")
      [ "$floor_seen" -ge "$expected" ] && t_floor=$(now_ms)
    fi
    [ "$seen" -ge "$expected" ] && { t_visible=$(now_ms); break; }
    [ $SECONDS -ge $deadline ] && { log "ingest run $run: only $seen of $expected words visible"; return 1; }
    sleep 0.2
  done
  while [ -z "$t_floor" ]; do
    floor_seen=$(sum_counts "http://localhost:$FLOOR/state/keyvalues/word-count/all")
    [ "$floor_seen" -ge "$expected" ] && t_floor=$(now_ms)
    sleep 0.2
  done
  local rate=$((n * 1000 / (t_visible - t0))) floor_rate=$((n * 1000 / (t_floor - t0)))
  local post_rate=$((n * 1000 / (t_posted - t0 + 1)))
  log "ingest run $run: $n lines posted in $((t_posted - t0)) ms, visible in $((t_visible - t0)) ms (floor $((t_floor - t0)) ms)"
  printf 'ingest\t%s\t%s\t%s\t\t\t\t\t%s\n' "$run" "$rate" "$((t_visible - t0))" "post $post_rate/s" >> "$RAW"
  printf 'ingest-floor\t%s\t%s\t%s\t\t\t\t\t\n' "$run" "$floor_rate" "$((t_floor - t0))" >> "$RAW"
}

# define_cases: fills CASES ("name|port|conns|path prefix|key file|suffix") and writes the key files they name to $WORK
define_cases() {
  local now win s
  now=$(now_ms)
  win="/$((now - 3600000))/$((now + 60000))"
  CASES=(
    "floor-hit|$FLOOR|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
    "local-hit|$TARGET_PORT|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
    "fwd-hit|$NON_OWNER|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
    "floor-hit-c1|$FLOOR|1|/state/keyvalue/word-count/|keys-local.txt|"
    "local-hit-c1|$TARGET_PORT|1|/state/keyvalue/word-count/|keys-local.txt|"
    "fwd-hit-c1|$NON_OWNER|1|/state/keyvalue/word-count/|keys-local.txt|"
    "floor-windowed|$FLOOR|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$win"
    "windowed|$TARGET_PORT|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$win"
    "floor-range100-c1|$FLOOR|1|/state/keyvalues/word-count/range/|ranges.txt|"
    "range100-c1|$TARGET_PORT|1|/state/keyvalues/word-count/range/|ranges.txt|"
    "floor-localpart-c1|$FLOOR|1|/state/keyvalues/word-count/|localpart.txt|"
    "all-c1|$TARGET_PORT|1|/state/keyvalues/word-count/|all.txt|"
  )
  # Ranges of 100 consecutive words; "all" of the whole store through i1; the floor reads only i1's partitions.
  for s in $(seq 0 100 9900); do printf 'w%05d/w%05d\n' "$s" $((s + 99)); done > "$WORK/ranges.txt"
  echo "all" > "$WORK/all.txt"
  echo "all?partitions=$MY_PARTITIONS" > "$WORK/localpart.txt"
}

# run_case NAME PORT CONNS PREFIX FILE SUFFIX SECONDS: one wrk run of a case under gen (a request unanswered after
# $WRK_TIMEOUT, 2s, is a socket error); prints its RESULT line
run_case() {
  local threads=1
  [ "$3" -ge 4 ] && threads=2
  gen wrk -t"$threads" -c"$3" -d"$7s" --timeout "${WRK_TIMEOUT:-2s}" --latency -s "$BENCH_DIR/wrk/cycle.lua" "http://localhost:$2" \
    -- "$4" "$WORK/$5" "$6" 2>&1 | grep '^RESULT'
}

# run_cases: a warm-up of WARMUP s per case, then RUNS rounds of every case (DURATION s each), one row per case and run
run_cases() {
  # shellcheck disable=SC2034 # requests and max_us come with every RESULT line; the table does not use them
  local c run line name port conns prefix file suffix requests rps p50_us p99_us p999_us max_us non2xx socket_errors
  log "warm-up: ${WARMUP}s per case"
  for c in "${CASES[@]}"; do
    IFS='|' read -r name port conns prefix file suffix <<< "$c"
    run_case "$name" "$port" "$conns" "$prefix" "$file" "$suffix" "$WARMUP" > /dev/null
  done
  for run in $(seq 1 "$RUNS"); do
    log "run $run of $RUNS: ${#CASES[@]} cases, ${DURATION}s each"
    for c in "${CASES[@]}"; do
      IFS='|' read -r name port conns prefix file suffix <<< "$c"
      line=$(run_case "$name" "$port" "$conns" "$prefix" "$file" "$suffix" "$DURATION")
      [ -n "$line" ] || { log "$name: wrk gave no result"; continue; }
      # the RESULT line is "RESULT key=value ...": each key becomes a local variable
      eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
      printf '%s\t%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$rps" "$p50_us" "$p99_us" "$p999_us" \
        "$non2xx" "$socket_errors" >> "$RAW"
    done
  done
}
