#!/usr/bin/env bash
# Benchmarks wordcount-iq against a no-Camel floor, in one run, and prints a results table ending in one SUMMARY line.
#   bench/run.sh            full: 200,000 lines, 10 s per run, 3 runs per case (about 12 minutes)
#   bench/run.sh --quick    20,000 lines, 3 s per run, 3 runs per case (about 3 minutes)
# Env: RUNS, DURATION, WARMUP, CONNS (fixed concurrency, 16), LINES, PORT_BASE (21000), PIN (wrk|split|none, wrk),
#      KEEP_WORK=1 keeps the scratch folder (logs, raw results), JAVA_OPTS (instances, default -Xmx384m).
# Needs: java 17, mvn (first run builds), wrk, curl, awk. Everything it starts is stopped on exit.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export WCIQ_HOME=${WCIQ_HOME:-$(cd "$BENCH_DIR/.." && pwd)}
export WORK=${WORK:-$(mktemp -d -t wordcount-iq-bench.XXXXXX)}
# shellcheck source=../scripts/lib/cluster.sh
source "$BENCH_DIR/../scripts/lib/cluster.sh"

MODE=full
[ "${1:-}" = "--quick" ] && MODE=quick
if [ $MODE = quick ]; then
  LINES=${LINES:-20000}; DURATION=${DURATION:-3}; WARMUP=${WARMUP:-2}; INGEST_LINES=${INGEST_LINES:-10000}
else
  LINES=${LINES:-200000}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-5}; INGEST_LINES=${INGEST_LINES:-50000}
fi
RUNS=${RUNS:-3}; CONNS=${CONNS:-16}; WORDS=10000; PARTITIONS=${TOPIC_PARTITIONS:-4}
PB=${PORT_BASE:-21000}
BROKER=$((PB + 92)); CONTROLLER=$((PB + 93)); FLOOR=$((PB + 90))
PIN=${PIN:-wrk}
APP_ID=bench-$$
RAW="$WORK/results.tsv"
: > "$RAW"

