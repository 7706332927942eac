#!/usr/bin/env bash
# CPU profile of the h2srv server during an h2load run (perf record -e cpu-clock; no hardware
# counters here). Usage: bench/profile.sh [/3|/16k|/64k] [requests]. Env: H2SRV_INI="k=v ...".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
path=${1:-/3}
n=${2:-300000}
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
BUILD=release ./run.sh build
work=$(mktemp -d /tmp/h2srv-prof.XXXXXX)
trap 'kill $srv 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$work/perf.data" "$KEEP"; rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
ini=()
for kv in ${H2SRV_INI:-}; do ini+=(-d "$kv"); done
H2SRV_LISTEN=127.0.0.1:18450 H2SRV_CERT=$work/cert.pem H2SRV_KEY=$work/key.pem \
  taskset -c 0 php -n -d extension="$ROOT/modules/h2srv.so" "${ini[@]}" bench/server.php >/dev/null &
srv=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/18450) 2>/dev/null && break; sleep 0.1; done
taskset -c 1 h2load -t 1 -c 100 -m 32 -n $((n / 5)) "https://127.0.0.1:18450$path" >/dev/null
perf record -q -e cpu-clock -F 2000 -p $srv -o "$work/perf.data" -- sleep 600 2>/dev/null &
rec=$!
sleep 0.5
taskset -c 1 h2load -t 1 -c 100 -m 32 -n "$n" "https://127.0.0.1:18450$path" | grep -E "^requests:"
kill -INT $rec; wait $rec 2>/dev/null || true
report() { perf report -q -i "$work/perf.data" --no-children --sort "$1" "${@:2}" 2>/dev/null | grep -v '^$'; }
# User-space share: samples outside the kernel, as the target figures are stated.
report sym --percent-limit 0 | awk '!/\[k\]/ {gsub("%","",$1); print}' > "$work/user.txt"
total=$(awk '{s+=$1} END {print s}' "$work/user.txt")
echo "user-space share of samples ($path):"
for f in _emalloc _efree zval_ptr_dtor zend_hash_str_find; do
  awk -v f="$f" -v t="$total" '$NF==f {s+=$1} END {printf "  %-20s %5.1f%%\n", f, (t ? s*100/t : 0)}' "$work/user.txt"
done
echo "top 15 symbols (all samples, kernel included):"
report dso,sym | head -15
