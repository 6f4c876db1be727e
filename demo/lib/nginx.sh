#!/usr/bin/env bash
# nginx configurations for the demo: one ingress per cluster (host-name routing, one server_name per pod, like
# ingress-nginx with one host rule per pod) and one load balancer in front of both ingresses.
# Both route reads only, like the Ingresses of kustomize/ (kustomize/README.md, "Security"): /state/ (prefix),
# /openapi.json (exact) and /ui/ (prefix); per-pod hosts /state/ only; anything else, POST /lines included, is
# answered 404 by nginx itself (access log: upstream=-).
# Each function prints a full nginx.conf whose pid, logs and temp files stay under $WORK/<name>.

# nginx_common NAME: the parts every nginx here shares
nginx_common() {
  local dir="$WORK/$1"
  cat <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
CONF
}

# nginx_http_common NAME: temp paths, proxy defaults and the access log (tls= the client side's TLS version, - if plain)
nginx_http_common() {
  local dir="$WORK/$1"
  cat <<CONF
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path       $dir/tmp/proxy;
  fastcgi_temp_path     $dir/tmp/fastcgi;
  uwsgi_temp_path       $dir/tmp/uwsgi;
  scgi_temp_path        $dir/tmp/scgi;
  # Was this request forwarded by another instance? (the service signs X-IQ-Forwarded; only its presence is logged)
  map \$http_x_iq_forwarded \$iq_forwarded { "" no; default yes; }
  log_format hops '\$time_iso8601 $1 host=\$host "\$request" status=\$status upstream=\$upstream_addr '
                  'forwarded=\$iq_forwarded tls=\$ssl_protocol served_by=\$upstream_http_x_iq_served_by rt=\$request_time';
  access_log $dir/logs/access.log hops;
  proxy_http_version 1.1;
  # Both headers on one level: a level that sets any proxy_set_header inherits none from the levels above, and
  # keep-alive to the upstreams needs Connection "".
  proxy_set_header Host \$host;
  proxy_set_header Connection "";
  proxy_connect_timeout 1s;
  proxy_read_timeout 10s;
CONF
}

# nginx_read_paths PROXY_PASS [state]: the locations of the read paths, each to PROXY_PASS (with "state": /state/
# only, as on the per-pod hosts), then a catch-all answered 404 by nginx
nginx_read_paths() {
  echo "    location /state/ { proxy_pass $1; }"
  if [ "${2:-}" != state ]; then
    echo "    location = /openapi.json { proxy_pass $1; }"
    echo "    location /ui/ { proxy_pass $1; }"
  fi
  echo "    location / { return 404; }"
}

# nginx_ingress NAME PORT DOMAIN APP_HOST "pod=port ..." [CERT]: a cluster's ingress.
# One server per pod (pod.DOMAIN -> that pod only, /state/), plus the shared APP_HOST (default server) over all pods.
# With CERT (a path without .pem/.key) it listens with TLS only, like an Ingress with tls.hosts; to the pods plain HTTP.
nginx_ingress() {
  local name=$1 port=$2 domain=$3 app_host=$4 pods=$5 cert=${6:-} pod p listen
  listen="listen 127.0.0.1:$port${cert:+ ssl}"
  nginx_common "$name"
  echo "http {"
  nginx_http_common "$name"
  if [ -n "$cert" ]; then
    echo "  ssl_certificate $cert.pem; ssl_certificate_key $cert.key; ssl_protocols TLSv1.2 TLSv1.3;"
    echo "  ssl_session_cache shared:$name:1m;"
  fi
  echo "  upstream app { "
  for pod in $pods; do echo "    server 127.0.0.1:${pod#*=};"; done
  echo "    keepalive 16;"
  echo "  }"
  echo "  server { $listen default_server; server_name $app_host;"
  nginx_read_paths http://app
  echo "  }"
  for pod in $pods; do
    p=${pod%%=*}
    echo "  upstream $p { server 127.0.0.1:${pod#*=}; keepalive 8; }"
    echo "  server { $listen; server_name $p.$domain;"
    nginx_read_paths "http://$p" state
    echo "  }"
  done
  echo "}"
}

# nginx_lb NAME PORT DOMAIN APP_HOST GREEN_PORT RED_PORT [CA]: the load balancer in front of both clusters.
# Clients talk plain HTTP to it. Round robin over both ingresses; a pod's host (wc-0.green.DOMAIN) goes to its own
# cluster, as its DNS name would; else "X-LB-Cluster: green|red" pins a cluster (a header route, as a global load
# balancer's rule would do), which is what makes the tests deterministic. The ingresses get a host they serve: a pod's
# host passes, any other (e.g. 127.0.0.1) becomes APP_HOST. With CA (the ingresses listen with TLS) it talks HTTPS to
# them, sends that host as SNI and checks their certificates against CA. A cluster that fails or answers 502/503/504
# is skipped for the next one (unpinned requests only).
nginx_lb() {
  local name=$1 port=$2 domain=$3 app_host=$4 green=$5 red=$6 ca=${7:-} re
  re=$(printf '%s' "$domain" | sed 's/\./\\./g')
  nginx_common "$name"
  cat <<CONF
http {
$(nginx_http_common "$name")
  upstream green { server 127.0.0.1:$green; keepalive 16; }
  upstream red   { server 127.0.0.1:$red;   keepalive 16; }
  upstream both  { server 127.0.0.1:$green; server 127.0.0.1:$red; keepalive 16; }
  map \$host \$ingress_host { ~^[a-z0-9-]+\.(green|red)\.$re\$ \$host; default $app_host; }
  map \$ingress_host/\$http_x_lb_cluster \$cluster {
    ~\.green\.$re/ green; ~\.red\.$re/ red; ~/green\$ green; ~/red\$ red; default both; }
  server { listen 127.0.0.1:$port default_server; server_name $app_host;
    proxy_set_header Host \$ingress_host;
    proxy_set_header Connection "";
    proxy_next_upstream error timeout http_502 http_503 http_504;
    # Only a quick failure is tried on the other cluster: a 503 that came after an instance spent the request's
    # deadline is the answer, not a reason to spend a second deadline.
    proxy_next_upstream_timeout 1s;
$( [ -z "$ca" ] || cat <<TLS
    proxy_ssl_verify on; proxy_ssl_trusted_certificate $ca; proxy_ssl_verify_depth 2;
    proxy_ssl_server_name on; proxy_ssl_name \$ingress_host; proxy_ssl_protocols TLSv1.2 TLSv1.3;
TLS
)
$(nginx_read_paths "$( [ -z "$ca" ] && echo http || echo https )://\$cluster")
  }
}
CONF
}
