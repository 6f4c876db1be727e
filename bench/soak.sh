#!/usr/bin/env bash
# Soak: a mixed load at saturation against three instances (local hits, forwarded hits, "all"), with RSS and open
# file descriptors sampled before, every 10 s and after; with --reload, a route file of every instance is replaced
# several times during the load (atomic mv and ConfigMap-style ..data symlink swap, alternating) and the failures
# inside the reload windows are counted. Prints a table ending in one SUMMARY line.
#   bench/soak.sh [--duration SECONDS] [--reload]        (default 60 s, no reload)
# Env: CONNS (connections per instance, 8), MIX (weights local,fwd,all: 60,38,2), LINES (20000), WARMUP (10),
#      RELOADS (route replacements per instance with --reload, 4), PORT_BASE (22000; uses +71..+93),
#      PIN (wrk|none, wrk: the wrk processes run on the last cpu), JAVA_OPTS (instances, default -Xmx384m),
#      KEEP_WORK=1 keeps the scratch folder (logs, wrk output, samples).
# Needs: java 17, mvn (first run builds), wrk, curl, awk. Everything it starts is stopped on exit.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-$(mktemp -d -t wordcount-iq-soak.XXXXXX)}   # scripts/lib/cluster.sh exports it and WCIQ_HOME
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/cluster.sh
source "$BENCH_DIR/../scripts/lib/cluster.sh"
# shellcheck source-path=SCRIPTDIR source=lib/reload.sh
source "$BENCH_DIR/lib/reload.sh"

DURATION=60; RELOAD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --duration=*) DURATION=${1#*=}; shift ;;
    --reload) RELOAD=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if ! [[ "$DURATION" =~ ^[0-9]+$ ]] || [ "$DURATION" -lt 10 ]; then echo "--duration must be a number of seconds >= 10" >&2; exit 2; fi
CONNS=${CONNS:-8}; MIX=${MIX:-60,38,2}; LINES=${LINES:-20000}; WARMUP=${WARMUP:-10}; RELOADS=${RELOADS:-4}
WORDS=10000; PARTITIONS=4
IFS=, read -r W_LOCAL W_FWD W_ALL <<< "$MIX"
PB=${PORT_BASE:-22000}
BROKER=$((PB + 92)); CONTROLLER=$((PB + 93))
PIN=${PIN:-wrk}   # wrk or none (gen in scripts/lib/cluster.sh)
APP_ID=soak-$$
trap_cleanup scratch

# --- build, broker, instances ----------------------------------------------------------------------------------------
ensure_built || { log "build failed"; exit 1; }
command -v wrk > /dev/null || { log "wrk is not installed"; exit 1; }
log "duration=${DURATION}s reload=$RELOAD conns=$CONNS/instance mix(local,fwd,all)=$MIX lines=$LINES warmup=${WARMUP}s work=$WORK"
start_broker $BROKER $CONTROLLER || { log "broker did not start"; KEEP_WORK=1; exit 1; }
for i in 1 2 3; do
  setup_routes "$WORK/routes-i$i"
  start_instance "i$i" "$(http_of $i)" "$(mgmt_of $i)" KAFKA_BOOTSTRAP_SERVERS=localhost:$BROKER \
    APPLICATION_ID=$APP_ID TOPIC_PARTITIONS=$PARTITIONS NUM_STANDBY_REPLICAS=1 ROUTES_DIR="$WORK/routes-i$i" \
    ROUTES_RELOAD_INTERVAL_MS=1000
done
for i in 1 2 3; do
  wait_ready "$(mgmt_of $i)" 180 || { log "i$i not ready; see $WORK/i$i.log"; KEEP_WORK=1; exit 1; }
done
log "broker and 3 instances ready"

