#!/usr/bin/env bash
# bench/run.sh --large (sourced by run.sh after scripts/lib/cluster.sh and bench/lib/cases.sh): how the cost of
# loading, paging, whole-store answers and memory grows with the number of distinct keys (10k, 100k, 1M), on three
# instances started with -Xmx256m, against the floor. Sizes are cumulative: one cluster, keys added up to each size in
# turn. Prints a table (bench/large-table.awk) ending in one SUMMARY line; exits 1 if a check failed. Not run in CI.
# Knobs (env; see bench/README.md): SIZES, JAVA_OPTS, FLOOR_JAVA_OPTS, ROCKSDB_MEMORY_MB, LIMIT, CURSORS, RUNS,
# DURATION, WARMUP, WORDS_PER_LINE, BODY_KEYS, IN_FLIGHT, INGEST_CONCURRENCY, LOAD_TIMEOUT, PORT_BASE, PIN, KEEP_WORK.
# shellcheck source-path=SCRIPTDIR source=large-cases.sh
source "$BENCH_DIR/lib/large-cases.sh"

SIZES=${SIZES:-10000 100000 1000000}
# The heap the brief asks for; an OutOfMemoryError leaves a heap dump, and every GC is logged, in $WORK (kept then).
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$WORK -Xlog:gc:file=$WORK/gc-%p.log:uptime}
# The floor builds its answers in memory (a TreeMap and a String): it gets room for a whole store.
FLOOR_JAVA_OPTS=${FLOOR_JAVA_OPTS:--Xmx1g}
RUNS=${RUNS:-3}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-2}; LIMIT=${LIMIT:-1000}; CURSORS=${CURSORS:-2000}
WORDS_PER_LINE=${WORDS_PER_LINE:-100}; BODY_KEYS=${BODY_KEYS:-100000}; IN_FLIGHT=${IN_FLIGHT:-6}
INGEST_CONCURRENCY=${INGEST_CONCURRENCY:-4}; LOAD_TIMEOUT=${LOAD_TIMEOUT:-1800}; WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
PARTITIONS=${TOPIC_PARTITIONS:-4}
PB=${PORT_BASE:-23000}
BROKER=$((PB + 92)); CONTROLLER=$((PB + 93)); FLOOR=$((PB + 90))
PIN=${PIN:-wrk}
APP_ID=bench-large-$$
FAILED=0
export JAVA_OPTS FLOOR_JAVA_OPTS IN_FLIGHT WRK_TIMEOUT
trap_cleanup scratch

ensure_built || { log "build failed"; exit 1; }
for tool in wrk jq curl shuf; do command -v $tool > /dev/null || { log "$tool is not installed"; exit 1; }; done
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "large: sizes $SIZES, JAVA_OPTS=$JAVA_OPTS, limit=$LIMIT, wrk ${DURATION}s x $RUNS, pin=$PIN, work=$WORK"
start_broker $BROKER $CONTROLLER || { log "broker did not start"; exit 1; }
place "$(pid_of broker)"
for i in 1 2 3; do
  start_instance "i$i" "$(http_of $i)" "$(mgmt_of $i)" KAFKA_BOOTSTRAP_SERVERS=localhost:$BROKER APPLICATION_ID=$APP_ID \
    TOPIC_PARTITIONS="$PARTITIONS" NUM_STANDBY_REPLICAS=0 ROUTES_RELOAD_INTERVAL_MS=0 INGEST_CONCURRENCY="$INGEST_CONCURRENCY"
  place "$(pid_of "i$i")"
done
for i in 1 2 3; do
  wait_ready "$(mgmt_of $i)" 180 || { log "see $WORK/i$i.log"; KEEP_WORK=1; exit 1; }
done
start_floor $FLOOR $BROKER "$PARTITIONS" "$APP_ID-floor"
place "$(pid_of floor)"
wait_until 180 0.2 http_ok "http://localhost:$FLOOR/ready" || { log "floor not ready; see $WORK/floor.log"; KEEP_WORK=1; exit 1; }
# i1's partitions of the store (those of the repartition topic that feeds it): the floor reads them as "its local part"
PARTS=$(curl -sf "http://localhost:$(http_of 1)/state/instances/word-count" | jq -r '[.[] | select(.self == true)
  | .activePartitions[] | select(test("repartition")) | sub(".*-"; "")] | join(",")')
[ -n "$PARTS" ] || { log "i1 owns no partition of the store"; exit 1; }
log "i1 owns partitions $PARTS of $PARTITIONS"
URLS="http://localhost:$(http_of 1)/lines http://localhost:$(http_of 2)/lines http://localhost:$(http_of 3)/lines"

PREV=0
for RUN_SIZE in $SIZES; do
  RAW="$WORK/raw-$RUN_SIZE.tsv"
  : > "$RAW"
  load_keys "$PREV" "$RUN_SIZE" || { KEEP_WORK=1; break; }
  PREV=$RUN_SIZE
  rss_rows load
  # Pages first: their warm-up also warms the walk's code paths.
  log "$RUN_SIZE keys: pages at $CURSORS random cursors, c1 and c16"
  page_cases "$RUN_SIZE"
  log "$RUN_SIZE keys: paged walk (limit $LIMIT) through i1, then at the floor"
  watched walk walk walk "$(http_of 1)" "$STORE/all?limit=$LIMIT" "$RUN_SIZE"
  walk walk-floor "$FLOOR" "$STORE/page?limit=$LIMIT" "$RUN_SIZE"
  log "$RUN_SIZE keys: whole \"all\" through i1 vs the floor's read of partitions $PARTS, $RUNS rounds"
  watched all whole_all "$RUN_SIZE"
  rss_rows all
done
# shellcheck disable=SC2034 # KEEP_WORK is read by cleanup (scripts/lib/cluster.sh)
[ "$FAILED" = 1 ] && KEEP_WORK=1

{
  machine_line
  echo "run: bench/run.sh --large (sizes $SIZES, cumulative; 3 instances, $PARTITIONS partitions, JAVA_OPTS=${JAVA_OPTS%% *}, ROCKSDB_MEMORY_MB=${ROCKSDB_MEMORY_MB:-64}, WHOLE_STORE_CONCURRENCY=${WHOLE_STORE_CONCURRENCY:-4}; floor ${FLOOR_JAVA_OPTS}; pages limit=$LIMIT; wrk ${DURATION}s x $RUNS; load: $WORDS_PER_LINE keys a line, $BODY_KEYS a body, $IN_FLIGHT in flight to 3 instances, INGEST_CONCURRENCY=$INGEST_CONCURRENCY; pin=$PIN; load average $LOAD_AT_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
} > "$WORK/header.txt"
for n in $SIZES; do
  [ -f "$WORK/raw-$n.tsv" ] && awk -v n="$n" '{ print n "\t" $0 }' "$WORK/raw-$n.tsv"
done > "$WORK/results.tsv"
cp "$WORK/results.tsv" "${RESULTS_OUT:-/dev/null}" 2>/dev/null
awk -f "$BENCH_DIR/large-table.awk" "$WORK/header.txt" "$WORK/results.tsv"
[ "$FAILED" = 0 ]
