#!/usr/bin/env bash
# What the gateway adds to a model server's latency (issue 7): the local server (`./sentx serve`,
# its default JVM flags) in front of a fast local fake OpenAI-compatible upstream
# (bench/fake-upstream.mjs), against that upstream called directly, with every check on the
# path: API-key auth, the request window and stream slots, the balance hold, settlement, the usage
# record. Only the limits are raised (SENTX_REQUESTS_PER_MINUTE, SENTX_STREAMS_PER_KEY) and the demo
# balance made large, so that no request is refused.
#
#   bash bench/upstream-overhead.sh [requests=5000] [throughput_requests=40000]
#
# Prints, for each measurement, the upstream alone, through SentX, and the difference:
#   - latency p50/p99 of non-stream requests at concurrency 1 (added latency),
#   - time to the first byte of a stream at concurrency 1 (added first-byte latency),
#   - requests/s at concurrency 32, non-stream and stream,
#   - CPU time per request (user + system) of the server, the fake and the load generator during the
#     concurrency-32 runs, and the requests/s the server's own CPU time would allow on all cores
#     (cores / server CPU per request): what the server could serve with the machine to itself,
#   - the server's resident memory (RSS) and heap after the run.
# SENTX_JVM_OPTS replaces the server's JVM flags (default: the launcher's, -XX:+UseSerialGC).
# Each run is preceded by warm-up requests. Loopback only; Linux (reads /proc). Everything runs on
# this machine, so the load generator and the fake compete with the server for the same cores:
# read requests/s as a lower bound of what the server alone could do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
requests="${1:-5000}"
throughput_requests="${2:-40000}"
key="sk-benchKey_notASecret_0123456789abcdefghijklmn"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fake_log="$(mktemp)"
server_log="$(mktemp)"
fake_pid=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
  rm -f "$fake_log" "$server_log" "${cpu_file:-}"
}
trap cleanup EXIT

java_home="$(./sentx java-home)"
fake_port="$(free_port)"
node bench/fake-upstream.mjs "$fake_port" 16 >"$fake_log" 2>&1 &
fake_pid=$!
until grep -q listening "$fake_log"; do
  kill -0 "$fake_pid" 2>/dev/null || { cat "$fake_log"; exit 1; }
  sleep 0.05
done
fake="http://127.0.0.1:$fake_port"

port="$(free_port)"
SENTX_PORT="$port" SENTX_DEMO_API_KEY="$key" SENTX_DEMO_BALANCE_CENTS=1000000000000 \
  SENTX_REQUESTS_PER_MINUTE=1000000000 SENTX_STREAMS_PER_KEY=1000 \
  SENTX_UPSTREAM_URL="$fake/v1" SENTX_UPSTREAM_MODEL=fake-model ./sentx serve >"$server_log" 2>&1 &
server_pid=$!   # ./sentx serve execs the JVM: this is the server's pid
sentx="http://127.0.0.1:$port"
until curl -fs "$sentx/health" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$server_log"; exit 1; }
  sleep 0.05
done
grep -q "OpenAI-compatible upstream" "$server_log" || { echo "the server does not use the upstream"; exit 1; }

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
diff_ms() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.3f}')" "$1" "$2"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system CPU time, in clock ticks
hz="$(getconf CLK_TCK)"
cpu_file="$(mktemp)"
measure() { # name origin key requests concurrency stream warmup
  local out s0 f0
  s0="$(ticks "$server_pid")"
  f0="$(ticks "$fake_pid")"
  out="$(node bench/latency.mjs "$2" "$3" "$4" "$5" "$6" "$7")"
  # Per request, warm-up included (it ran in the same window). measure runs in $(...): via a file.
  echo "$(( ($(ticks "$server_pid") - s0) * 1000000 / hz / ($4 + $7) )) $(( ($(ticks "$fake_pid") - f0) * 1000000 / hz / ($4 + $7) ))" >"$cpu_file"
  echo "$1 $out" >&2
  printf '%s' "$out"
}
cpu_line() { # name gateway-json; the CPU times of the last measure
  local cpu_server_us cpu_fake_us
  read -r cpu_server_us cpu_fake_us <"$cpu_file"
  echo "$1 server_cpu_us=$cpu_server_us fake_cpu_us=$cpu_fake_us generator_cpu_us=$(field "$2" client_cpu_us_per_request) server_alone_rps_estimate=$(( $(nproc) * 1000000 / (cpu_server_us > 0 ? cpu_server_us : 1) ))"
}

