#!/usr/bin/env bash
# Shared by bench/ and demo/: start a real KRaft broker, wordcount-iq instances and nginx as local processes, and the
# small helpers those scripts have in common. Set WORK (a scratch folder; default: a new temporary one), source this
# file, call trap_cleanup, then the rest. Every process started here is recorded in $WORK/pids (track_pid), so stop_all
# leaves nothing behind. Read from the caller: PB (port base of the bench instances), PIN (wrk|split|none), BG_PIDS
# (append the caller's own background jobs), KEEP_WORK=1 (keep a scratch WORK), JAVA_OPTS (instances' JVM options,
# default $DEFAULT_JAVA_OPTS), FLOOR_JAVA_OPTS (the bench floor's, default JAVA_OPTS), IN_FLIGHT (POSTs at once, 4),
# NGINX (the nginx binary, default /usr/sbin/nginx).

SCRIPTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WCIQ_HOME=${WCIQ_HOME:-$(cd "$SCRIPTS_LIB/../.." && pwd)}
WORK=${WORK:-$(mktemp -d -t wordcount-iq.XXXXXX)}
# random_secret: 32 random bytes, base64 without padding or newline (forward secret, ingest token)
random_secret() { head -c 32 /dev/urandom | base64 | tr -d '=\n'; }
# Every instance started here shares one forward secret (FORWARD_SECRET is required with an external broker).
FORWARD_SECRET=${FORWARD_SECRET:-$(random_secret)}
export WCIQ_HOME WORK FORWARD_SECRET
mkdir -p "$WORK"
BG_PIDS=()
DEFAULT_JAVA_OPTS=-Xmx384m
LAST_CPU=$(($(nproc) - 1))

## Logging, time, ports ############################################################################################
# log MESSAGE...: one line on stderr, prefixed with the time of day
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
# now_ms: the current time in milliseconds since the epoch
now_ms() { date +%s%3N; }
# http_of N: the HTTP port of bench instance iN ($PB + 80 + N)
http_of() { echo $((PB + 80 + $1)); }
# mgmt_of N: the management port of bench instance iN ($PB + 70 + N)
mgmt_of() { echo $((PB + 70 + $1)); }

## CPU placement: PIN=wrk pins the load generator to the last cpu; split also keeps the servers off it; none pins nothing
# gen PROGRAM [ARG...]: run PROGRAM (not a shell function) where the load generator belongs under $PIN
gen() { if [ "${PIN:-wrk}" = none ] || [ "$LAST_CPU" -eq 0 ]; then "$@"; else taskset -c "$LAST_CPU" "$@"; fi; }
# place PID: under PIN=split, confine every thread of PID to the cpus but the last; otherwise nothing; always succeeds
place() { [ "${PIN:-wrk}" = split ] && [ "$LAST_CPU" -gt 0 ] && taskset -a -p -c "0-$((LAST_CPU - 1))" "$1" > /dev/null; true; }

## Build and readiness ##############################################################################################
# ensure_built: build target/wordcount-iq.jar and target/lib with Maven unless both exist; fails if the build fails
ensure_built() {
  if [ ! -f "$WCIQ_HOME/target/wordcount-iq.jar" ] || [ ! -d "$WCIQ_HOME/target/lib" ]; then
    (cd "$WCIQ_HOME" && mvn -B -q -DskipTests package) || return 1
  fi
}
# wait_until SECONDS POLL COMMAND...: run COMMAND every POLL seconds until it succeeds; fails once SECONDS have passed
wait_until() {
  local deadline=$((SECONDS + $1)) poll=$2
  shift 2
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep "$poll"
  done
}
# port_open PORT: succeeds if something listens on 127.0.0.1:PORT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# http_ok URL: succeeds if URL answers 2xx (the body is dropped)
http_ok() { curl -sf "$1" > /dev/null; }
# wait_port PORT [SECONDS]: until something listens on localhost:PORT (default 60 s); else says so on stderr and fails
wait_port() {
  wait_until "${2:-60}" 0.2 port_open "$1" || { echo "nothing listens on port $1 after ${2:-60}s" >&2; return 1; }
}
# wait_ready MANAGEMENT_PORT [SECONDS]: until /observe/health/ready answers 200 (default 120 s); else says so and fails
wait_ready() {
  wait_until "${2:-120}" 0.3 http_ok "http://localhost:$1/observe/health/ready" \
    || { echo "instance on management port $1 not ready after ${2:-120}s" >&2; return 1; }
}

