#!/usr/bin/env bash
# Throwaway TLS material for the demo's north-south pattern, made with openssl at every start under one folder of
# $WORK (nothing committed, nothing written elsewhere): a CA, and one server certificate per cluster ingress whose
# subjectAltNames list its host names. Keys are EC P-256, certificates valid for 2 days. openssl's messages go to
# DIR/openssl.log.

# tls_ca DIR: DIR/ca.key and the self-signed DIR/ca.pem (basicConstraints CA:TRUE), in a fresh DIR readable by us only
tls_ca() {
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir"; chmod 700 "$dir"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/O=wordcount-iq demo/CN=wordcount-iq demo CA $(date +%F_%T)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>> "$dir/openssl.log"
}

# tls_server DIR NAME HOST...: DIR/NAME.key and DIR/NAME.pem for the DNS names HOST... (subjectAltName; the CN is the
# first), issued by DIR/ca.pem for TLS servers only
tls_server() {
  local dir=$1 name=$2 san
  shift 2
  san=$(printf 'DNS:%s,' "$@")
  printf '%s\n' "subjectAltName=${san%,}" basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature \
    extendedKeyUsage=serverAuth > "$dir/$name.ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>> "$dir/openssl.log" || return 1
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAserial "$dir/ca.srl" \
    -CAcreateserial -days 2 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>> "$dir/openssl.log"
}
