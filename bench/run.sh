#!/usr/bin/env bash
# Benchmarks wordcount-iq against a no-Camel floor, in one run, and prints a results table ending in one SUMMARY line.
#   bench/run.sh            full: 200,000 lines, 10 s per run, 3 runs per case (about 16 minutes)
#   bench/run.sh --quick    20,000 lines, 3 s per run, 3 runs per case (about 5 minutes)
#   bench/run.sh --large    10k, 100k and 1M distinct keys on instances with -Xmx256m (bench/lib/large.sh; not in CI)
# Env: RUNS, DURATION, WARMUP, CONNS (fixed concurrency, 16), LINES, PORT_BASE (21000), PIN (wrk|split|none, wrk),
#      INSTANCES (3; 2..7), UNPINNED (1: the c1 hit cases once more with wrk unpinned), WARMUP_REPORT=1 (fwd-hit in
#      1 s slices before any warm-up; WARMUP_REPORT_SECONDS, 40), KEEP_WORK=1 keeps the scratch folder (logs, raw
#      results), JAVA_OPTS (instances, default -Xmx384m), FLOOR_JAVA_OPTS (the three floors).
# Needs: java 17, mvn (first run builds), wrk, curl, awk. Everything it starts is stopped on exit.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-$(mktemp -d -t wordcount-iq-bench.XXXXXX)}   # scripts/lib/cluster.sh exports it and WCIQ_HOME
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/cluster.sh
source "$BENCH_DIR/../scripts/lib/cluster.sh"
# shellcheck source-path=SCRIPTDIR source=lib/cases.sh
source "$BENCH_DIR/lib/cases.sh"
if [ "${1:-}" = "--large" ]; then
  # shellcheck source-path=SCRIPTDIR source=lib/large.sh
  source "$BENCH_DIR/lib/large.sh"
  exit $?
fi

MODE=full
[ "${1:-}" = "--quick" ] && MODE=quick
if [ $MODE = quick ]; then
  LINES=${LINES:-20000}; DURATION=${DURATION:-3}; WARMUP=${WARMUP:-2}; INGEST_LINES=${INGEST_LINES:-10000}
else
  LINES=${LINES:-200000}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-5}; INGEST_LINES=${INGEST_LINES:-50000}
fi
RUNS=${RUNS:-3}; CONNS=${CONNS:-16}; WORDS=10000; PARTITIONS=${TOPIC_PARTITIONS:-4}
INSTANCES=${INSTANCES:-3}
case $INSTANCES in [2-7]) ;; *) log "INSTANCES=$INSTANCES: 2..7 (the ports of an 8th would meet the floors')"; exit 1 ;; esac
PB=${PORT_BASE:-21000}
BROKER=$((PB + 92)); CONTROLLER=$((PB + 93)); FLOOR=$((PB + 90))
FWD_A=$((PB + 88)); FWD_B=$((PB + 89))   # the forwarding floors (bench/lib/cases.sh start_fwd_floor)
PIN=${PIN:-wrk}   # CPU placement (gen, place in scripts/lib/cluster.sh): wrk, split or none
APP_ID=bench-$$
RAW="$WORK/results.tsv"
: > "$RAW"
trap_cleanup scratch

# --- build, broker, instances, floor -----------------------------------------------------------------------------
ensure_built || { log "build failed"; exit 1; }
command -v wrk > /dev/null || { log "wrk is not installed"; exit 1; }
log "mode=$MODE lines=$LINES runs=$RUNS duration=${DURATION}s warmup=${WARMUP}s conns=$CONNS instances=$INSTANCES pin=$PIN work=$WORK"
start_broker $BROKER $CONTROLLER || { log "broker did not start"; exit 1; }
place "$(pid_of broker)"

declare -A START_MS READY_MS
for i in $(seq 1 "$INSTANCES"); do
  START_MS[$i]=$(now_ms)
  start_instance "i$i" "$(http_of $i)" "$(mgmt_of $i)" KAFKA_BOOTSTRAP_SERVERS=localhost:$BROKER \
    APPLICATION_ID=$APP_ID TOPIC_PARTITIONS="$PARTITIONS" NUM_STANDBY_REPLICAS=0 ROUTES_RELOAD_INTERVAL_MS=0
  place "$(pid_of "i$i")"
done
for i in $(seq 1 "$INSTANCES"); do
  wait_until 120 0.05 http_ok "http://localhost:$(mgmt_of $i)/observe/health/ready" \
    || { log "instance i$i not ready; see $WORK/i$i.log"; KEEP_WORK=1; exit 1; }
  READY_MS[$i]=$(now_ms)
