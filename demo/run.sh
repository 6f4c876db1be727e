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
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/cluster.sh
source "$HERE/../scripts/lib/cluster.sh"
# shellcheck source-path=SCRIPTDIR source=lib/nginx.sh
source "$HERE/lib/nginx.sh"
# shellcheck source-path=SCRIPTDIR source=lib/topology.sh
source "$HERE/lib/topology.sh"     # names, ports, advertised addresses of PATTERN

if [ "$MODE" = stop ]; then stop_all || true; echo "stopped everything recorded in $WORK/pids"; exit 0; fi

## Lifecycle ########################################################################################################
any_alive() { local pid _; while read -r pid _; do kill -0 "$pid" 2>/dev/null && return 0; done < "$WORK/pids"; return 1; }
if [ -s "$WORK/pids" ] && any_alive; then
  echo "a demo is already running under $WORK; stop it with: WORK=$WORK $0 stop" >&2; exit 1
fi
if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -f "$WORK/.wordcount-iq-demo" ]; then
  echo "$WORK is not empty and not a demo folder; set WORK to another folder" >&2; exit 1
fi
rm -rf "$WORK"; mkdir -p "$WORK"; touch "$WORK/.wordcount-iq-demo"    # fresh state dirs every run

trap_cleanup verbose             # a --detach run clears it (untrap_cleanup) once everything is up
exec < /dev/null                 # the background JVMs and nginx never read the terminal
fail() { echo "FAILED: $*" >&2; echo "logs: $WORK" >&2; exit 1; }

ensure_built || fail "build"

hosts_file > "$WORK/hosts"       # the demo's host names resolve to 127.0.0.1 inside the JVMs only
JAVA_OPTS="-Xmx${JAVA_HEAP:-384m} -XX:+UseSerialGC -Djdk.net.hosts.file=$WORK/hosts"
export JAVA_OPTS

echo "== $PATTERN: starting Kafka on localhost:$BROKER_PORT"
start_broker "$BROKER_PORT" "$CONTROLLER_PORT" || fail "broker"

start_pod() {
  local pod=$1 mode=$2
  start_instance "$pod" "${HTTP[$pod]}" "${MGMT[$pod]}" KAFKA_BOOTSTRAP_SERVERS="localhost:$BROKER_PORT" \
    APP_MODE="$mode" CLUSTER_NAME="${CLUSTER[$pod]}" APPLICATION_SERVER="$(advertised "$pod")" NUM_STANDBY_REPLICAS=1 TOPIC_PARTITIONS=4 \
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
demo_env > "$WORK/demo.env"

## Load the sample text and wait until every word is counted ########################################################
expected_total=$(tr -cs 'A-Za-z0-9_' '\n' < "$HERE/sample.txt" | grep -c .)
echo "== loading demo/sample.txt ($expected_total words) via POST /lines on wc-0 (the producer)"
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary @"$HERE/sample.txt" \
  "http://127.0.0.1:${HTTP[wc-0]}/lines" > /dev/null || fail "POST /lines"
total() { sum_counts "http://127.0.0.1:$LB_PORT/state/keyvalues/word-count/all"; }
all_counted() { [ "$(total)" = "$expected_total" ]; }
wait_until 60 0.5 all_counted || fail "counts through the LB never summed to $expected_total (now: $(total))"
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
  for word in $(tr -cs 'A-Za-z0-9_' '\n' < "$HERE/sample.txt" | tr '[:upper:]' '[:lower:]' | sort -u); do
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
  detach) untrap_cleanup; echo; echo "running; stop with: WORK=$WORK $0 stop"; exit 0 ;;
  wait) echo; echo "Running. Press Ctrl-C to stop everything."; while true; do sleep 3600 & BG_PIDS=("$!"); wait "$!"; done ;;
esac
