#!/usr/bin/env bash
# nginx configurations for the demo: one ingress per cluster (host-name routing, one server_name per pod, like
# ingress-nginx with one host rule per pod) and one load balancer in front of both ingresses.
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

# nginx_http_common NAME: temp paths, proxy defaults and the access log
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
                  'forwarded=\$iq_forwarded served_by=\$upstream_http_x_iq_served_by rt=\$request_time';
  access_log $dir/logs/access.log hops;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_connect_timeout 1s;
  proxy_read_timeout 10s;
CONF
}

# nginx_ingress NAME PORT DOMAIN APP_HOST "pod=port ..." : a cluster's ingress.
# One server per pod (pod.DOMAIN -> that pod only), plus the shared APP_HOST (default server) over all pods.
nginx_ingress() {
  local name=$1 port=$2 domain=$3 app_host=$4 pods=$5 pod p
  nginx_common "$name"
  echo "http {"
  nginx_http_common "$name"
  echo "  upstream app { "
  for pod in $pods; do echo "    server 127.0.0.1:${pod#*=};"; done
  echo "    keepalive 16;"
  echo "  }"
  echo "  server { listen 127.0.0.1:$port default_server; server_name $app_host;"
  echo "    location / { proxy_pass http://app; proxy_set_header Host \$host; } }"
  for pod in $pods; do
    p=${pod%%=*}
    echo "  upstream $p { server 127.0.0.1:${pod#*=}; keepalive 8; }"
    echo "  server { listen 127.0.0.1:$port; server_name $p.$domain;"
    echo "    location / { proxy_pass http://$p; proxy_set_header Host \$host; } }"
  done
  echo "}"
}

# nginx_lb NAME PORT APP_HOST GREEN_PORT RED_PORT: the load balancer in front of both clusters.
# Round robin over both ingresses; a request with "X-LB-Cluster: green|red" is pinned to that cluster (a header
# route, as a global load balancer's rule would do), which is what makes the tests deterministic. The Host header
# passes through, so "Host: wc-0.green.wordcount.test" reaches that pod (any other host reaches the app host).
# A cluster that fails or answers 502/503/504 is skipped for the next one (unpinned requests only).
nginx_lb() {
  local name=$1 port=$2 app_host=$3 green=$4 red=$5
  nginx_common "$name"
  cat <<CONF
http {
$(nginx_http_common "$name")
  upstream green { server 127.0.0.1:$green; keepalive 16; }
  upstream red   { server 127.0.0.1:$red;   keepalive 16; }
  upstream both  { server 127.0.0.1:$green; server 127.0.0.1:$red; keepalive 16; }
  map \$http_x_lb_cluster \$cluster { green green; red red; default both; }
  server { listen 127.0.0.1:$port default_server; server_name $app_host;
    location / { proxy_pass http://\$cluster; proxy_set_header Host \$host;
      proxy_next_upstream error timeout http_502 http_503 http_504; } }
}
CONF
}
