#!/usr/bin/env bash
# The seed's two-cluster topologies on one machine, with real components:
#
#                          client
#                            |
#                   load balancer (nginx)          X-LB-Cluster: green|red pins a cluster
#                    /                 \
#      green ingress (nginx)        red ingress (nginx)      one server_name per pod + the shared app host
#        /         \                  /          \
#     wc-0        wc-1             wc-2         wc-3         wordcount-iq JVMs, NUM_STANDBY_REPLICAS=1
#        \__________\________________/__________/
#                     one Kafka broker
#
# Patterns (what each instance advertises as application.server, i.e. how instances reach each other):
#   north-south  wc-N.<cluster>.wordcount.test:<that cluster's ingress port>   hops go through the other ingress
#   east-west    wc-N.<cluster>.wordcount-iq.wordcount.svc.clusterset.local:<own port>   hops skip the ingress
#   observer     word-count instances are not exposed; one observer per cluster (APP_MODE=observer) behind the LB
#
# Usage: demo/run.sh [north-south|east-west|observer] [--no-wait|--detach]
#        demo/run.sh stop                       stops a --detach run (same WORK)
#   (default)   start, load the sample text, print URLs and answers, wait; Ctrl-C stops everything
#   --no-wait   the same, then stop everything and exit (a smoke test)
#   --detach    start and leave it running; the settings are in $WORK/demo.env
# Environment: WORK (scratch folder, default $TMPDIR/wordcount-iq-demo, else the system temp folder), DEMO_PORT_BASE (default 18000),
#              JAVA_HEAP (default 384m).
set -euo pipefail

PATTERN=north-south MODE=wait
for arg in "$@"; do
  case $arg in
    north-south|east-west|observer) PATTERN=$arg ;;
    --no-wait) MODE=no-wait ;;
    --detach) MODE=detach ;;
    stop) MODE=stop ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export WORK=${WORK:-${TMPDIR:-/tmp}/wordcount-iq-demo}
# shellcheck source=../scripts/lib/cluster.sh
source "$HERE/../scripts/lib/cluster.sh"
# shellcheck source=lib/nginx.sh
source "$HERE/lib/nginx.sh"

if [ "$MODE" = stop ]; then stop_all || true; echo "stopped everything recorded in $WORK/pids"; exit 0; fi

## Names and ports ##################################################################################################
BASE=${DEMO_PORT_BASE:-18000}
DOMAIN=wordcount.test                 # ingress host names: wc-N.<cluster>.wordcount.test
APP_HOST=app.$DOMAIN                  # the shared host of the whole app on every ingress
MCS_SUFFIX=wordcount-iq.wordcount.svc.clusterset.local   # <svc>.<namespace>.svc.clusterset.local
LB_PORT=$BASE
declare -A INGRESS_PORT=([green]=$((BASE + 1)) [red]=$((BASE + 2)))
BROKER_PORT=$((BASE + 92)) CONTROLLER_PORT=$((BASE + 93))
WORDCOUNT=(wc-0 wc-1 wc-2 wc-3)
OBSERVERS=(obs-0 obs-1)
declare -A CLUSTER=([wc-0]=green [wc-1]=green [wc-2]=red [wc-3]=red [obs-0]=green [obs-1]=red)
declare -A HTTP MGMT
for i in 0 1 2 3; do HTTP[wc-$i]=$((BASE + 10 + i)); MGMT[wc-$i]=$((BASE + 20 + i)); done
for i in 0 1; do HTTP[obs-$i]=$((BASE + 30 + i)); MGMT[obs-$i]=$((BASE + 40 + i)); done

