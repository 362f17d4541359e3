#!/usr/bin/env bash
# What the gateway adds to a model server's latency (issue 7): the local server (`./sentx serve`,
# its default JVM flags) in front of a fast local fake OpenAI-compatible upstream
# (bench/FakeUpstream.java, or bench/fake-upstream.mjs), against that upstream called directly, with
# every check on the path: API-key auth, the request window and stream slots, the balance hold,
# settlement, the usage record. Only the limits are raised (SENTX_REQUESTS_PER_MINUTE,
# SENTX_STREAMS_PER_KEY) and the demo balance made large, so that no request is refused.
#
#   bash bench/upstream-overhead.sh [requests=5000] [throughput_requests=40000] [throughput_seconds=10]
#
# Prints, for each measurement, the upstream alone, through SentX, and the difference:
#   - latency p50/p99 of non-stream requests at concurrency 1 (added latency; bench/latency.mjs,
#     `requests` requests),
#   - time to the first byte of a stream at concurrency 1 (added first-byte latency; latency.mjs),
#   - requests/s and latency p50/p99 at concurrency 32, non-stream and stream (wrk for
#     `throughput_seconds` after a warm-up; latency.mjs for `throughput_requests` without wrk),
#   - CPU time per request (user + system) of the server, the fake and the load generator during the
#     concurrency-32 runs, and the requests/s the server's own CPU time would allow on all cores
#     (cores / server CPU per request): what the server could serve with the machine to itself,
#   - the server's resident memory (RSS) and heap after the run.
# A concurrency-32 run that gets any error status (>= 400) or socket error fails the script.
# Environment:
#   SENTX_JVM_OPTS           replaces the server's JVM flags (default: the launcher's, -XX:+UseSerialGC)
#   SENTX_BENCH_FAKE         java (default: bench/FakeUpstream.java, ~10-15 us of CPU per request)
#                            or node (bench/fake-upstream.mjs, ~50-100 us: the numbers before wrk)
#   SENTX_BENCH_LOAD         wrk (default, if installed) or node (bench/latency.mjs) for concurrency 32
#   SENTX_BENCH_WRK_THREADS  wrk's threads (default 1: on 2 cores, one thread leaves the server more)
# Each run is preceded by warm-up requests. Loopback only; Linux (reads /proc). Everything runs on
# this machine, so the load generator and the fake compete with the server for the same cores:
# read requests/s as a lower bound of what the server alone could do.
set -euo pipefail
shopt -s inherit_errexit # a failed run inside $(...) stops the script too
cd "$(dirname "${BASH_SOURCE[0]}")/.."
requests="${1:-5000}"
throughput_requests="${2:-40000}"
throughput_seconds="${3:-10}"
fake_kind="${SENTX_BENCH_FAKE:-java}"
load_tool="${SENTX_BENCH_LOAD:-wrk}"
wrk_threads="${SENTX_BENCH_WRK_THREADS:-1}"
case "$fake_kind" in java | node) ;; *) echo "SENTX_BENCH_FAKE must be java or node" >&2; exit 2 ;; esac
case "$load_tool" in wrk | node) ;; *) echo "SENTX_BENCH_LOAD must be wrk or node" >&2; exit 2 ;; esac
if [ "$load_tool" = wrk ] && ! command -v wrk >/dev/null 2>&1; then
  echo "# wrk not found (Debian/Ubuntu: sudo apt-get install wrk): the concurrency-32 runs fall back to" \
    "bench/latency.mjs, which costs ~100 us of CPU per request and caps them near 5,000 requests/s" >&2
  load_tool=node
fi
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
if [ "$fake_kind" = java ]; then
  "$java_home/bin/java" -XX:+UseSerialGC -Xmx64m bench/FakeUpstream.java "$fake_port" 16 >"$fake_log" 2>&1 &
else
  node bench/fake-upstream.mjs "$fake_port" 16 >"$fake_log" 2>&1 &
fi
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

