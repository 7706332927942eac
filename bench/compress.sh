#!/usr/bin/env bash
# Compression bench: a 64 KiB JSON body coded by h2srv (gzip, br, zstd at their default levels)
# and by nginx's gzip at the same level, one run; a markdown table and a JSON file in bench/results/.
# Env: RUNS (3), SCALE (request-count multiplier: 20,000 requests per run at 1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./run.sh deps
dpkg-query -W -f='${Status}' nginx-light 2>/dev/null | grep -q "install ok installed" || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
systemctl stop nginx 2>/dev/null || true
BUILD=release ./run.sh build
work=$(mktemp -d /tmp/h2srv-czbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p bench/results
out=bench/results/compress-$(date +%Y%m%d-%H%M%S)
/usr/bin/python3 bench/compress.py "$ROOT/modules/h2srv.so" "$work/cert.pem" "$work/key.pem" "$work" "$out.json" | tee "$out.md"
echo "results: $out.md $out.json" >&2
