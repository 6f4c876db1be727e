#!/usr/bin/env bash
# Two "clusters" (green, red) and a Kafka host, each in its own network namespace, joined by a router namespace that
# delays green<->red packets (tundelay.c, a TUN device and policy routing: the kernel here has no netem) and can
# partition them (nftables DROP). Green<->kafka and red<->kafka are routed without delay. Nothing is added to the
# host's own namespace: no address, route, sysctl or nft rule; only the namespaces below and a build folder.
#
# Usage (as root):
#   clusters.sh up [DELAY_MS]   tear down any previous setup of this prefix, then build it all (default delay 10 ms);
#                               prints the addresses below on stdout in sourceable form
#   clusters.sh down            stop tundelay and every process left in the namespaces, delete the namespaces;
#                               succeeds when there is nothing to delete
#   clusters.sh delay MS        change the one-way green<->red delay (a decimal; 0 = none), RTT = 2 x MS
#   clusters.sh partition       drop every packet between the green and red subnets, both ways (no reject)
#   clusters.sh heal            undo partition
#   clusters.sh status          what exists now, and tundelay's counters
#   clusters.sh env             the sourceable addresses only
#   clusters.sh exec NS CMD...  run CMD inside NS (green, red, kafka, net, or a full namespace name)
#
# Names and addresses (fixed; the environment may override):
#   WCIQ_NETNS_PREFIX (wciq)     namespaces $P-net (router), $P-green, $P-red, $P-kafka
#   WCIQ_NETNS_BASE (10.213)     green 10.213.1.0/24, red 10.213.2.0/24, kafka 10.213.3.0/24; the router is .1 on each
#   WCIQ_NETNS_HOSTS (4)         green and red get .10, .11, ... (one per instance), kafka gets .10
#   WCIQ_NETNS_DIR               build folder: tundelay binary, pid, control file and log (default ${TMPDIR:-/tmp}/$P-netns)
# Inside a leaf namespace the interface is eth0 (default route via .1). Inside $P-net: v-green, v-red, v-kafka and
# the TUN device wciq-tun; green->red and red->green packets are sent to wciq-tun by rules that look up table 213,
# tundelay writes them back after the delay, and the main table forwards them on. The root namespace cannot reach
# these addresses: run clients inside a namespace (exec, or TwoNetworks.command in the tests).
set -euo pipefail

P=${WCIQ_NETNS_PREFIX:-wciq}
BASE=${WCIQ_NETNS_BASE:-10.213}
HOSTS=${WCIQ_NETNS_HOSTS:-4}
DIR=${WCIQ_NETNS_DIR:-${TMPDIR:-/tmp}/$P-netns}
NS_NET=$P-net NS_GREEN=$P-green NS_RED=$P-red NS_KAFKA=$P-kafka
GREEN_NET=$BASE.1.0/24 RED_NET=$BASE.2.0/24 KAFKA_NET=$BASE.3.0/24
TUN=wciq-tun TABLE=213 NFT_TABLE=wciq
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tundelay.c
BIN=$DIR/tundelay PIDFILE=$DIR/tundelay.pid CONTROL=$DIR/delay_ms LOG=$DIR/tundelay.log

[[ $P =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || { echo "clusters.sh: bad WCIQ_NETNS_PREFIX '$P'" >&2; exit 2; }

say() { echo "clusters.sh: $*" >&2; }
die() { say "$*"; exit 1; }
ips() { local i out=""; for ((i = 0; i < HOSTS; i++)); do out+="${out:+ }$BASE.$1.$((10 + i))"; done; echo "$out"; }
ns_exists() { [ -e "/run/netns/$1" ]; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

print_env() {
  cat <<EOF
WCIQ_NETNS_PREFIX=$P
NS_NET=$NS_NET
NS_GREEN=$NS_GREEN
NS_RED=$NS_RED
NS_KAFKA=$NS_KAFKA
GREEN_IPS="$(ips 1)"
RED_IPS="$(ips 2)"
KAFKA_IP=$BASE.3.10
DELAY_MS=$(cat "$CONTROL" 2> /dev/null || echo 0)
EOF
}

require_root_and_tools() {
  [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, veth, TUN, nftables); uid is $(id -u)"
  local t missing=()
  for t in ip nft gcc; do command -v "$t" > /dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install -y iproute2 nftables gcc"
  [ -c /dev/net/tun ] || die "/dev/net/tun is missing: this machine cannot create TUN devices"
}

# tundelay_pid: the pid of our running tundelay, or nothing
tundelay_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2> /dev/null) || return 0
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = tundelay ] && echo "$pid"
  return 0
}

