-- The throughput load of upstream-overhead.sh for wrk (4.x): every request the same chat completion
-- POST, the one latency.mjs sends, with an API key or without (for the fake upstream).
--   wrk -t1 -c32 -d10s -s bench/wrk-chat.lua http://127.0.0.1:<port> -- <api-key|-> <stream:true|false>
-- The request is built once per thread in init(); no request() or response() function, so wrk never
-- calls Lua per request. done() prints one machine-readable line:
--   wrk_result requests=N seconds=S requests_per_second=R p50_ms= p90_ms= p99_ms= max_ms=
--              non_2xx_3xx=N connect_errors=N read_errors=N write_errors=N timeouts=N
-- non_2xx_3xx is wrk's "Non-2xx or 3xx responses" (status > 399); latencies are of whole responses
-- (a stream's last byte), from wrk's own histogram.

function init(args)
  local key, stream = args[1], args[2] or "false"
  if key == nil or (stream ~= "true" and stream ~= "false") then
    error("usage: wrk ... -s bench/wrk-chat.lua <url> -- <api-key|-> <stream:true|false>")
  end
  wrk.method = "POST"
  wrk.path = "/v1/chat/completions"
  wrk.body = '{"model":"sentx-v1","max_tokens":16,"stream":' .. stream
    .. ',"messages":[{"role":"user","content":"What is the capital of France?"}]}'
  wrk.headers["Content-Type"] = "application/json"
  if key ~= "-" then
    wrk.headers["Authorization"] = "Bearer " .. key
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "wrk_result requests=%d seconds=%.3f requests_per_second=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " non_2xx_3xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, math.floor(summary.requests / seconds + 0.5),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