## Processes: broker, instances, nginx ##############################################################################
# track_pid PID NAME: record a started process in $WORK/pids, for pid_of and stop_all
track_pid() { echo "$1 $2" >> "$WORK/pids"; }
# pid_of NAME: the pid last recorded under NAME (empty if none)
pid_of() { awk -v n="$1" '$2 == n { p = $1 } END { print p }' "$WORK/pids"; }
# sed_value TEXT: TEXT escaped for the replacement side of a sed s|...|...| command
sed_value() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }
# broker_properties PORT CONTROLLER_PORT LOG_DIRS: scripts/lib/broker.properties with @PORT@, @CONTROLLER_PORT@, @LOG_DIRS@ filled
broker_properties() {
  sed -e "s|@PORT@|$(sed_value "$1")|g" -e "s|@CONTROLLER_PORT@|$(sed_value "$2")|g" \
    -e "s|@LOG_DIRS@|$(sed_value "$3")|g" "$SCRIPTS_LIB/broker.properties"
}
# start_broker PORT CONTROLLER_PORT: a single-node KRaft broker in $WORK/broker (formatted once); returns when it listens
start_broker() {
  local port=$1 cport=$2 dir="$WORK/broker" cp="$WCIQ_HOME/target/lib/*" uuid
  mkdir -p "$dir"
  broker_properties "$port" "$cport" "$dir/data" > "$dir/server.properties" || return 1
  if [ ! -d "$dir/data" ]; then
    uuid=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null)
    java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$dir/server.properties" > "$dir/format.log" 2>&1 || return 1
  fi
  java -Xmx512m -cp "$cp" kafka.Kafka "$dir/server.properties" > "$dir/broker.log" 2>&1 &
  track_pid $! broker
  wait_port "$port" 60
}
# start_instance NAME HTTP_PORT MANAGEMENT_PORT [VAR=value ...]: one wordcount-iq JVM, logs in $WORK/NAME.log; no wait
start_instance() {
  local name=$1 http=$2 mgmt=$3
  shift 3
  mkdir -p "$WORK/$name"
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  (cd "$WCIQ_HOME" && exec env HTTP_PORT="$http" MANAGEMENT_PORT="$mgmt" STATE_DIR="$WORK/$name/state" \
    FORWARD_SECRET="$FORWARD_SECRET" "$@" \
    java ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -jar target/wordcount-iq.jar > "$WORK/$name.log" 2>&1) &
  track_pid $! "$name"
}
# start_floor PORT BROKER_PORT PARTITIONS APP_ID: bench/floor/FloorServer.java (the no-Camel floor) with $FLOOR_JAVA_OPTS
# (default: the instances'), state in $WORK/floor, log in $WORK/floor.log; no wait (it answers GET /ready)
start_floor() {
  # shellcheck disable=SC2086 # the options are several words
  (cd "$WCIQ_HOME" && exec env KAFKA_BOOTSTRAP_SERVERS="localhost:$2" HTTP_PORT="$1" STATE_DIR="$WORK/floor" \
    APPLICATION_ID="$4" TOPIC_PARTITIONS="$3" java ${FLOOR_JAVA_OPTS:-${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}} \
    -Dsun.net.httpserver.nodelay=true -cp "target/classes:target/lib/*" bench/floor/FloorServer.java > "$WORK/floor.log" 2>&1) &
  track_pid $! floor
}
# start_nginx NAME CONF: a foreground nginx (master + 1 worker) with its own prefix $WORK/NAME; fails if CONF is invalid.
# CONF is a full nginx.conf; it should keep pid, logs and temp paths under $WORK/NAME (see demo/lib/nginx.sh).
start_nginx() {
  local name=$1 conf=$2 dir="$WORK/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  "${NGINX:-/usr/sbin/nginx}" -t -q -p "$dir" -c "$conf" -e "$dir/logs/error.log" || return 1
  "${NGINX:-/usr/sbin/nginx}" -p "$dir" -c "$conf" -e "$dir/logs/error.log" -g 'daemon off;' > "$dir/nginx.out" 2>&1 &
  track_pid $! "$name"
}
# stop_all: stop every process in $WORK/pids, newest first (TERM, then KILL after 40 s in all), and empty the list
stop_all() {
  [ -f "$WORK/pids" ] || return 0
  local pid name
  tac "$WORK/pids" | while read -r pid name; do
    kill "$pid" 2>/dev/null
  done
  local deadline=$((SECONDS + 40))
  tac "$WORK/pids" | while read -r pid name; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
  done
  : > "$WORK/pids"
}

