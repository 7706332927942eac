#!/usr/bin/env bash
# Connection cost: memory per idle connection and CPU per new TLS connection (see bench/conns.py).
# Env: IDLE (2000 idle connections), NEW (2000 short-lived connections per run), ROUNDS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./run.sh deps
BUILD=release ./run.sh build
work=$(mktemp -d /tmp/h2srv-conns.XXXXXX)
trap 'rm -rf "$work"' EXIT
# RSA-2048, as the figures other servers are quoted with; ECDSA P-256 beside it, against nginx.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/ec-key.pem" -out "$work/ec-cert.pem" 2>/dev/null
dpkg-query -W -f='${Status}' nginx-light 2>/dev/null | grep -q "install ok installed" || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
systemctl stop nginx 2>/dev/null || true
/usr/bin/python3 bench/conns.py "$ROOT/modules/h2srv.so" "$work/cert.pem" "$work/key.pem" "${IDLE:-2000}" "${NEW:-2000}" \
  "$work/ec-cert.pem" "$work/ec-key.pem"