# A number or boolean of latency.mjs's flat JSON line (sed, not a python start per value).
field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system CPU time, in clock ticks
hz="$(getconf CLK_TCK)"
cpu_file="$(mktemp)"
measure() { # name origin key requests concurrency stream warmup
  local out s0 f0
  s0="$(ticks "$server_pid")"
  f0="$(ticks "$fake_pid")"
  out="$(node bench/latency.mjs "$2" "$3" "$4" "$5" "$6" "$7")" || { echo "FAILED: $1 $out" >&2; return 1; }
  # Per request, warm-up included (it ran in the same window). measure runs in $(...): via a file.
  echo "$(( ($(ticks "$server_pid") - s0) * 1000000 / hz / ($4 + $7) )) $(( ($(ticks "$fake_pid") - f0) * 1000000 / hz / ($4 + $7) ))" >"$cpu_file"
  echo "$1 $out" >&2
  printf '%s' "$out"
}
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; } # line key: the value of key=value
per_request_us() { echo $(( $1 * 1000000 / hz / ($2 > 0 ? $2 : 1) )); }           # ticks requests
wrk_run() { # origin key stream seconds: wrk's result line, with its own CPU time per request
  local out line errors
  # $(...) is a subshell: `times` there reports the CPU time of its one child, wrk.
  out="$({ wrk -t"$wrk_threads" -c32 -d"$4s" --timeout 5s -s bench/wrk-chat.lua "$1" -- "$2" "$3"; times; } 2>&1)" \
    || { echo "wrk failed: $out" >&2; return 1; }
  line="$(printf '%s\n' "$out" | grep '^wrk_result ')" || { echo "wrk printed no result: $out" >&2; return 1; }
  errors=$(( $(kv "$line" non_2xx_3xx) + $(kv "$line" connect_errors) + $(kv "$line" read_errors) \
    + $(kv "$line" write_errors) + $(kv "$line" timeouts) ))
  if [ "$errors" -ne 0 ]; then
    printf 'FAILED: %s got %s error responses or socket errors\n%s\n' "$1" "$errors" "$out" >&2
    return 1
  fi
  # The last line of `times`: the children's user and system time, as 0m1.234s 0m0.567s.
  printf '%s generator_cpu_us=%s\n' "${line#wrk_result }" "$(printf '%s\n' "$out" | tail -n 1 | awk -v n="$(kv "$line" requests)" '
    { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1e6 / (n > 0 ? n : 1) }')"
}
throughput() { # name origin key stream warmup-seconds(wrk) warmup-requests(latency.mjs): one key=value line
  local line s0 f0 json
  if [ "$load_tool" = wrk ]; then
    wrk_run "$2" "$3" "$4" "$5" >/dev/null # the warm-up; its errors count too
    s0="$(ticks "$server_pid")"
    f0="$(ticks "$fake_pid")"
    line="$(wrk_run "$2" "$3" "$4" "$throughput_seconds")"
    # The measured run only (the warm-up ran before s0).
    line="$line server_cpu_us=$(per_request_us $(( $(ticks "$server_pid") - s0 )) "$(kv "$line" requests)")"
    line="$line fake_cpu_us=$(per_request_us $(( $(ticks "$fake_pid") - f0 )) "$(kv "$line" requests)")"
  else
    json="$(measure "$1" "$2" "$3" "$throughput_requests" 32 "$4" "$6")"
    local cpu_server_us cpu_fake_us
    read -r cpu_server_us cpu_fake_us <"$cpu_file"
    line="requests=$(field "$json" requests) seconds=$(field "$json" seconds) requests_per_second=$(field "$json" requests_per_second)"
    line="$line p50_ms=$(field "$json" p50_ms) p90_ms=$(field "$json" p90_ms) p99_ms=$(field "$json" p99_ms)"
    line="$line generator_cpu_us=$(field "$json" client_cpu_us_per_request) server_cpu_us=$cpu_server_us fake_cpu_us=$cpu_fake_us"
    printf '%s' "$line"
    return
  fi
  echo "$1 $line" >&2
  printf '%s' "$line"
}
throughput_lines() { # json|stream direct-line gateway-line
  echo "throughput_c32_$1_rps direct=$(kv "$2" requests_per_second) sentx=$(kv "$3" requests_per_second) sentx_p50_ms=$(kv "$3" p50_ms) sentx_p99_ms=$(kv "$3" p99_ms) direct_p50_ms=$(kv "$2" p50_ms) direct_p99_ms=$(kv "$2" p99_ms)"
  local server_us
  server_us="$(kv "$3" server_cpu_us)"
  echo "cpu_per_request_c32_$1 server_cpu_us=$server_us fake_cpu_us=$(kv "$3" fake_cpu_us) generator_cpu_us=$(kv "$3" generator_cpu_us) server_alone_rps_estimate=$(( $(nproc) * 1000000 / (server_us > 0 ? server_us : 1) ))"
  echo "cpu_per_request_c32_$1_direct fake_cpu_us=$(kv "$2" fake_cpu_us) generator_cpu_us=$(kv "$2" generator_cpu_us)"
}