## Clean-up on exit #################################################################################################
CLEANUP_OPTS=""
# trap_cleanup [scratch] [verbose]: run cleanup once when the script exits; INT, TERM and HUP exit with 130 (and clean up).
#   scratch: $WORK is removed afterwards unless KEEP_WORK=1; verbose: says "stopping ..." and "stopped; ..." on stdout
trap_cleanup() {
  CLEANUP_OPTS=" $* "
  trap cleanup EXIT
  trap 'exit 130' INT TERM HUP
}
# untrap_cleanup: exit without cleanup from now on (a detached run leaves everything running)
untrap_cleanup() { trap - INT TERM HUP EXIT; }
# cleanup: kill $BG_PIDS, stop_all, then remove or keep $WORK as trap_cleanup was told; runs once
cleanup() {
  untrap_cleanup
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ $CLEANUP_OPTS == *" verbose "* ]]; then echo; echo "stopping ..."; fi
  stop_all || true
  if [[ $CLEANUP_OPTS == *" verbose "* ]]; then echo "stopped; nothing left running"; fi
  [[ $CLEANUP_OPTS == *" scratch "* ]] || return 0
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

## Corpus and counts ################################################################################################
# make_lines FIRST COUNT: corpus lines FIRST.. (5 of the words w00000..w09999 each, every word equally often) on stdout
make_lines() {
  awk -v first="$1" -v n="$2" 'BEGIN { for (i = first; i < first + n; i++) { l = ""
    for (j = 0; j < 5; j++) { k = (i * 5 + j) % 10000; l = l (j ? " " : "") sprintf("w%05d", (k * 7919) % 10000) }
    print l } }'
}
# make_chunks FIRST COUNT: those corpus lines as 1,000-line files $WORK/chunks/c00000.. (the folder is emptied first)
make_chunks() {
  rm -rf "$WORK/chunks"; mkdir -p "$WORK/chunks"
  make_lines "$1" "$2" | split -l 1000 -d -a 5 - "$WORK/chunks/c"
}
# post_chunks "URL ..." [gen]: POST every chunk as text/plain, dealt round robin over the URLs, $IN_FLIGHT (4) at once
# (run by gen if asked); a 503 (ingest busy) is retried after 1 s, 5 tries in all; fails if any POST did not get 202
post_chunks() {
  local via=()
  [ "${2:-}" = gen ] && via=(gen)
  # $3, when given, sends each chunk with "Idempotency-Key: $3-<n>" (POST /lines counts each key once)
  # shellcheck disable=SC2016 # the sh -c script expands its own $0 (URL), $1 (file) and $2 (key or -)
  printf '%s\n' "$WORK"/chunks/c* | awk -v urls="$1" -v key="${3:-}" \
    'BEGIN { n = split(urls, u, " ") } { print u[(NR - 1) % n + 1], $0, (key == "" ? "-" : key "-" NR) }' \
    | "${via[@]}" xargs -P "${IN_FLIGHT:-4}" -L 1 sh -c 'h=""; [ "$2" = - ] || h="Idempotency-Key: $2"
      for t in 1 2 3 4 5; do c=$(curl -s -o /dev/null -w "%{http_code}" ${h:+-H "$h"} \
      -X POST -H "Content-Type: text/plain" --data-binary "@$1" "$0"); [ "$c" = 503 ] || break; sleep 1; done; [ "$c" = 202 ]'
}
# sum_counts URL: the total of every count in an "all" answer from URL (0 if the request fails)
sum_counts() { curl -sf "$1" | grep -o '"value":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'; }
# partition_words WORDS PARTITIONS: $WORK/words.txt (w00000..) and $WORK/partitions.txt ("partition word", by murmur2)
partition_words() {
  seq -f 'w%05g' 0 $(($1 - 1)) > "$WORK/words.txt"
  (cd "$WCIQ_HOME" && java -cp "target/lib/*" bench/floor/Partitions.java "$2") < "$WORK/words.txt" > "$WORK/partitions.txt"
}

## Memory and reports ###############################################################################################
# rss_mb PID [DECIMALS]: the resident memory (VmRSS) of PID in MB, rounded to DECIMALS places (0); empty if PID is gone
rss_mb() { awk -v f="%.${2:-0}f" '/^VmRSS/ { printf f, $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
# machine_line: the "machine: cores (cpu), memory, java" line that heads a results table
machine_line() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1)"
}