cleanup() {
  stop_all
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
http_of() { echo $((PB + 80 + $1)); }
mgmt_of() { echo $((PB + 70 + $1)); }

# CPU placement. Two cores here: "wrk" pins only the load generator to the last core (servers float over all cores);
# "split" also confines broker, instances and floor to the other cores; "none" pins nothing.
LAST_CPU=$(($(nproc) - 1))
SERVER_CPUS=""
[ "$PIN" = split ] && [ "$LAST_CPU" -gt 0 ] && SERVER_CPUS="0-$((LAST_CPU - 1))"
gen() { if [ "$PIN" = none ] || [ "$LAST_CPU" -eq 0 ]; then "$@"; else taskset -c "$LAST_CPU" "$@"; fi; }
place() { [ -n "$SERVER_CPUS" ] && taskset -a -p -c "$SERVER_CPUS" "$1" > /dev/null; true; }

now_ms() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

# --- build, broker, instances, floor -----------------------------------------------------------------------------
ensure_built || { log "build failed"; exit 1; }
command -v wrk > /dev/null || { log "wrk is not installed"; exit 1; }
log "mode=$MODE lines=$LINES runs=$RUNS duration=${DURATION}s warmup=${WARMUP}s conns=$CONNS pin=$PIN work=$WORK"
start_broker $BROKER $CONTROLLER || { log "broker did not start"; exit 1; }
place "$(pid_of broker)"

declare -A START_MS READY_MS
for i in 1 2 3; do
  START_MS[$i]=$(now_ms)
  start_instance "i$i" "$(http_of $i)" "$(mgmt_of $i)" KAFKA_BOOTSTRAP_SERVERS=localhost:$BROKER \
    APPLICATION_ID=$APP_ID TOPIC_PARTITIONS=$PARTITIONS NUM_STANDBY_REPLICAS=0 ROUTES_RELOAD_INTERVAL_MS=0
  place "$(pid_of "i$i")"
done
for i in 1 2 3; do
  deadline=$((SECONDS + 120))
  until curl -sf "http://localhost:$(mgmt_of $i)/observe/health/ready" > /dev/null; do
    [ $SECONDS -ge $deadline ] && { log "instance i$i not ready; see $WORK/i$i.log"; KEEP_WORK=1; exit 1; }
    sleep 0.05
  done
  READY_MS[$i]=$(now_ms)
done
# The floor: same topology and Streams settings, its own application id, every partition local.
FLOOR_START=$(now_ms)
(cd "$WCIQ_HOME" && exec env KAFKA_BOOTSTRAP_SERVERS=localhost:$BROKER HTTP_PORT=$FLOOR STATE_DIR="$WORK/floor" \
  APPLICATION_ID=$APP_ID-floor TOPIC_PARTITIONS=$PARTITIONS \
  java ${JAVA_OPTS:--Xmx384m} -Dsun.net.httpserver.nodelay=true -cp "target/classes:target/lib/*" \
  bench/floor/FloorServer.java > "$WORK/floor.log" 2>&1) &
echo "$! floor" >> "$WORK/pids"
place "$(pid_of floor)"
deadline=$((SECONDS + 120))
until curl -sf "http://localhost:$FLOOR/ready" > /dev/null; do
  [ $SECONDS -ge $deadline ] && { log "floor not ready; see $WORK/floor.log"; KEEP_WORK=1; exit 1; }
  sleep 0.05
done
FLOOR_READY=$(now_ms)

# --- corpus and ingest ---------------------------------------------------------------------------------------------
# Line n holds 5 of the 10,000 words w00000..w09999, spread so every word occurs equally often.
make_lines() { # FIRST COUNT
  awk -v first="$1" -v n="$2" 'BEGIN { for (i = first; i < first + n; i++) { l = ""
    for (j = 0; j < 5; j++) { k = (i * 5 + j) % 10000; l = l (j ? " " : "") sprintf("w%05d", (k * 7919) % 10000) }
    print l } }'
}
sum_counts() { # URL: total of every count in an "all" answer
  curl -sf "$1" | grep -o '"value":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'
}
POSTED_LINES=0
ingest() { # RUN LINES: post LINES lines in 1,000-line bodies (4 in flight) to i1, wait until every count is visible
  local run=$1 n=$2 dir="$WORK/chunks" t0 t_posted t_visible t_floor="" expected seen floor_seen
  rm -rf "$dir"; mkdir -p "$dir"
  make_lines "$POSTED_LINES" "$n" | split -l 1000 -d -a 5 - "$dir/c"
  expected=$(( (POSTED_LINES + n) * 5 ))
  t0=$(now_ms)
  ls "$dir"/c* | gen xargs -P 4 -I{} curl -sf -o /dev/null -X POST -H 'Content-Type: text/plain' \
    --data-binary @{} "http://localhost:$(http_of 1)/lines" || log "some POST /lines failed"
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
log "loading $LINES lines"
ingest 1 "$LINES" || { KEEP_WORK=1; exit 1; }

# --- keys by owner -------------------------------------------------------------------------------------------------
seq -f 'w%05g' 0 $((WORDS - 1)) > "$WORK/words.txt"
(cd "$WCIQ_HOME" && java -cp "target/lib/*" bench/floor/Partitions.java "$PARTITIONS") < "$WORK/words.txt" > "$WORK/partitions.txt"
declare -A OWNER_OF_PARTITION
for p in $(seq 0 $((PARTITIONS - 1))); do
  w=$(awk -v p="$p" '$1 == p { print $2; exit }' "$WORK/partitions.txt")
  owner=$(curl -sf "http://localhost:$(http_of 1)/state/instance/word-count/$w")
  port=$(echo "$owner" | grep -o '"port":[0-9]*' | cut -d: -f2)
  part=$(echo "$owner" | grep -o '"partition":[0-9]*' | cut -d: -f2)
  [ "$part" = "$p" ] || { log "partition of $w is $part per the service, $p per murmur2"; exit 1; }
  OWNER_OF_PARTITION[$p]=$port
done
TARGET_PORT=$(http_of 1)
MY_PARTITIONS=""
for p in "${!OWNER_OF_PARTITION[@]}"; do
  [ "${OWNER_OF_PARTITION[$p]}" = "$TARGET_PORT" ] && MY_PARTITIONS="$MY_PARTITIONS${MY_PARTITIONS:+,}$p"
done
[ -n "$MY_PARTITIONS" ] || { log "i1 owns no partition; cannot measure a local hit"; exit 1; }
NON_OWNER=$(http_of 3)   # i1 owns the keys, so any other instance is a non-owner
awk -v ps=",$MY_PARTITIONS," 'index(ps, "," $1 ",") { print $2 }' "$WORK/partitions.txt" > "$WORK/keys-local.txt"
log "i1 (port $TARGET_PORT) owns partitions $MY_PARTITIONS: $(wc -l < "$WORK/keys-local.txt") keys; forwarded hits asked at port $NON_OWNER"

# --- load cases ----------------------------------------------------------------------------------------------------
# case name | port | conns | path prefix | key file | suffix
NOW=$(now_ms)
WIN_SUFFIX="/$((NOW - 3600000))/$((NOW + 60000))"
CASES=(
  "floor-hit|$FLOOR|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
  "local-hit|$TARGET_PORT|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
  "fwd-hit|$NON_OWNER|$CONNS|/state/keyvalue/word-count/|keys-local.txt|"
  "floor-hit-c1|$FLOOR|1|/state/keyvalue/word-count/|keys-local.txt|"
  "local-hit-c1|$TARGET_PORT|1|/state/keyvalue/word-count/|keys-local.txt|"
  "fwd-hit-c1|$NON_OWNER|1|/state/keyvalue/word-count/|keys-local.txt|"
  "floor-windowed|$FLOOR|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$WIN_SUFFIX"
  "windowed|$TARGET_PORT|$CONNS|/state/windowed/windowed-word-count/|keys-local.txt|$WIN_SUFFIX"
  "floor-range100-c1|$FLOOR|1|/state/keyvalues/word-count/range/|ranges.txt|"
  "range100-c1|$TARGET_PORT|1|/state/keyvalues/word-count/range/|ranges.txt|"
  "floor-localpart-c1|$FLOOR|1|/state/keyvalues/word-count/|localpart.txt|"
  "all-c1|$TARGET_PORT|1|/state/keyvalues/word-count/|all.txt|"
)
# Ranges of 100 consecutive words; "all" of the whole store through i1; the floor reads only i1's partitions.
for s in $(seq 0 100 9900); do printf 'w%05d/w%05d\n' "$s" $((s + 99)); done > "$WORK/ranges.txt"
echo "all" > "$WORK/all.txt"
echo "all?partitions=$MY_PARTITIONS" > "$WORK/localpart.txt"

run_case() { # NAME PORT CONNS PREFIX FILE SUFFIX SECONDS -> RESULT line
  local threads=1
  [ "$3" -ge 4 ] && threads=2
  gen wrk -t"$threads" -c"$3" -d"$7s" --latency -s "$BENCH_DIR/wrk/cycle.lua" "http://localhost:$2" \
    -- "$4" "$WORK/$5" "$6" 2>&1 | grep '^RESULT'
}
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
    # shellcheck disable=SC2086
    eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
    printf '%s\t%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$rps" "$p50_us" "$p99_us" "$p999_us" \
      "$non2xx" "$socket_errors" >> "$RAW"
  done
done
for run in $(seq 2 "$RUNS"); do
  ingest "$run" "$INGEST_LINES" || KEEP_WORK=1
done

# --- memory, start-up, table ---------------------------------------------------------------------------------------
for i in 1 2 3; do
  printf 'rss-i%s\t1\t%s\t%s\t\t\t\t\t\n' "$i" "$(rss_mb "$(pid_of "i$i")")" $((READY_MS[$i] - START_MS[$i])) >> "$RAW"
done
printf 'rss-floor\t1\t%s\t%s\t\t\t\t\t\n' "$(rss_mb "$(pid_of floor)")" $((FLOOR_READY - FLOOR_START)) >> "$RAW"
cp "$RAW" "${RESULTS_OUT:-/dev/null}" 2>/dev/null
{
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "run: bench/run.sh $* (mode=$MODE, $LINES lines, $WORDS words, 3 instances, $PARTITIONS partitions, wrk ${DURATION}s x $RUNS runs, c=$CONNS, pin=$PIN)"
} > "$WORK/header.txt"
awk -f "$BENCH_DIR/table.awk" "$WORK/header.txt" "$RAW"