done
# The floor: same topology and Streams settings, its own application id, every partition local.
FLOOR_START=$(now_ms)
start_floor $FLOOR $BROKER "$PARTITIONS" "$APP_ID-floor"
place "$(pid_of floor)"
# The forwarding floors: the same, two JVMs sharing one more application id, each forwarding to the other.
declare -A FWD_PORT=([a]=$FWD_A [b]=$FWD_B) FWD_PEER=([a]=b [b]=a) FWD_START FWD_READY
for f in a b; do
  FWD_START[$f]=$(now_ms)
  start_fwd_floor "floor-$f" "${FWD_PORT[$f]}" "${FWD_PORT[${FWD_PEER[$f]}]}" $BROKER "$PARTITIONS" "$APP_ID-fwd-floor"
  place "$(pid_of "floor-$f")"
done
wait_until 120 0.05 http_ok "http://localhost:$FLOOR/ready" || { log "floor not ready; see $WORK/floor.log"; KEEP_WORK=1; exit 1; }
FLOOR_READY=$(now_ms)
for f in a b; do   # ready: RUNNING and the peer in its metadata
  wait_until 120 0.05 http_ok "http://localhost:${FWD_PORT[$f]}/ready" \
    || { log "forwarding floor $f not ready; see $WORK/floor-$f.log"; KEEP_WORK=1; exit 1; }
  FWD_READY[$f]=$(now_ms)
done

# --- corpus and ingest (bench/lib/cases.sh) --------------------------------------------------------------------------
log "loading $LINES lines"
ingest 1 "$LINES" || { KEEP_WORK=1; exit 1; }
wait_fwd_floors $((LINES * 5)) || { KEEP_WORK=1; exit 1; }

# --- keys by owner -------------------------------------------------------------------------------------------------
partition_words "$WORDS" "$PARTITIONS"
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
NON_OWNER=$(http_of "$INSTANCES")   # i1 owns the keys, so any other instance is a non-owner
awk -v ps=",$MY_PARTITIONS," 'index(ps, "," $1 ",") { print $2 }' "$WORK/partitions.txt" > "$WORK/keys-local.txt"
log "i1 (port $TARGET_PORT) owns partitions $MY_PARTITIONS: $(wc -l < "$WORK/keys-local.txt") keys; forwarded hits asked at port $NON_OWNER"
# The forwarding floors' keys: those floor B owns (per floor A's /state/instance), asked at floor A.
fwd_floor_keys || { KEEP_WORK=1; exit 1; }

# --- optional: the forward path's JIT warm-up, before any other load (bench/lib/cases.sh) ----------------------------
[ "${WARMUP_REPORT:-0}" = 1 ] && warmup_report "${WARMUP_REPORT_SECONDS:-40}"

# --- load cases and more ingest runs (bench/lib/cases.sh) ------------------------------------------------------------
define_cases
run_cases
for run in $(seq 2 "$RUNS"); do
  ingest "$run" "$INGEST_LINES" || KEEP_WORK=1
  ingest "$run" "$INGEST_LINES" keyed || KEEP_WORK=1
done

# --- memory, start-up, table ---------------------------------------------------------------------------------------
for i in $(seq 1 "$INSTANCES"); do
  printf 'rss-i%s\t1\t%s\t%s\t\t\t\t\t\n' "$i" "$(rss_mb "$(pid_of "i$i")")" $((READY_MS[$i] - START_MS[$i])) >> "$RAW"
done
printf 'rss-floor\t1\t%s\t%s\t\t\t\t\t\n' "$(rss_mb "$(pid_of floor)")" $((FLOOR_READY - FLOOR_START)) >> "$RAW"
for f in a b; do
  printf 'rss-floor-%s\t1\t%s\t%s\t\t\t\t\t\n' $f "$(rss_mb "$(pid_of "floor-$f")")" $((FWD_READY[$f] - FWD_START[$f])) >> "$RAW"
done
cp "$RAW" "${RESULTS_OUT:-/dev/null}" 2>/dev/null
{
  machine_line
  echo "run: bench/run.sh $* (mode=$MODE, $LINES lines, $WORDS words, $INSTANCES instances, $PARTITIONS partitions, wrk ${DURATION}s x $RUNS runs, c=$CONNS, pin=$PIN)"
} > "$WORK/header.txt"
awk -v instances="$INSTANCES" -f "$BENCH_DIR/table.awk" "$WORK/header.txt" "$RAW"
