#!/usr/bin/env bash
# Framework bench: examples/symfony and examples/laravel under h2srv (request dispatch, 2 workers,
# opcache on) against the same apps under nginx + PHP-FPM (pm = static, 2 children, opcache on),
# HTTP/2 over TLS, one run; a markdown table and a JSON file in bench/results/.
# Env: RUNS (3), SCALE (request-count multiplier: 20,000 requests per run at 1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./run.sh deps
for p in nginx-light php8.2-fpm; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
done
systemctl stop nginx php8.2-fpm 2>/dev/null || true
BUILD=release ./run.sh build
work=$(mktemp -d /tmp/h2srv-fwbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p bench/results
out=bench/results/frameworks-$(date +%Y%m%d-%H%M%S)
/usr/bin/python3 bench/frameworks.py "$ROOT/modules/h2srv.so" "$work/cert.pem" "$work/key.pem" "$work" "$out.json" | tee "$out.md"
echo "results: $out.md $out.json" >&2
