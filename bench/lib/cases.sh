#!/usr/bin/env bash
# The measurements of bench/run.sh (sourced by it, after scripts/lib/cluster.sh): ingest runs and the wrk cases.
# Each appends rows to $RAW: case run value ms p50_us p99_us p999_us non2xx socket_errors|note (read by table.awk).
# Uses run.sh's BENCH_DIR, RAW, FLOOR, FWD_A, FWD_B, PARTITIONS, CONNS, WARMUP, RUNS, DURATION, TARGET_PORT, NON_OWNER,
# MY_PARTITIONS and PIN; also the forwarding floors' start-up (start_fwd_floor: scripts/lib/cluster.sh has only start_floor).

# start_fwd_floor NAME PORT PEER_PORT BROKER_PORT PARTITIONS APP_ID: one forwarding floor (bench/floor/FloorServer.java
# with FLOOR_PEER=localhost:PEER_PORT; both floors get the same APP_ID) with $FLOOR_JAVA_OPTS, state in $WORK/NAME,
# log in $WORK/NAME.log, recorded as NAME in $WORK/pids; no wait (its GET /ready answers 200 once the peer is known)
start_fwd_floor() {
  # shellcheck disable=SC2086 # the options are several words
  (cd "$WCIQ_HOME" && exec env KAFKA_BOOTSTRAP_SERVERS="localhost:$4" HTTP_PORT="$2" STATE_DIR="$WORK/$1" \
    APPLICATION_ID="$6" TOPIC_PARTITIONS="$5" FLOOR_PEER="localhost:$3" java ${FLOOR_JAVA_OPTS:-${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}} \
    -Dsun.net.httpserver.nodelay=true -cp "target/classes:target/lib/*" bench/floor/FloorServer.java > "$WORK/$1.log" 2>&1) &
  track_pid $! "$1"
}

# wait_fwd_floors EXPECTED: until the two forwarding floors' local stores together hold EXPECTED words (600 s at most)
wait_fwd_floors() {
  local deadline=$((SECONDS + 600)) seen
  while :; do
    seen=$(( $(sum_counts "http://localhost:$FWD_A/state/keyvalues/word-count/all") \
      + $(sum_counts "http://localhost:$FWD_B/state/keyvalues/word-count/all") ))
    [ "$seen" -ge "$1" ] && return 0
    [ $SECONDS -ge $deadline ] && { log "forwarding floors: only $seen of $1 words visible"; return 1; }
    sleep 0.2
  done
}

# fwd_floor_owners: FWD_PARTITIONS, the partitions forwarding floor B owns per floor A's /state/instance; fails unless
# every partition is owned by A or B, as murmur2 says, and B owns at least one
fwd_floor_owners() {
  local p w md port part
  FWD_PARTITIONS=""
  for p in $(seq 0 $((PARTITIONS - 1))); do
    w=$(awk -v p="$p" '$1 == p { print $2; exit }' "$WORK/partitions.txt")
    md=$(curl -sf "http://localhost:$FWD_A/state/instance/word-count/$w") || return 1
    port=$(echo "$md" | grep -o '"port":[0-9]*' | cut -d: -f2)
    part=$(echo "$md" | grep -o '"partition":[0-9]*' | cut -d: -f2)
    [ "$part" = "$p" ] || { log "partition of $w is $part per floor A, $p per murmur2"; return 1; }
    [ "$port" = "$FWD_A" ] || [ "$port" = "$FWD_B" ] || return 1
    [ "$port" = "$FWD_B" ] && FWD_PARTITIONS="$FWD_PARTITIONS${FWD_PARTITIONS:+,}$p"
  done
  [ -n "$FWD_PARTITIONS" ]
}

# fwd_floor_keys: $WORK/keys-fwd.txt, the keys forwarding floor B owns (asked at A, they take one hop); waits up to
# 60 s for an assignment that gives B a partition
fwd_floor_keys() {
  wait_until 60 0.5 fwd_floor_owners || { log "forwarding floor B (port $FWD_B) owns no partition; see $WORK/floor-b.log"; return 1; }
  awk -v ps=",$FWD_PARTITIONS," 'index(ps, "," $1 ",") { print $2 }' "$WORK/partitions.txt" > "$WORK/keys-fwd.txt"
  log "forwarding floor B (port $FWD_B) owns partitions $FWD_PARTITIONS: $(wc -l < "$WORK/keys-fwd.txt") keys, asked at floor A (port $FWD_A)"
}

# warmup_report SECONDS: fwd-hit (c=$CONNS) in SECONDS 1-second wrk slices, before any other load: rows warmup-fwd-hit
warmup_report() {
  # shellcheck disable=SC2034 # requests, p99_us, p999_us and max_us come with every RESULT line and are not used here
  local s line requests rps p50_us p99_us p999_us max_us non2xx socket_errors
  log "warm-up report: fwd-hit at c=$CONNS in 1 s slices for $1 s"
  for s in $(seq 1 "$1"); do
    line=$(run_case fwd-hit "$NON_OWNER" "$CONNS" /state/keyvalue/word-count/ keys-local.txt "" 1)
    [ -n "$line" ] || { log "warm-up report: wrk gave no result in second $s"; continue; }
    eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
    log "warm-up report: second $s: $rps req/s, p50 $p50_us us, errors $((non2xx + socket_errors))"
    printf 'warmup-fwd-hit\t%s\t%s\t\t%s\t\t\t%s\t%s\n' "$s" "$rps" "$p50_us" "$non2xx" "$socket_errors" >> "$RAW"
  done
}

