#!/usr/bin/env bash
# Shared by bench/ and demo/: start a real KRaft broker and wordcount-iq instances as local processes.
# Source it, set WORK to a scratch folder, call the functions, and call stop_all on exit.
# Every process started here is recorded in $WORK/pids, so stop_all leaves nothing behind.

WCIQ_HOME=${WCIQ_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=${WORK:-$(mktemp -d -t wordcount-iq.XXXXXX)}
mkdir -p "$WORK"

ensure_built() {
  if [ ! -f "$WCIQ_HOME/target/wordcount-iq.jar" ] || [ ! -d "$WCIQ_HOME/target/lib" ]; then
    (cd "$WCIQ_HOME" && mvn -B -q -DskipTests package) || return 1
  fi
}

# wait_port PORT SECONDS: until something listens on localhost:PORT
wait_port() {
  local port=$1 deadline=$((SECONDS + ${2:-60}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && { echo "nothing listens on port $port after ${2:-60}s" >&2; return 1; }
    sleep 0.2
  done
}

# start_broker PORT CONTROLLER_PORT: a single-node KRaft broker, logs in $WORK/broker
start_broker() {
  local port=$1 cport=$2 dir="$WORK/broker"
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$cport
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$cport
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  local cp="$WCIQ_HOME/target/lib/*"
  if [ ! -d "$dir/data" ]; then
    local uuid
    uuid=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null)
    java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$dir/server.properties" > "$dir/format.log" 2>&1 || return 1
  fi
  java -Xmx512m -cp "$cp" kafka.Kafka "$dir/server.properties" > "$dir/broker.log" 2>&1 &
  echo "$! broker" >> "$WORK/pids"
  wait_port "$port" 60
}

# start_instance NAME HTTP_PORT MANAGEMENT_PORT [VAR=value ...]: one wordcount-iq JVM, logs in $WORK/NAME.log
start_instance() {
  local name=$1 http=$2 mgmt=$3
  shift 3
  mkdir -p "$WORK/$name"
  (cd "$WCIQ_HOME" && exec env HTTP_PORT="$http" MANAGEMENT_PORT="$mgmt" STATE_DIR="$WORK/$name/state" "$@" \
    java ${JAVA_OPTS:--Xmx384m} -jar target/wordcount-iq.jar > "$WORK/$name.log" 2>&1) &
  echo "$! $name" >> "$WORK/pids"
}

# wait_ready MANAGEMENT_PORT SECONDS: until /observe/health/ready answers 200
wait_ready() {
  local port=$1 deadline=$((SECONDS + ${2:-120}))
  until curl -sf "http://localhost:$port/observe/health/ready" > /dev/null; do
    [ $SECONDS -ge $deadline ] && { echo "instance on management port $port not ready after ${2:-120}s" >&2; return 1; }
    sleep 0.3
  done
}

# pid_of NAME
pid_of() {
  awk -v n="$1" '$2 == n { p = $1 } END { print p }' "$WORK/pids"
}

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

# start_nginx NAME CONF: a foreground nginx (master + 1 worker) with its own prefix $WORK/NAME, recorded in $WORK/pids.
# CONF is a full nginx.conf; it should keep pid, logs and temp paths under $WORK/NAME (see demo/lib/nginx.sh).
start_nginx() {
  local name=$1 conf=$2 dir="$WORK/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  "${NGINX:-/usr/sbin/nginx}" -t -q -p "$dir" -c "$conf" -e "$dir/logs/error.log" || return 1
  "${NGINX:-/usr/sbin/nginx}" -p "$dir" -c "$conf" -e "$dir/logs/error.log" -g 'daemon off;' > "$dir/nginx.out" 2>&1 &
  echo "$! $name" >> "$WORK/pids"
}
