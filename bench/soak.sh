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
export WCIQ_HOME=${WCIQ_HOME:-$(cd "$BENCH_DIR/.." && pwd)}
export WORK=${WORK:-$(mktemp -d -t wordcount-iq-soak.XXXXXX)}
# shellcheck source=../scripts/lib/cluster.sh
source "$BENCH_DIR/../scripts/lib/cluster.sh"

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
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 10 ] || { echo "--duration must be a number of seconds >= 10" >&2; exit 2; }
CONNS=${CONNS:-8}; MIX=${MIX:-60,38,2}; LINES=${LINES:-20000}; WARMUP=${WARMUP:-10}; RELOADS=${RELOADS:-4}
WORDS=10000; PARTITIONS=4
IFS=, read -r W_LOCAL W_FWD W_ALL <<< "$MIX"
PB=${PORT_BASE:-22000}
BROKER=$((PB + 92)); CONTROLLER=$((PB + 93))
PIN=${PIN:-wrk}
APP_ID=soak-$$
BG_PIDS=()

cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  stop_all
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
http_of() { echo $((PB + 80 + $1)); }
mgmt_of() { echo $((PB + 70 + $1)); }
now_ms() { date +%s%3N; }
LAST_CPU=$(($(nproc) - 1))
gen() { if [ "$PIN" = none ] || [ "$LAST_CPU" -eq 0 ]; then "$@"; else taskset -c "$LAST_CPU" "$@"; fi; }