# stop_pids_in NS: TERM, then KILL after 5 s, every process still inside namespace NS (never this shell)
stop_pids_in() {
  local pids pid i
  pids=$(ip netns pids "$1" 2> /dev/null | grep -vx "$$" || true)
  [ -n "$pids" ] || return 0
  for pid in $pids; do say "down: stopping pid $pid in $1: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | cut -c1-100)"; done
  kill -TERM $pids 2> /dev/null || true
  for ((i = 0; i < 50; i++)); do
    pids=$(ip netns pids "$1" 2> /dev/null | grep -vx "$$" || true)
    [ -n "$pids" ] || return 0
    sleep 0.1
  done
  kill -KILL $pids 2> /dev/null || true
  sleep 0.2
}

cmd_down() {
  [ "$(id -u)" = 0 ] || die "must run as root; uid is $(id -u)"
  local pid ns
  pid=$(tundelay_pid)
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2> /dev/null || true
  fi
  rm -f "$PIDFILE" "$CONTROL" # the binary and tundelay.log stay in $DIR for a look after a failure
  for ns in "$NS_GREEN" "$NS_RED" "$NS_KAFKA" "$NS_NET"; do
    ns_exists "$ns" || continue
    stop_pids_in "$ns"
    # The router's own objects first (nft table and TUN die with the namespace anyway; this is belt and braces).
    if [ "$ns" = "$NS_NET" ]; then
      in_ns "$ns" nft delete table inet $NFT_TABLE 2> /dev/null || true
      ip -n "$ns" link del $TUN 2> /dev/null || true
    fi
    ip netns del "$ns" || die "cannot delete namespace $ns"
  done
  return 0
}

# leaf NS SUBNET_OCTET PEER_IF: namespace NS joined to the router by veth PEER_IF (router side) / eth0 (NS side)
leaf() {
  local ns=$1 n=$2 veth=$3 i
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$NS_NET" link add "$veth" type veth peer name eth0 netns "$ns"
  ip -n "$NS_NET" addr add "$BASE.$n.1/24" dev "$veth"
  ip -n "$NS_NET" link set "$veth" mtu 1500 up
  local count=$HOSTS
  [ "$ns" = "$NS_KAFKA" ] && count=1
  for ((i = 0; i < count; i++)); do ip -n "$ns" addr add "$BASE.$n.$((10 + i))/24" dev eth0; done
  ip -n "$ns" link set eth0 mtu 1500 up
  ip -n "$ns" route add default via "$BASE.$n.1"
}

