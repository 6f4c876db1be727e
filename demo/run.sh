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
#   north-south  wc-N.<cluster>.wordcount.test:<that cluster's ingress port>   hops go through the other ingress, over
#                HTTPS (the ingresses listen with TLS; a throwaway CA in $WORK/tls; LB to ingress is HTTPS too)
#   east-west    wc-N.<cluster>.wordcount-iq.wordcount.svc.clusterset.local:<own port>   hops skip the ingress
#   observer     word-count instances are not exposed; two observers per cluster (APP_MODE=observer) behind the LB
# Ingresses and LB route reads only (/state/, /openapi.json, /ui/); POST /lines goes to wc-0 directly, with the run's
# random INGEST_TOKEN (in $WORK/demo.env). Clients talk plain HTTP to the LB.
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
# shellcheck source-path=SCRIPTDIR source=lib/tls.sh
source "$HERE/lib/tls.sh"

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
INGEST_TOKEN=$(random_secret)    # POST /lines needs "Authorization: Bearer $INGEST_TOKEN"
FORWARD_TLS=()
if [ "$INGRESS_SCHEME" = https ]; then
  echo "== TLS: a throwaway CA and one certificate per ingress in $TLS_DIR"
  tls_ca "$TLS_DIR" || fail "CA (see $TLS_DIR/openssl.log)"
  for cluster in green red; do
    tls_server "$TLS_DIR" "ingress-$cluster" "$APP_HOST" "*.$cluster.$DOMAIN" || fail "certificate of ingress-$cluster"
  done
  FORWARD_TLS=(FORWARD_TRUSTSTORE="$TLS_DIR/ca.pem")
fi

echo "== $PATTERN: starting Kafka on localhost:$BROKER_PORT"
start_broker "$BROKER_PORT" "$CONTROLLER_PORT" || fail "broker"

start_pod() {
  local pod=$1 mode=$2
  start_instance "$pod" "${HTTP[$pod]}" "${MGMT[$pod]}" KAFKA_BOOTSTRAP_SERVERS="localhost:$BROKER_PORT" \
    APP_MODE="$mode" CLUSTER_NAME="${CLUSTER[$pod]}" APPLICATION_SERVER="$(advertised "$pod")" NUM_STANDBY_REPLICAS=1 TOPIC_PARTITIONS=4 \
    FORWARD_SCHEME="$FORWARD_SCHEME" "${FORWARD_TLS[@]}" INGEST_TOKEN="$INGEST_TOKEN" \
    FORWARD_CONNECT_TIMEOUT_MS=500 FORWARD_TIMEOUT_MS=2000 REQUEST_TIMEOUT_MS=5000
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

echo "== starting ingress-green :${INGRESS_PORT[green]}, ingress-red :${INGRESS_PORT[red]} ($INGRESS_SCHEME), lb :$LB_PORT (http)"
tls() { [ "$INGRESS_SCHEME" = http ] || echo "$TLS_DIR/$1"; }    # tls FILE: $TLS_DIR/FILE under TLS, else nothing
for cluster in green red; do
  nginx_ingress "ingress-$cluster" "${INGRESS_PORT[$cluster]}" "$cluster.$DOMAIN" "$APP_HOST" "$(exposed "$cluster")" \
    "$(tls "ingress-$cluster")" > "$WORK/ingress-$cluster.conf"
  start_nginx "ingress-$cluster" "$WORK/ingress-$cluster.conf" || fail "ingress-$cluster"
done
nginx_lb lb "$LB_PORT" "$DOMAIN" "$APP_HOST" "${INGRESS_PORT[green]}" "${INGRESS_PORT[red]}" "$(tls ca.pem)" > "$WORK/lb.conf"
start_nginx lb "$WORK/lb.conf" || fail "lb"
for port in "${INGRESS_PORT[green]}" "${INGRESS_PORT[red]}" "$LB_PORT"; do wait_port "$port" 20 || fail "nginx :$port"; done

## Settings for tests and for the curious ###########################################################################
(umask 077 && demo_env > "$WORK/demo.env")    # holds the ingest token: readable by us only

## Load the sample text and wait until every word is counted ########################################################
expected_total=$(tr -cs 'A-Za-z0-9_' '\n' < "$HERE/sample.txt" | grep -c .)
echo "== loading demo/sample.txt ($expected_total words) via POST /lines on wc-0 (the producer; with the ingest token)"
curl -sf -X POST -H 'Content-Type: text/plain' -H "Authorization: Bearer $INGEST_TOKEN" --data-binary @"$HERE/sample.txt" \
  "http://127.0.0.1:${HTTP[wc-0]}/lines" > /dev/null || fail "POST /lines"
total() { sum_counts "http://127.0.0.1:$LB_PORT/state/keyvalues/word-count/all"; }
all_counted() { [ "$(total)" = "$expected_total" ]; }
wait_until 60 0.5 all_counted || fail "counts through the LB never summed to $expected_total (now: $(total))"
echo "   all $expected_total words counted and visible through the load balancer"

## Show it ##########################################################################################################
show() { echo; echo "\$ $*"; eval "$*" | sed 's/^/  /'; }
LB="http://127.0.0.1:$LB_PORT"
echo
echo "Load balancer:  $LB   (plain HTTP; add -H 'X-LB-Cluster: green' or red to pin a cluster; reads only)"
echo "Page:           $LB/ui/   (open in a browser: the instances by cluster, and key lookups with their hops)"
for cluster in green red; do
  echo "Ingress $cluster:  $INGRESS_SCHEME://127.0.0.1:${INGRESS_PORT[$cluster]}  hosts: $APP_HOST $(exposed "$cluster" | sed "s/=[0-9]*/.$cluster.$DOMAIN/g")"
  # A browser cannot set the ingress's Host header: the page of the cluster's first instance is its entry point here.
  for pod in "${PODS[@]}"; do
    if [ "${CLUSTER[$pod]}" = "$cluster" ]; then echo "Page $cluster:     http://127.0.0.1:${HTTP[$pod]}/ui/   ($pod)"; break; fi
  done
done
[ "$INGRESS_SCHEME" = http ] || echo "TLS: CA $TLS_DIR/ca.pem (FORWARD_TRUSTSTORE of every instance), ingress certificates $TLS_DIR/ingress-*.pem"
echo "Ingest: POST /lines to a word-count instance with -H \"Authorization: Bearer \$INGEST_TOKEN\" (token in $WORK/demo.env)"
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
show "curl -s -o /dev/null -w '%{http_code}\\n' -X POST --data-binary x $LB/lines   # reads only: nginx says 404"
if [ "$INGRESS_SCHEME" = https ]; then
  red=wc-2.red.$DOMAIN:${INGRESS_PORT[red]}
  show "curl -s -o /dev/null -w '%{http_code} %{ssl_verify_result}\\n' --cacert $TLS_DIR/ca.pem --resolve $red:127.0.0.1 https://$red/state/instances"
fi
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