# --- route folders, ConfigMap layout: x.yaml -> ..data/x.yaml, ..data -> ..v0 -------------------------------------
setup_routes() { # DIR
  local dir=$1 f
  mkdir -p "$dir/..v0"
  cp "$WCIQ_HOME"/routes/*.yaml "$dir/..v0/"
  ln -s ..v0 "$dir/..data"
  for f in "$dir"/..v0/*.yaml; do ln -s "..data/$(basename "$f")" "$dir/$(basename "$f")"; done
}
# The key-query route plus one trivial, real step at its end: a response header naming the version.
versioned_key_query() { # VERSION
  cat "$WCIQ_HOME/routes/key-query.camel.yaml"
  cat <<YAML
        - setHeader:
            name: X-IQ-Route-Version
            constant: "$1"
YAML
}
current_version_dir() { readlink "$1/..data"; }
# Atomic mv: a temp file in the same folder renamed over key-query.camel.yaml (which then is a regular file).
reload_mv() { # DIR VERSION
  local dir=$1
  versioned_key_query "$2" > "$dir/.key-query.camel.yaml.tmp"
  mv -f -T "$dir/.key-query.camel.yaml.tmp" "$dir/key-query.camel.yaml"
}
# ConfigMap swap: a new ..vN folder with every file, a ..data_tmp link to it, renamed over ..data (as the kubelet does).
# After an mv, key-query.camel.yaml is a regular file: first put the symlink back without changing the content
# (a ..data holding the current content, then the link renamed over the file), so only the swap changes the route.
reload_swap() { # DIR VERSION
  local dir=$1 v=$2 old new f
  old=$(current_version_dir "$dir")
  if [ ! -L "$dir/key-query.camel.yaml" ]; then
    new="..v${v}-restore"
    mkdir "$dir/$new"
    cp "$dir/$old"/*.yaml "$dir/$new/"
    cp "$dir/key-query.camel.yaml" "$dir/$new/key-query.camel.yaml"
    ln -sfn "$new" "$dir/..data_tmp" && mv -T "$dir/..data_tmp" "$dir/..data"
    ln -sfn "..data/key-query.camel.yaml" "$dir/.key-query.link" && mv -T "$dir/.key-query.link" "$dir/key-query.camel.yaml"
    rm -rf "${dir:?}/$old"; old=$new
  fi
  new="..v${v}"
  mkdir "$dir/$new"
  cp "$dir/$old"/*.yaml "$dir/$new/"
  versioned_key_query "$v" > "$dir/$new/key-query.camel.yaml"
  ln -sfn "$new" "$dir/..data_tmp" && mv -T "$dir/..data_tmp" "$dir/..data"
  rm -rf "${dir:?}/$old"
}

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
make_lines() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) { l = ""
    for (j = 0; j < 5; j++) { k = (i * 5 + j) % 10000; l = l (j ? " " : "") sprintf("w%05d", (k * 7919) % 10000) }
    print l } }'
}
sum_counts() { curl -sf "$1" | grep -o '"value":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'; }
mkdir -p "$WORK/chunks"
make_lines "$LINES" | split -l 1000 -d -a 5 - "$WORK/chunks/c"
ls "$WORK"/chunks/c* | xargs -P 4 -I{} curl -sf -o /dev/null -X POST -H 'Content-Type: text/plain' \
  --data-binary @{} "http://localhost:$(http_of 1)/lines" || { log "some POST /lines failed"; KEEP_WORK=1; exit 1; }
EXPECTED=$((LINES * 5)); deadline=$((SECONDS + 300))
until [ "$(sum_counts "http://localhost:$(http_of 1)/state/keyvalues/word-count/all?strict=true")" -ge "$EXPECTED" ]; do
  [ $SECONDS -ge $deadline ] && { log "counts not visible after 300 s"; KEEP_WORK=1; exit 1; }
  sleep 0.3
done
log "loaded $LINES lines ($EXPECTED words), all visible"

# --- keys by owner ---------------------------------------------------------------------------------------------------
seq -f 'w%05g' 0 $((WORDS - 1)) > "$WORK/words.txt"
(cd "$WCIQ_HOME" && java -cp "target/lib/*" bench/floor/Partitions.java "$PARTITIONS") < "$WORK/words.txt" > "$WORK/partitions.txt"
ownership() { # prints "partition port" for every partition, as the service says
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
sample() { # LABEL: one row per instance: label t_s instance rss_mb fds threads
  local i pid t=$(( ($(now_ms) - ${LOAD_START_MS:-$(now_ms)}) / 1000 ))
  for i in 1 2 3; do
    pid=$(pid_of "i$i")
    printf '%s\t%s\ti%s\t%s\t%s\t%s\n' "$1" "$t" "$i" \
      "$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null)" \
      "$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)" \
      "$(awk '/^Threads/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" >> "$SAMPLES"
  done
}
run_wrk() { # SECONDS OUTPUT_PREFIX: one wrk per instance, in parallel; waits for all
  local secs=$1 out=$2 i pids=()
  for i in 1 2 3; do
    gen wrk -t1 -c"$CONNS" -d"${secs}s" --timeout 5s --latency -s "$BENCH_DIR/wrk/mixed.lua" \
      "http://localhost:$(http_of $i)" -- "$WORK/keys-local-i$i.txt" "$WORK/keys-fwd-i$i.txt" \
      "$W_LOCAL" "$W_FWD" "$W_ALL" "i$i" > "$out-i$i.txt" 2>&1 &
    pids+=($!); BG_PIDS+=($!)
  done
  wait "${pids[@]}"
}

sample loaded
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up ${WARMUP}s"
  run_wrk "$WARMUP" "$WORK/warmup"
fi

# --- reload driver (background): round robin over the instances, mv and ..data swap alternating ----------------------
RELOAD_LOG="$WORK/reloads.tsv"
: > "$RELOAD_LOG"
# verify_active INSTANCE VERSION METHOD T0_MS: polls the instance's own key (no other instance's header can leak in)
# until it answers with X-IQ-Route-Version: VERSION; gives up after 40 s (beyond Camel's 30 s graceful-stop timeout).
verify_active() {
  local i=$1 v=$2 port key t1="" hdr
  port=$(http_of "$i"); key=$(head -1 "$WORK/keys-local-i$i.txt")
  while [ $(( $(now_ms) - $4 )) -lt 40000 ]; do
    hdr=$(curl -s -m 5 -D - -o /dev/null "http://localhost:$port/state/keyvalue/word-count/$key" | tr -d '\r' \
      | awk -F': ' 'tolower($1) == "x-iq-route-version" { print $2 }')
    [ "$hdr" = "$v" ] && { t1=$(now_ms); break; }
    sleep 0.05
  done
  printf '%s\ti%s\t%s\t%s\t%s\n' "$v" "$i" "$3" "$4" "${t1:--}" >> "$RELOAD_LOG"
}
reload_driver() {
  local vpids=() steps=$((RELOADS * 3)) first=$((DURATION / 10 + 2)) last=$((DURATION * 85 / 100)) k i method v t0
  local spacing_ms=$(( (last - first) * 1000 / (steps > 1 ? steps - 1 : 1) ))
  for k in $(seq 0 $((steps - 1))); do
    local due=$((LOAD_START_MS + first * 1000 + k * spacing_ms)) now
    now=$(now_ms); [ "$now" -lt "$due" ] && sleep "$(awk -v d=$((due - now)) 'BEGIN { printf "%.3f", d / 1000 }')"
    i=$((k % 3 + 1)); v="r$((k + 1))"
    if [ $((k % 2)) -eq 0 ]; then method=mv; else method=swap; fi
    t0=$(now_ms)
    if [ $method = mv ]; then reload_mv "$WORK/routes-i$i" "$v"; else reload_swap "$WORK/routes-i$i" "$v"; fi
    verify_active "$i" "$v" "$method" "$t0" & vpids+=($!)
  done
  wait "${vpids[@]}"
}

# --- the soak ----------------------------------------------------------------------------------------------------------
LOAD_START_MS=$(now_ms)
sample before
log "soak: ${DURATION}s, 3 x wrk -t1 -c$CONNS"
( while sleep 10; do sample trend; done ) & SAMPLER=$!; BG_PIDS+=($SAMPLER)
if [ $RELOAD = 1 ]; then reload_driver & DRIVER=$!; BG_PIDS+=($DRIVER); fi
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
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "run: bench/soak.sh --duration $DURATION$([ $RELOAD = 1 ] && echo ' --reload') ($LINES lines, $WORDS words, 3 instances, $PARTITIONS partitions, 1 standby, 3 x wrk -t1 -c$CONNS, mix local/fwd/all=$MIX, pin=$PIN, JAVA_OPTS=${JAVA_OPTS:--Xmx384m})"
} > "$WORK/header.txt"
awk -v reload="$RELOAD" -v load_start="$LOAD_START_MS" -v load_end="$LOAD_END_MS" -v checks="$CHECKS" -v logerr="$LOGERR" \
  -v reload_log="$RELOAD_LOG" -f "$BENCH_DIR/soak-table.awk" "$WORK/header.txt" "$WORK/soak.raw" "$SAMPLES"