# --- corpus: line n holds 5 of the 10,000 words w00000..w09999, every word equally often ----------------------------
make_chunks 0 "$LINES"
post_chunks "http://localhost:$(http_of 1)/lines" || { log "some POST /lines failed"; KEEP_WORK=1; exit 1; }
EXPECTED=$((LINES * 5))
# counts_reach: every word of the corpus is counted, per i1's strict "all"
counts_reach() { [ "$(sum_counts "http://localhost:$(http_of 1)/state/keyvalues/word-count/all?strict=true")" -ge "$EXPECTED" ]; }
wait_until 300 0.3 counts_reach || { log "counts not visible after 300 s"; KEEP_WORK=1; exit 1; }
log "loaded $LINES lines ($EXPECTED words), all visible"

# --- keys by owner ---------------------------------------------------------------------------------------------------
partition_words "$WORDS" "$PARTITIONS"
# ownership: prints "partition port" for every partition, as the service says
ownership() {
  local p w port
  for p in $(seq 0 $((PARTITIONS - 1))); do
    w=$(awk -v p="$p" '$1 == p { print $2; exit }' "$WORK/partitions.txt")
    port=$(curl -sf "http://localhost:$(http_of 1)/state/instance/word-count/$w" | grep -o '"port":[0-9]*' | cut -d: -f2)
    echo "$p $port"
  done
}
ownership > "$WORK/owners-before.txt"
for i in 1 2 3; do
  ps=$(awk -v port="$(http_of $i)" '$2 == port { printf "%s,", $1 }' "$WORK/owners-before.txt")
  awk -v ps=",$ps" 'index(ps, "," $1 ",") { print $2 }' "$WORK/partitions.txt" > "$WORK/keys-local-i$i.txt"
  awk -v ps=",$ps" '!index(ps, "," $1 ",") { print $2 }' "$WORK/partitions.txt" > "$WORK/keys-fwd-i$i.txt"
  log "i$i (port $(http_of $i)) owns partitions ${ps%,}: $(wc -l < "$WORK/keys-local-i$i.txt") local keys, $(wc -l < "$WORK/keys-fwd-i$i.txt") forwarded"
done

# --- sampling --------------------------------------------------------------------------------------------------------
SAMPLES="$WORK/samples.tsv"
: > "$SAMPLES"
# fd_count PID: the number of file descriptors PID has open (0 if PID is gone)
# shellcheck disable=SC2012 # counting the entries of /proc/PID/fd
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
# sample LABEL: one row per instance to $SAMPLES: label t_s instance rss_mb fds threads
sample() {
  local i pid t=$(( ($(now_ms) - ${LOAD_START_MS:-$(now_ms)}) / 1000 ))
  for i in 1 2 3; do
    pid=$(pid_of "i$i")
    printf '%s\t%s\ti%s\t%s\t%s\t%s\n' "$1" "$t" "$i" \
      "$(rss_mb "$pid" 1)" "$(fd_count "$pid")" \
      "$(awk '/^Threads/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" >> "$SAMPLES"
  done
}
# run_wrk SECONDS OUTPUT_PREFIX: one wrk per instance, in parallel, output to OUTPUT_PREFIX-iN.txt; waits for all
run_wrk() {
  local secs=$1 out=$2 i pids=()
  for i in 1 2 3; do
    gen wrk -t1 -c"$CONNS" -d"${secs}s" --timeout 5s --latency -s "$BENCH_DIR/wrk/mixed.lua" \
      "http://localhost:$(http_of $i)" -- "$WORK/keys-local-i$i.txt" "$WORK/keys-fwd-i$i.txt" \
      "$W_LOCAL" "$W_FWD" "$W_ALL" "i$i" > "$out-i$i.txt" 2>&1 &
    pids+=("$!"); BG_PIDS+=("$!")
  done
  wait "${pids[@]}"
}

sample loaded
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up ${WARMUP}s"
  run_wrk "$WARMUP" "$WORK/warmup"
fi

# --- the reload driver (bench/lib/reload.sh) logs each route replacement here --------------------------------------
RELOAD_LOG="$WORK/reloads.tsv"
: > "$RELOAD_LOG"

# --- the soak ----------------------------------------------------------------------------------------------------------
LOAD_START_MS=$(now_ms)
sample before
log "soak: ${DURATION}s, 3 x wrk -t1 -c$CONNS"
( while sleep 10; do sample trend; done ) & SAMPLER=$!; BG_PIDS+=("$SAMPLER")
if [ $RELOAD = 1 ]; then reload_driver & DRIVER=$!; BG_PIDS+=("$DRIVER"); fi
for i in 1 2 3; do wc -l < "$WORK/i$i.log" > "$WORK/i$i.logstart"; done
run_wrk "$DURATION" "$WORK/soak"
LOAD_END_MS=$(now_ms)
kill "$SAMPLER" 2>/dev/null
[ $RELOAD = 1 ] && wait "$DRIVER"
sample after
ownership > "$WORK/owners-after.txt"

# --- after-checks ------------------------------------------------------------------------------------------------------
# Counts still right through every instance, and the error mapping still applies to a reloaded route.
CHECKS=""
for i in 1 2 3; do
  s=$(sum_counts "http://localhost:$(http_of $i)/state/keyvalues/word-count/all?strict=true")
  [ "$s" = "$EXPECTED" ] || CHECKS="$CHECKS i$i-all-sum=$s(expected $EXPECTED)"
  code=$(curl -s -o "$WORK/err-i$i.json" -w '%{http_code}' "http://localhost:$(http_of $i)/state/keyvalue/no-such-store/w00001")
  grep -q '"status"' "$WORK/err-i$i.json" && [ "${code:0:1}" = 4 ] || CHECKS="$CHECKS i$i-unknown-store=$code:$(head -c 120 "$WORK/err-i$i.json")"
done
cmp -s "$WORK/owners-before.txt" "$WORK/owners-after.txt" || CHECKS="$CHECKS ownership-changed-during-soak"
LOGERR=""
for i in 1 2 3; do
  n=$(tail -n +"$(( $(cat "$WORK/i$i.logstart") + 1 ))" "$WORK/i$i.log" | grep -c -E ' (ERROR|WARN) ')
  LOGERR="$LOGERR i$i=$n"
  tail -n +"$(( $(cat "$WORK/i$i.logstart") + 1 ))" "$WORK/i$i.log" | grep -E ' (ERROR|WARN) ' > "$WORK/i$i.soak-warnings.log"
done

# --- report ------------------------------------------------------------------------------------------------------------
[ -f "$RELOAD_LOG" ] && sort -t$'\t' -k4,4n -o "$RELOAD_LOG" "$RELOAD_LOG"
cat "$WORK"/soak-i*.txt | grep -E '^i[0-9] (RESULT|STATUS|SEC|VER) ' > "$WORK/soak.raw"
{
  machine_line
  echo "run: bench/soak.sh --duration $DURATION$([ $RELOAD = 1 ] && echo ' --reload') ($LINES lines, $WORDS words, 3 instances, $PARTITIONS partitions, 1 standby, 3 x wrk -t1 -c$CONNS, mix local/fwd/all=$MIX, pin=$PIN, JAVA_OPTS=${JAVA_OPTS:-$DEFAULT_JAVA_OPTS})"
} > "$WORK/header.txt"
awk -v reload="$RELOAD" -v load_start="$LOAD_START_MS" -v load_end="$LOAD_END_MS" -v checks="$CHECKS" -v logerr="$LOGERR" \
  -v reload_log="$RELOAD_LOG" -f "$BENCH_DIR/soak-table.awk" "$WORK/header.txt" "$WORK/soak.raw" "$SAMPLES"