if [ "$load_tool" = wrk ]; then
  load_desc="$( (wrk --version 2>&1 || true) | head -n 1 | cut -d' ' -f1-2) -t$wrk_threads -c32 for ${throughput_seconds}s after a warm-up of 2s (direct) / 5s (sentx)"
else
  load_desc="latency.mjs, $throughput_requests requests after 5000 (direct) / 10000 (sentx)"
fi
echo "# upstream alone vs through SentX (every check on); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $("$java_home/bin/java" -version 2>&1 | head -1); JVM flags: ${SENTX_JVM_OPTS:-launcher default}"
echo "# fake upstream: $([ "$fake_kind" = java ] && echo bench/FakeUpstream.java || echo bench/fake-upstream.mjs); concurrency 1: latency.mjs, $requests requests; concurrency 32: $load_desc"
direct="$(measure "direct c=1 json" "$fake" - "$requests" 1 false 2000)"
gateway="$(measure "sentx  c=1 json" "$sentx" "$key" "$requests" 1 false 10000)"
echo "latency_c1_json_p50_ms direct=$(field "$direct" p50_ms) sentx=$(field "$gateway" p50_ms) added=$(diff_ms "$(field "$gateway" p50_ms)" "$(field "$direct" p50_ms)")"
echo "latency_c1_json_p99_ms direct=$(field "$direct" p99_ms) sentx=$(field "$gateway" p99_ms) added=$(diff_ms "$(field "$gateway" p99_ms)" "$(field "$direct" p99_ms)")"

direct="$(measure "direct c=1 stream" "$fake" - "$requests" 1 true 2000)"
gateway="$(measure "sentx  c=1 stream" "$sentx" "$key" "$requests" 1 true 5000)"
echo "first_byte_c1_stream_p50_ms direct=$(field "$direct" first_byte_p50_ms) sentx=$(field "$gateway" first_byte_p50_ms) added=$(diff_ms "$(field "$gateway" first_byte_p50_ms)" "$(field "$direct" first_byte_p50_ms)")"
echo "first_byte_c1_stream_p99_ms direct=$(field "$direct" first_byte_p99_ms) sentx=$(field "$gateway" first_byte_p99_ms) added=$(diff_ms "$(field "$gateway" first_byte_p99_ms)" "$(field "$direct" first_byte_p99_ms)")"
echo "latency_c1_stream_p50_ms direct=$(field "$direct" p50_ms) sentx=$(field "$gateway" p50_ms) added=$(diff_ms "$(field "$gateway" p50_ms)" "$(field "$direct" p50_ms)")"

direct="$(throughput "direct c=32 json" "$fake" - false 2 5000)"
gateway="$(throughput "sentx  c=32 json" "$sentx" "$key" false 5 10000)"
throughput_lines json "$direct" "$gateway"

direct="$(throughput "direct c=32 stream" "$fake" - true 2 5000)"
gateway="$(throughput "sentx  c=32 stream" "$sentx" "$key" true 5 10000)"
throughput_lines stream "$direct" "$gateway"

rss_mb="$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")"
heap="$("$java_home/bin/jcmd" "$server_pid" GC.heap_info 2>/dev/null \
  | awk '/total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) { if ($i == "total") t += $(i + 1); if ($i == "used") u += $(i + 1) } }
         END { if (t > 0) printf "committed=%.1fMB used=%.1fMB", t / 1024, u / 1024 }')"
echo "server_rss_mb=$rss_mb"
echo "server_heap ${heap:-unavailable (jcmd could not attach)}"
