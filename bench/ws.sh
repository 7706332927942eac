#!/usr/bin/env bash
# WebSocket echo bench: h2srv (one process; HTTP/2 RFC 8441 streams, and HTTP/1.1) against Node's
# ws over HTTP/1.1, 64-byte text messages, server CPU per message; a markdown table and a JSON
# file in bench/results/. Env: RUNS (3), SECONDS (5), SOCKETS (100), INFLIGHT (16), DISPATCH
# (request: h2srv as a reactor and a worker).
set -euo pipefail
cd "$(dirname "$0")/.."
./run.sh deps
BUILD=release ./run.sh build
mkdir -p bench/results
out=bench/results/ws-$(date +%Y%m%d-%H%M%S)
/usr/bin/python3 bench/ws.py "$PWD/modules/h2srv.so" "$out.json" | tee "$out.md"
echo "results: $out.md $out.json" >&2