POSTED_LINES=0
# ingest RUN LINES [keyed]: post LINES new lines in 1,000-line bodies (4 in flight) to i1, wait until every count is
# visible; "keyed" sends each body with its own Idempotency-Key (row ingest-keyed, compared with ingest)
ingest() {
  local run=$1 n=$2 keyed=${3:-} t0 t_posted t_visible t_floor="" expected seen floor_seen
  make_chunks "$POSTED_LINES" "$n"
  expected=$(( (POSTED_LINES + n) * 5 ))
  t0=$(now_ms)
  post_chunks "http://localhost:$(http_of 1)/lines" gen ${keyed:+"bench-$run-$(now_ms)"} || log "some POST /lines failed"
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
  log "ingest${keyed:+-keyed} run $run: $n lines posted in $((t_posted - t0)) ms, visible in $((t_visible - t0)) ms (floor $((t_floor - t0)) ms)"
  printf 'ingest%s\t%s\t%s\t%s\t\t\t\t\t%s\n' "${keyed:+-keyed}" "$run" "$rate" "$((t_visible - t0))" "post $post_rate/s" >> "$RAW"
  [ -n "$keyed" ] || printf 'ingest-floor\t%s\t%s\t%s\t\t\t\t\t\n' "$run" "$floor_rate" "$((t_floor - t0))" >> "$RAW"
}

# define_cases: fills CASES ("name|port|conns|path prefix|key file|suffix") and writes the key files they name to $WORK.
# A name ending in -unpinned runs wrk without taskset (run_case); those four run unless UNPINNED=0 or wrk is not pinned.
define_cases() {
  local now win s kv=/state/keyvalue/word-count/
  now=$(now_ms)
  win="/$((now - 3600000))/$((now + 60000))"
  CASES=(
    "floor-hit|$FLOOR|$CONNS|$kv|keys-local.txt|"
    "local-hit|$TARGET_PORT|$CONNS|$kv|keys-local.txt|"
    "fwd-hit|$NON_OWNER|$CONNS|$kv|keys-local.txt|"
    "floor-fwd-hit|$FWD_A|$CONNS|$kv|keys-fwd.txt|"
    "floor-hit-c1|$FLOOR|1|$kv|keys-local.txt|"
    "local-hit-c1|$TARGET_PORT|1|$kv|keys-local.txt|"
    "fwd-hit-c1|$NON_OWNER|1|$kv|keys-local.txt|"
    "floor-fwd-hit-c1|$FWD_A|1|$kv|keys-fwd.txt|"
  )
  if [ "${UNPINNED:-1}" != 0 ] && [ "$PIN" != none ] && [ "$LAST_CPU" -gt 0 ]; then
    CASES+=(
      "floor-hit-c1-unpinned|$FLOOR|1|$kv|keys-local.txt|"
      "local-hit-c1-unpinned|$TARGET_PORT|1|$kv|keys-local.txt|"
      "fwd-hit-c1-unpinned|$NON_OWNER|1|$kv|keys-local.txt|"
      "floor-fwd-hit-c1-unpinned|$FWD_A|1|$kv|keys-fwd.txt|"
    )
  fi
  CASES+=(
    "floor-windowed|$FLOOR|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$win"
    "windowed|$TARGET_PORT|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$win"
    "floor-range100-c1|$FLOOR|1|/state/keyvalues/word-count/range/|ranges.txt|"
    "range100-c1|$TARGET_PORT|1|/state/keyvalues/word-count/range/|ranges.txt|"
    "floor-localpart-c1|$FLOOR|1|/state/keyvalues/word-count/|localpart.txt|"
    "floor-all-c1|$FLOOR|1|/state/keyvalues/word-count/|all.txt|"
    "all-c1|$TARGET_PORT|1|/state/keyvalues/word-count/|all.txt|"
  )
  # Ranges of 100 consecutive words; "all" of the whole store (through i1, at the floor); i1's partitions at the floor.
  for s in $(seq 0 100 9900); do printf 'w%05d/w%05d\n' "$s" $((s + 99)); done > "$WORK/ranges.txt"
  echo "all" > "$WORK/all.txt"
  echo "all?partitions=$MY_PARTITIONS" > "$WORK/localpart.txt"
}

# run_case NAME PORT CONNS PREFIX FILE SUFFIX SECONDS: one wrk run of a case under gen, or unpinned if NAME ends in
# -unpinned (a request unanswered after $WRK_TIMEOUT, 2s, is a socket error); prints its RESULT line
run_case() {
  local threads=1 via=gen
  [ "$3" -ge 4 ] && threads=2
  [[ $1 == *-unpinned ]] && via=command
  "$via" wrk -t"$threads" -c"$3" -d"$7s" --timeout "${WRK_TIMEOUT:-2s}" --latency -s "$BENCH_DIR/wrk/cycle.lua" "http://localhost:$2" \
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
