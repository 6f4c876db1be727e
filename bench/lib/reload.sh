#!/usr/bin/env bash
# Route reloads for bench/soak.sh --reload (sourced by it, after scripts/lib/cluster.sh): per-instance route folders
# laid out like a mounted ConfigMap, the two ways of replacing key-query.camel.yaml, and the background reload driver.
# Uses soak.sh's RELOADS, DURATION, LOAD_START_MS and RELOAD_LOG, and $WORK/keys-local-iN.txt.

# --- route folders, ConfigMap layout: x.yaml -> ..data/x.yaml, ..data -> ..v0 -------------------------------------
# setup_routes DIR: a route folder DIR holding a copy of routes/*.yaml in the ConfigMap layout
setup_routes() {
  local dir=$1 f
  mkdir -p "$dir/..v0"
  cp "$WCIQ_HOME"/routes/*.yaml "$dir/..v0/"
  ln -s ..v0 "$dir/..data"
  for f in "$dir"/..v0/*.yaml; do ln -s "..data/$(basename "$f")" "$dir/$(basename "$f")"; done
}
# versioned_key_query VERSION: the key-query route plus one trivial, real step at its end: a header naming VERSION
versioned_key_query() {
  cat "$WCIQ_HOME/routes/key-query.camel.yaml"
  cat <<YAML
        - setHeader:
            name: X-IQ-Route-Version
            constant: "$1"
YAML
}
# current_version_dir DIR: the ..vN folder that DIR/..data points to
current_version_dir() { readlink "$1/..data"; }
# reload_mv DIR VERSION: atomic mv: a temp file in DIR renamed over key-query.camel.yaml (which then is a regular file)
reload_mv() {
  local dir=$1
  versioned_key_query "$2" > "$dir/.key-query.camel.yaml.tmp"
  mv -f -T "$dir/.key-query.camel.yaml.tmp" "$dir/key-query.camel.yaml"
}
# reload_swap DIR VERSION: ConfigMap swap: a new ..vN folder with every file, a ..data_tmp link to it, renamed over
# ..data (as the kubelet does). After an mv, key-query.camel.yaml is a regular file: first put the symlink back without
# changing the content (a ..data holding the current content, then the link renamed over the file), so only the swap
# changes the route.
reload_swap() {
  local dir=$1 v=$2 old new
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

# --- reload driver (background): round robin over the instances, mv and ..data swap alternating ----------------------
# verify_active INSTANCE VERSION METHOD T0_MS: polls the instance's own key (no other instance's header can leak in)
# until it answers with X-IQ-Route-Version: VERSION; gives up after 40 s (beyond Camel's 30 s graceful-stop timeout).
# One row to $RELOAD_LOG: version instance method t0_ms active_ms (- if never).
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
# reload_driver: RELOADS replacements per instance spread over 10%..85% of the load; waits until each is verified
reload_driver() {
  local vpids=() steps=$((RELOADS * 3)) first=$((DURATION / 10 + 2)) last=$((DURATION * 85 / 100)) k i method v t0
  local spacing_ms=$(( (last - first) * 1000 / (steps > 1 ? steps - 1 : 1) ))
  for k in $(seq 0 $((steps - 1))); do
    local due=$((LOAD_START_MS + first * 1000 + k * spacing_ms)) now
    now=$(now_ms); [ "$now" -lt "$due" ] && sleep "$(awk -v d=$((due - now)) 'BEGIN { printf "%.3f", d / 1000 }')"
    i=$((k % 3 + 1)); v="r$((k + 1))"
    if [ $((k % 2)) -eq 0 ]; then method="mv"; else method="swap"; fi
    t0=$(now_ms)
    if [ $method = mv ]; then reload_mv "$WORK/routes-i$i" "$v"; else reload_swap "$WORK/routes-i$i" "$v"; fi
    verify_active "$i" "$v" "$method" "$t0" & vpids+=("$!")
  done
  wait "${vpids[@]}"
}
