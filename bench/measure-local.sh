#!/usr/bin/env bash
# Measures the local server as a newcomer runs it: time from `./sentx serve` to a healthy
# /health (including a rebuild when sources changed), resident memory idle, and resident memory after 10,000 chat completions
# (bench/load.mjs, concurrency 16, every check on). Linux only (reads /proc). Loopback only.
#   bash bench/measure-local.sh [requests=10000] [concurrency=16]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
requests="${1:-10000}"
concurrency="${2:-16}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
key="sk-benchKey_notASecret_0123456789abcdefghijklmn"
log="$(mktemp)"

./sentx java-home >/dev/null

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

t0=$(date +%s%N)
SENTX_PORT="$port" SENTX_DEMO_API_KEY="$key" SENTX_DEMO_BALANCE_CENTS=100000000 \
  SENTX_REQUESTS_PER_MINUTE=100000000 ./sentx serve >"$log" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true; rm -f "$log"' EXIT
until curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$launcher" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.02
done
t1=$(date +%s%N)
pid="$launcher"   # ./sentx serve execs the JVM, so the launcher's pid is the server's
sleep 2
echo "start_to_healthy_ms=$(( (t1 - t0) / 1000000 ))"
echo "rss_idle_mb=$(rss_mb "$pid")"
node bench/load.mjs "http://127.0.0.1:$port" "$key" "$requests" "$concurrency"
echo "rss_after_${requests}_requests_mb=$(rss_mb "$pid")"
