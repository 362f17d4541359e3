// Fires N chat completions at a running SentX server with C in flight, over keep-alive
// connections, and prints throughput and latency percentiles. Every check stays on the path
// (auth, request window, hold, settle, usage record): raise SENTX_REQUESTS_PER_MINUTE and the demo
// balance instead of turning anything off.
//   node bench/load.mjs <origin> <api-key> [requests=10000] [concurrency=16] [stream=false]
// Bounded: it sends exactly N requests to the given (loopback) origin and stops.
const [origin, key, n = '10000', c = '16', stream = 'false'] = process.argv.slice(2);
if (!origin || !key) {
  console.error('usage: node bench/load.mjs <origin> <api-key> [requests] [concurrency] [stream]');
  process.exit(2);
}
const total = Number(n);
const concurrency = Number(c);
const body = JSON.stringify({
  model: 'sentx-v1',
  max_tokens: 16,
  stream: stream === 'true',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
});
const latencies = [];
let next = 0;
let failures = 0;

async function worker() {
  while (next < total) {
    next++;
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) failures++;
  }
}

const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
console.log(JSON.stringify({
  requests: latencies.length, failures, concurrency, stream: stream === 'true',
  seconds: Number(seconds.toFixed(2)), requests_per_second: Math.round(latencies.length / seconds),
  p50_ms: pct(50), p90_ms: pct(90), p99_ms: pct(99),
}));
process.exit(failures === 0 ? 0 : 1);