cmd_up() {
  local delay=${1:-${WCIQ_NETNS_DELAY_MS:-10}}
  [[ $delay =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad delay '$delay' (milliseconds, e.g. 10 or 0.5)"
  require_root_and_tools
  if ns_exists "$NS_NET" || ns_exists "$NS_GREEN" || ns_exists "$NS_RED" || ns_exists "$NS_KAFKA" || [ -n "$(tundelay_pid)" ]; then
    say "up: removing the previous setup of prefix $P first"
    cmd_down
  fi
  mkdir -p "$DIR"
  # From here on a failure tears down whatever was made.
  trap 'rc=$?; if [ $rc -ne 0 ]; then say "up failed (exit $rc), tearing down"; cmd_down || true; fi' EXIT
  gcc -O2 -Wall -o "$BIN.tmp" "$SRC" || die "cannot compile $SRC"
  mv -f "$BIN.tmp" "$BIN"

  ip netns add "$NS_NET"
  ip -n "$NS_NET" link set lo up
  in_ns "$NS_NET" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0
  leaf "$NS_GREEN" 1 v-green
  leaf "$NS_RED" 2 v-red
  leaf "$NS_KAFKA" 3 v-kafka

  # The delay: a persistent TUN device that tundelay attaches to.
  ip -n "$NS_NET" tuntap add dev $TUN mode tun || die "cannot create TUN device $TUN in $NS_NET"
  in_ns "$NS_NET" sysctl -qw "net.ipv4.conf.$TUN.rp_filter=0"
  in_ns "$NS_NET" sysctl -qw "net.ipv6.conf.$TUN.disable_ipv6=1" 2> /dev/null || true # no IPv6 chatter into tundelay
  echo "$delay" > "$CONTROL"
  : > "$LOG"
  in_ns "$NS_NET" setsid "$BIN" -f "$CONTROL" $TUN "$delay" < /dev/null >> "$LOG" 2>&1 &
  local starter=$! i pid
  for ((i = 0; i < 100; i++)); do
    grep -q 'tundelay: ready' "$LOG" && break
    grep -q 'tundelay: cannot' "$LOG" && break
    sleep 0.05
  done
  grep -q 'tundelay: ready' "$LOG" || die "tundelay did not start: $(cat "$LOG")"
  # setsid may have forked: the pid is that of the tundelay process inside the router namespace.
  for pid in $(ip netns pids "$NS_NET"); do
    if [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = tundelay ]; then echo "$pid" > "$PIDFILE"; fi
  done
  [ -n "$(tundelay_pid)" ] || die "no tundelay process in $NS_NET (started as pid $starter): $(cat "$LOG")"
  ip -n "$NS_NET" link set $TUN mtu 1500 txqueuelen 10000 up
  ip -n "$NS_NET" route add default dev $TUN table $TABLE
  ip -n "$NS_NET" rule add pref 1000 iif v-green to "$RED_NET" lookup $TABLE
  ip -n "$NS_NET" rule add pref 1001 iif v-red to "$GREEN_NET" lookup $TABLE
  trap - EXIT
  say "up: green $GREEN_NET, red $RED_NET, kafka $KAFKA_NET, green<->red one-way delay ${delay} ms"
  print_env
}

cmd_delay() {
  local ms=${1:?usage: clusters.sh delay MS}
  [[ $ms =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad delay '$ms' (milliseconds, e.g. 10 or 0.5)"
  local pid before
  pid=$(tundelay_pid)
  [ -n "$pid" ] || die "tundelay is not running: run 'clusters.sh up' first"
  before=$(grep -c 'delay now' "$LOG" || true)
  echo "$ms" > "$CONTROL"
  kill -HUP "$pid"
  for _ in $(seq 100); do
    [ "$(grep -c 'delay now' "$LOG" || true)" -gt "$before" ] && { say "delay: $(grep 'delay now' "$LOG" | tail -1)"; return 0; }
    sleep 0.02
  done
  die "tundelay did not confirm the new delay: $(tail -3 "$LOG")"
}

cmd_partition() {
  ns_exists "$NS_NET" || die "$NS_NET does not exist: run 'clusters.sh up' first"
  # Declare, delete and re-create in one transaction: idempotent.
  in_ns "$NS_NET" nft -f - <<EOF
table inet $NFT_TABLE {}
delete table inet $NFT_TABLE
table inet $NFT_TABLE {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr $GREEN_NET ip daddr $RED_NET drop
    ip saddr $RED_NET ip daddr $GREEN_NET drop
  }
}
EOF
  say "partition: green <-/-> red"
}

cmd_heal() {
  ns_exists "$NS_NET" || die "$NS_NET does not exist: run 'clusters.sh up' first"
  in_ns "$NS_NET" nft -f - <<EOF
table inet $NFT_TABLE {}
delete table inet $NFT_TABLE
EOF
  say "heal: green <-> red"
}

cmd_status() {
  local ns pid
  for ns in "$NS_NET" "$NS_GREEN" "$NS_RED" "$NS_KAFKA"; do
    if ns_exists "$ns"; then echo "namespace $ns: $(ip -n "$ns" -br -4 addr | grep -v '^lo' | tr -s ' ' | tr '\n' ';')"; else echo "namespace $ns: absent"; fi
  done
  pid=$(tundelay_pid)
  if [ -n "$pid" ]; then
    kill -USR1 "$pid"; sleep 0.1
    echo "tundelay pid $pid: $(grep 'in=' "$LOG" | tail -1)"
  else
    echo "tundelay: not running"
  fi
  if ns_exists "$NS_NET" && in_ns "$NS_NET" nft list table inet $NFT_TABLE > /dev/null 2>&1; then echo "partitioned: yes"; else echo "partitioned: no"; fi
}

cmd_exec() {
  local ns=${1:?usage: clusters.sh exec NS CMD...}
  shift
  case $ns in green | red | kafka | net) ns=$P-$ns ;; esac
  ns_exists "$ns" || die "namespace $ns does not exist"
  exec ip netns exec "$ns" "$@"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  delay) shift; cmd_delay "$@" ;;
  partition) cmd_partition ;;
  heal) cmd_heal ;;
  status) cmd_status ;;
  env) print_env ;;
  exec) shift; cmd_exec "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
