#!/usr/bin/env bash
# Bench: h2srv gather vs drain vs nginx at 3 B, 16 KiB and 64 KiB, h2load -t1 -c100 -m32, one run;
# a markdown table, a JSON file and an SVG chart (gnuplot) in bench/results/.
# Env: RUNS (3), SCALE (request-count multiplier, 1), H2SRV_INI ("k=v ..." for every h2srv target),
#      TARGETS (gather,drain,nginx; an h2srv target may add INI: gather:h2srv.byte_cap=65536,
#      and name another build to compare with: gather@/tmp/old/modules/h2srv.so; a target ending
#      in +h2c serves cleartext HTTP/2 instead of TLS: gather+h2c, nginx+h2c; +h1 and +h1c load
#      HTTP/1.1 over TLS and cleartext with h2load --h1 -t1 -c100: gather+h1, nginx+h1c; h2o is
#      h2o 2.2 serving the same files; gather:static serves them from a static mount, without
#      PHP; gather:gzip (br, zstd) turns compression on for /json64k, see bench/compress.py).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./run.sh deps
for p in nginx-light h2o gnuplot-nox; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
done
systemctl stop nginx h2o 2>/dev/null || true
BUILD=release ./run.sh build
work=$(mktemp -d /tmp/h2srv-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# RSA-2048, as the figures other servers are quoted with.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p bench/results
out=bench/results/$(date +%Y%m%d-%H%M%S)
/usr/bin/python3 bench/bench.py "$ROOT/modules/h2srv.so" "$work/cert.pem" "$work/key.pem" "$work" "$out.json" | tee "$out.md"
/usr/bin/python3 bench/chart.py "$out.json" "$out.svg"
echo "results: $out.md $out.json $out.svg" >&2