# application.server: the address by which OTHER instances reach this one
advertised() {
  local pod=$1 cluster=${CLUSTER[$1]}
  case $PATTERN/$pod in
    north-south/*|observer/obs-*) echo "$pod.$cluster.$DOMAIN:${INGRESS_PORT[$cluster]}" ;;
    east-west/*) echo "$pod.$cluster.$MCS_SUFFIX:${HTTP[$pod]}" ;;
    observer/wc-*) echo "localhost:${HTTP[$pod]}" ;;    # internal only: nothing routes to it
  esac
}

# the pods each cluster's ingress routes to
exposed() {
  local cluster=$1 pod
  for pod in $( [ "$PATTERN" = observer ] && echo "${OBSERVERS[@]}" || echo "${WORDCOUNT[@]}" ); do
    [ "${CLUSTER[$pod]}" = "$cluster" ] && echo -n "$pod=${HTTP[$pod]} "
  done
}

## Lifecycle ########################################################################################################
any_alive() { local pid _; while read -r pid _; do kill -0 "$pid" 2>/dev/null && return 0; done < "$WORK/pids"; return 1; }
if [ -s "$WORK/pids" ] && any_alive; then
  echo "a demo is already running under $WORK; stop it with: WORK=$WORK $0 stop" >&2; exit 1
fi
if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -f "$WORK/.wordcount-iq-demo" ]; then
  echo "$WORK is not empty and not a demo folder; set WORK to another folder" >&2; exit 1
fi
rm -rf "$WORK"; mkdir -p "$WORK"; touch "$WORK/.wordcount-iq-demo"    # fresh state dirs every run

SLEEPER=""
cleanup() {
  trap - INT TERM HUP EXIT
  [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
  echo; echo "stopping ..."; stop_all || true; echo "stopped; nothing left running"
}
trap cleanup EXIT                # a --detach run clears these once everything is up
trap 'cleanup; exit 130' INT TERM HUP
exec < /dev/null                 # the background JVMs and nginx never read the terminal
fail() { echo "FAILED: $*" >&2; echo "logs: $WORK" >&2; exit 1; }

ensure_built || fail "build"

# Host names resolve to 127.0.0.1 inside the JVMs only (no /etc/hosts edit)
{
  echo "127.0.0.1 localhost $(hostname)"
  for pod in "${WORDCOUNT[@]}" "${OBSERVERS[@]}"; do
    echo "127.0.0.1 $pod.${CLUSTER[$pod]}.$DOMAIN $pod.${CLUSTER[$pod]}.$MCS_SUFFIX"
  done
} > "$WORK/hosts"
JAVA_OPTS="-Xmx${JAVA_HEAP:-384m} -XX:+UseSerialGC -Djdk.net.hosts.file=$WORK/hosts"
export JAVA_OPTS

echo "== $PATTERN: starting Kafka on localhost:$BROKER_PORT"
start_broker "$BROKER_PORT" "$CONTROLLER_PORT" || fail "broker"

start_pod() {
  local pod=$1 mode=$2
  start_instance "$pod" "${HTTP[$pod]}" "${MGMT[$pod]}" KAFKA_BOOTSTRAP_SERVERS="localhost:$BROKER_PORT" \
    APP_MODE="$mode" APPLICATION_SERVER="$(advertised "$pod")" NUM_STANDBY_REPLICAS=1 TOPIC_PARTITIONS=4 \
    FORWARD_SCHEME=http FORWARD_CONNECT_TIMEOUT_MS=500 FORWARD_TIMEOUT_MS=2000 REQUEST_TIMEOUT_MS=5000
}
PODS=("${WORDCOUNT[@]}")
echo "== starting ${WORDCOUNT[*]} (APP_MODE=wordcount)"
for pod in "${WORDCOUNT[@]}"; do start_pod "$pod" wordcount; done
for pod in "${WORDCOUNT[@]}"; do wait_ready "${MGMT[$pod]}" 180 || fail "$pod not ready (log: $WORK/$pod.log)"; done
if [ "$PATTERN" = observer ]; then
  echo "== starting ${OBSERVERS[*]} (APP_MODE=observer)"
  for pod in "${OBSERVERS[@]}"; do start_pod "$pod" observer; done
  for pod in "${OBSERVERS[@]}"; do wait_ready "${MGMT[$pod]}" 180 || fail "$pod not ready (log: $WORK/$pod.log)"; done
  PODS+=("${OBSERVERS[@]}")
fi

echo "== starting ingress-green :${INGRESS_PORT[green]}, ingress-red :${INGRESS_PORT[red]}, lb :$LB_PORT"
for cluster in green red; do
  nginx_ingress "ingress-$cluster" "${INGRESS_PORT[$cluster]}" "$cluster.$DOMAIN" "$APP_HOST" "$(exposed "$cluster")" \
    > "$WORK/ingress-$cluster.conf"
  start_nginx "ingress-$cluster" "$WORK/ingress-$cluster.conf" || fail "ingress-$cluster"
done
nginx_lb lb "$LB_PORT" "$APP_HOST" "${INGRESS_PORT[green]}" "${INGRESS_PORT[red]}" > "$WORK/lb.conf"
start_nginx lb "$WORK/lb.conf" || fail "lb"
for port in "${INGRESS_PORT[green]}" "${INGRESS_PORT[red]}" "$LB_PORT"; do wait_port "$port" 20 || fail "nginx :$port"; done

## Settings for tests and for the curious ###########################################################################
{
  echo "PATTERN=$PATTERN"; echo "WORK=$WORK"; echo "LB_URL=http://127.0.0.1:$LB_PORT"
  echo "INGRESS_GREEN_PORT=${INGRESS_PORT[green]}"; echo "INGRESS_RED_PORT=${INGRESS_PORT[red]}"
  echo "INGRESS_GREEN_LOG=$WORK/ingress-green/logs/access.log"; echo "INGRESS_RED_LOG=$WORK/ingress-red/logs/access.log"
  echo "LB_LOG=$WORK/lb/logs/access.log"; echo "PODS=${PODS[*]}"
  for pod in "${PODS[@]}"; do
    echo "$pod.cluster=${CLUSTER[$pod]}"; echo "$pod.http=${HTTP[$pod]}"; echo "$pod.management=${MGMT[$pod]}"
    echo "$pod.server=$(advertised "$pod")"
  done
} > "$WORK/demo.env"

## Load the sample text and wait until every word is counted ########################################################
expected_total=$(tr -cs 'A-Za-z0-9_' '\n' < "$HERE/sample.txt" | grep -c .)
echo "== loading demo/sample.txt ($expected_total words) via POST /lines on wc-0 (the producer)"
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary @"$HERE/sample.txt" \
  "http://127.0.0.1:${HTTP[wc-0]}/lines" > /dev/null || fail "POST /lines"
total() { curl -s "http://127.0.0.1:$LB_PORT/state/keyvalues/word-count/all" | grep -o '"value":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'; }
deadline=$((SECONDS + 60))
until [ "$(total 2>/dev/null || echo 0)" = "$expected_total" ]; do
  [ $SECONDS -ge $deadline ] && fail "counts through the LB never summed to $expected_total (now: $(total))"
  sleep 0.5
done
echo "   all $expected_total words counted and visible through the load balancer"

## Show it ##########################################################################################################
show() { echo; echo "\$ $*"; eval "$*" | sed 's/^/  /'; }
LB="http://127.0.0.1:$LB_PORT"
echo
echo "Load balancer:  $LB   (add -H 'X-LB-Cluster: green' or red to pin a cluster)"
for cluster in green red; do
  echo "Ingress $cluster:  http://127.0.0.1:${INGRESS_PORT[$cluster]}  hosts: $APP_HOST $(exposed "$cluster" | sed "s/=[0-9]*/.$cluster.$DOMAIN/g")"
done
for pod in "${PODS[@]}"; do echo "  $pod  application.server=$(advertised "$pod")  http=:${HTTP[$pod]}  management=:${MGMT[$pod]}"; done
echo "Logs: $WORK/*.log, nginx access logs: $WORK/{lb,ingress-green,ingress-red}/logs/access.log"

# the seed's worst case: enter through green, ask for a word whose owner is in red
red_word=""
if [ "$PATTERN" != observer ]; then
  for word in $(tr -cs 'A-Za-z0-9_' '\n' < "$HERE/sample.txt" | tr 'A-Z' 'a-z' | sort -u); do
    owner=$(curl -s "$LB/state/instance/word-count/$word" | grep -o '"host":"[^"]*"' | head -1 | cut -d'"' -f4)
    case $owner in wc-2.*|wc-3.*) red_word=$word; break ;; esac
  done
  show "curl -s $LB/state/instance/word-count/$red_word"
fi
word=${red_word:-alice}
show "curl -s -i -H 'X-LB-Cluster: green' $LB/state/keyvalue/word-count/$word | grep -Ei '^(HTTP|x-iq)|^\\{'"
show "curl -s $LB/state/keyvalues/word-count/all | cut -c1-200"
show "curl -s $LB/state/instances | cut -c1-300"
echo
echo "The hops of that request in the nginx access logs:"
sleep 0.2   # nginx writes its access log line right after answering
for log in lb ingress-green ingress-red; do
  { grep "/$word " "$WORK/$log/logs/access.log" || true; } | tail -2 | sed 's/^/  /'
done

case $MODE in
  no-wait) exit 0 ;;                        # the EXIT trap stops everything
  detach) trap - INT TERM HUP EXIT; echo; echo "running; stop with: WORK=$WORK $0 stop"; exit 0 ;;
  wait) echo; echo "Running. Press Ctrl-C to stop everything."; while true; do sleep 3600 & SLEEPER=$!; wait $SLEEPER; done ;;
esac
