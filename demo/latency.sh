#!/usr/bin/env bash
# Client-side latency through the load balancer of a running demo (demo/run.sh PATTERN --detach), with wrk:
#   local hit          LB -> green ingress -> wc-0, a word wc-0 owns (answered from its own store)
#   cross-cluster hit  LB -> green ingress -> wc-0, a word a red instance owns (one hop to red)
# Host: wc-0.green.wordcount.test passes the LB and picks wc-0 on green's ingress; X-LB-Cluster pins green.
# Usage: demo/latency.sh [SECONDS] [CONNECTIONS...]   (defaults: 10, "1 16")
set -euo pipefail
WORK=${WORK:-${TMPDIR:-/tmp}/wordcount-iq-demo}
SECS=${1:-10}; shift || true
CONNS=${*:-1 16}
LB=$(grep '^LB_URL=' "$WORK/demo.env" | cut -d= -f2)
server() { grep "^$1.server=" "$WORK/demo.env" | cut -d= -f2; }

local_word="" red_word=""
for word in $(tr -cs 'A-Za-z0-9_' '\n' < "$(dirname "$0")/sample.txt" | tr '[:upper:]' '[:lower:]' | sort -u); do
  owner=$(curl -s "$LB/state/instance/word-count/$word" | sed -E 's/^\{"host":"([^"]*)","port":([0-9]*).*/\1:\2/')
  [ -z "$local_word" ] && [ "$owner" = "$(server wc-0)" ] && local_word=$word
  [ -z "$red_word" ] && { [ "$owner" = "$(server wc-2)" ] || [ "$owner" = "$(server wc-3)" ]; } && red_word=$word
  [ -n "$local_word" ] && [ -n "$red_word" ] && break
done

printf '%-18s %-10s %5s %10s %9s %9s %9s\n' case word conns req/s p50 p90 p99
for c in $CONNS; do
  for case in local cross; do
    word=$([ $case = local ] && echo "$local_word" || echo "$red_word")
    served=$(curl -s -D - -o /dev/null -H 'X-LB-Cluster: green' -H 'Host: wc-0.green.wordcount.test' \
      "$LB/state/keyvalue/word-count/$word" | grep -i '^x-iq-served-by' | tr -d '\r' | cut -d' ' -f2)
    out=$(wrk -t1 -c"$c" -d"${SECS}s" --latency -H 'X-LB-Cluster: green' -H 'Host: wc-0.green.wordcount.test' \
      "$LB/state/keyvalue/word-count/$word")
    rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
    pct() { echo "$out" | awk -v p="$1%" '$1 == p { print $2 }'; }
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    printf '%-18s %-10s %5s %10s %9s %9s %9s  served by %s %s\n' "$case-hit" "$word" "$c" "$rps" "$(pct 50)" "$(pct 90)" "$(pct 99)" \
      "$served" "${non2xx:+NON-2xx: $non2xx}"
  done
done
