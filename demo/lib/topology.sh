#!/usr/bin/env bash
# Names, ports and addresses of the demo's two clusters, sourced by demo/run.sh (after scripts/lib/cluster.sh).
# Reads PATTERN (north-south|east-west|observer), WORK and DEMO_PORT_BASE (default 18000); demo_env also reads PODS
# and INGEST_TOKEN.
# shellcheck disable=SC2034 # the names and ports below are used by demo/run.sh

BASE=${DEMO_PORT_BASE:-18000}
DOMAIN=wordcount.test                 # ingress host names: wc-N.<cluster>.wordcount.test
APP_HOST=app.$DOMAIN                  # the shared host of the whole app on every ingress
MCS_SUFFIX=wordcount-iq.wordcount.svc.clusterset.local   # <svc>.<namespace>.svc.clusterset.local
LB_PORT=$BASE
# North-south: the ingresses listen with TLS, and instances forward through them over HTTPS, checking the ingress
# certificate against the demo's throwaway CA (made at start, demo/lib/tls.sh). The other patterns stay plain HTTP:
# east-west hops go pod to pod, observers never forward. Clients always talk plain HTTP to the LB.
INGRESS_SCHEME=$( [ "$PATTERN" = north-south ] && echo https || echo http )
FORWARD_SCHEME=$INGRESS_SCHEME        # north-south advertises ingress addresses; the others plain HTTP addresses
TLS_DIR=$WORK/tls                     # ca.pem (FORWARD_TRUSTSTORE), ingress-<cluster>.pem/.key
declare -A INGRESS_PORT=([green]=$((BASE + 1)) [red]=$((BASE + 2)))
BROKER_PORT=$((BASE + 92)) CONTROLLER_PORT=$((BASE + 93))
WORDCOUNT=(wc-0 wc-1 wc-2 wc-3)
OBSERVERS=(obs-0 obs-1 obs-2 obs-3)   # two per cluster behind its ingress, as the kustomize Deployment's replicas
declare -A CLUSTER=([wc-0]=green [wc-1]=green [wc-2]=red [wc-3]=red [obs-0]=green [obs-1]=green [obs-2]=red [obs-3]=red)
declare -A HTTP MGMT
for i in 0 1 2 3; do HTTP[wc-$i]=$((BASE + 10 + i)); MGMT[wc-$i]=$((BASE + 20 + i)); done
for i in 0 1 2 3; do HTTP[obs-$i]=$((BASE + 30 + i)); MGMT[obs-$i]=$((BASE + 40 + i)); done

# advertised POD: the application.server of POD, i.e. the address by which OTHER instances reach it
advertised() {
  local pod=$1 cluster=${CLUSTER[$1]}
  case $PATTERN/$pod in
    north-south/*|observer/obs-*) echo "$pod.$cluster.$DOMAIN:${INGRESS_PORT[$cluster]}" ;;
    east-west/*) echo "$pod.$cluster.$MCS_SUFFIX:${HTTP[$pod]}" ;;
    observer/wc-*) echo "localhost:${HTTP[$pod]}" ;;    # internal only: nothing routes to it
  esac
}

# exposed CLUSTER: "pod=http_port ..." of the pods that CLUSTER's ingress routes to
exposed() {
  local cluster=$1 pod
  for pod in $( [ "$PATTERN" = observer ] && echo "${OBSERVERS[@]}" || echo "${WORDCOUNT[@]}" ); do
    [ "${CLUSTER[$pod]}" = "$cluster" ] && echo -n "$pod=${HTTP[$pod]} "
  done
}

# hosts_file: a hosts file where every pod's host names resolve to 127.0.0.1 (for the JVMs only; no /etc/hosts edit)
hosts_file() {
  local pod
  echo "127.0.0.1 localhost $(hostname)"
  for pod in "${WORDCOUNT[@]}" "${OBSERVERS[@]}"; do
    echo "127.0.0.1 $pod.${CLUSTER[$pod]}.$DOMAIN $pod.${CLUSTER[$pod]}.$MCS_SUFFIX"
  done
}

# demo_env: the settings of this run (demo.env, for tests and for the curious), properties-style; reads PODS and
# INGEST_TOKEN (demo.env holds it: tests POST /lines with it)
demo_env() {
  local pod
  echo "PATTERN=$PATTERN"; echo "WORK=$WORK"; echo "LB_URL=http://127.0.0.1:$LB_PORT"
  echo "INGRESS_GREEN_PORT=${INGRESS_PORT[green]}"; echo "INGRESS_RED_PORT=${INGRESS_PORT[red]}"
  echo "INGRESS_GREEN_LOG=$WORK/ingress-green/logs/access.log"; echo "INGRESS_RED_LOG=$WORK/ingress-red/logs/access.log"
  echo "LB_LOG=$WORK/lb/logs/access.log"; echo "PODS=${PODS[*]}"
  echo "INGRESS_SCHEME=$INGRESS_SCHEME"; echo "FORWARD_SCHEME=$FORWARD_SCHEME"; echo "INGEST_TOKEN=$INGEST_TOKEN"
  [ "$INGRESS_SCHEME" = http ] || echo "TLS_CA=$TLS_DIR/ca.pem"
  for pod in "${PODS[@]}"; do
    echo "$pod.cluster=${CLUSTER[$pod]}"; echo "$pod.http=${HTTP[$pod]}"; echo "$pod.management=${MGMT[$pod]}"
    echo "$pod.server=$(advertised "$pod")"
  done
}