echo "# upstream alone vs through SentX (every check on); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $("$java_home/bin/java" -version 2>&1 | head -1); JVM flags: ${SENTX_JVM_OPTS:-launcher default}"
direct="$(measure "direct c=1 json" "$fake" - "$requests" 1 false 2000)"
gateway="$(measure "sentx  c=1 json" "$sentx" "$key" "$requests" 1 false 10000)"
echo "latency_c1_json_p50_ms direct=$(field "$direct" p50_ms) sentx=$(field "$gateway" p50_ms) added=$(diff_ms "$(field "$gateway" p50_ms)" "$(field "$direct" p50_ms)")"
echo "latency_c1_json_p99_ms direct=$(field "$direct" p99_ms) sentx=$(field "$gateway" p99_ms) added=$(diff_ms "$(field "$gateway" p99_ms)" "$(field "$direct" p99_ms)")"

direct="$(measure "direct c=1 stream" "$fake" - "$requests" 1 true 2000)"
gateway="$(measure "sentx  c=1 stream" "$sentx" "$key" "$requests" 1 true 5000)"
echo "first_byte_c1_stream_p50_ms direct=$(field "$direct" first_byte_p50_ms) sentx=$(field "$gateway" first_byte_p50_ms) added=$(diff_ms "$(field "$gateway" first_byte_p50_ms)" "$(field "$direct" first_byte_p50_ms)")"
echo "first_byte_c1_stream_p99_ms direct=$(field "$direct" first_byte_p99_ms) sentx=$(field "$gateway" first_byte_p99_ms) added=$(diff_ms "$(field "$gateway" first_byte_p99_ms)" "$(field "$direct" first_byte_p99_ms)")"
echo "latency_c1_stream_p50_ms direct=$(field "$direct" p50_ms) sentx=$(field "$gateway" p50_ms) added=$(diff_ms "$(field "$gateway" p50_ms)" "$(field "$direct" p50_ms)")"

direct="$(measure "direct c=32 json" "$fake" - "$throughput_requests" 32 false 5000)"
gateway="$(measure "sentx  c=32 json" "$sentx" "$key" "$throughput_requests" 32 false 10000)"
echo "throughput_c32_json_rps direct=$(field "$direct" requests_per_second) sentx=$(field "$gateway" requests_per_second) sentx_p50_ms=$(field "$gateway" p50_ms) sentx_p99_ms=$(field "$gateway" p99_ms)"
cpu_line cpu_per_request_c32_json "$gateway"

direct="$(measure "direct c=32 stream" "$fake" - "$throughput_requests" 32 true 5000)"
gateway="$(measure "sentx  c=32 stream" "$sentx" "$key" "$throughput_requests" 32 true 10000)"
echo "throughput_c32_stream_rps direct=$(field "$direct" requests_per_second) sentx=$(field "$gateway" requests_per_second) sentx_p50_ms=$(field "$gateway" p50_ms) sentx_p99_ms=$(field "$gateway" p99_ms)"
cpu_line cpu_per_request_c32_stream "$gateway"

rss_mb="$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")"
heap="$("$java_home/bin/jcmd" "$server_pid" GC.heap_info 2>/dev/null \
  | awk '/total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) { if ($i == "total") t += $(i + 1); if ($i == "used") u += $(i + 1) } }
         END { if (t > 0) printf "committed=%.1fMB used=%.1fMB", t / 1024, u / 1024 }')"
echo "server_rss_mb=$rss_mb"
echo "server_heap ${heap:-unavailable (jcmd could not attach)}"
