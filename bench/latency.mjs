// Sends N chat completions to <origin>/v1/chat/completions with C in flight over keep-alive
// connections (node:http, lighter than fetch), after W warm-up requests, and prints one JSON line:
// requests/s, percentiles of the whole request and of the time to the first body byte, and the
// generator's own CPU time per request (user + system, microseconds): on a small machine the
// generator competes with what it measures.
//   node bench/latency.mjs <origin> <api-key|-> <requests> <concurrency> <stream:true|false> [warmup=2000]
// Bounded: exactly W + N requests to the given (loopback) origin. Exit status 1 if any failed.
import http from 'node:http';

const [origin, key, n = '5000', c = '1', stream = 'false', w = '2000'] = process.argv.slice(2);
if (!origin || !key) {
  console.error('usage: node bench/latency.mjs <origin> <api-key|-> <requests> <concurrency> <stream> [warmup]');
  process.exit(2);
}
const total = Number(n);
const concurrency = Number(c);
const warmup = Number(w);
const url = new URL('/v1/chat/completions', origin);
const body = JSON.stringify({
  model: 'sentx-v1',
  max_tokens: 16,
  stream: stream === 'true',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
});
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
if (key !== '-') headers.authorization = `Bearer ${key}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function once() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let first = 0n;
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.on('data', () => {
        if (first === 0n) first = process.hrtime.bigint();
      });
      res.on('end', () => {
        const end = process.hrtime.bigint();
        resolve({ ok: res.statusCode === 200, totalMs: Number(end - t0) / 1e6, firstMs: Number((first || end) - t0) / 1e6 });
      });
    });
    req.on('error', () => resolve({ ok: false, totalMs: 0, firstMs: 0 }));
    req.end(body);
  });
}

async function run(count) {
  const results = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      next++;
      results.push(await once());
    }
  }
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { results, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuMicros: used.user + used.system };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
await run(warmup);
const { results, seconds, cpuMicros } = await run(total);
const failures = results.filter((r) => !r.ok).length;
const totals = results.map((r) => r.totalMs).sort((a, b) => a - b);
const firsts = results.map((r) => r.firstMs).sort((a, b) => a - b);
const r3 = (x) => Number(x.toFixed(3));
console.log(JSON.stringify({
  requests: results.length, failures, concurrency, stream: stream === 'true',
  seconds: r3(seconds), requests_per_second: Math.round(results.length / seconds),
  p50_ms: r3(pct(totals, 50)), p90_ms: r3(pct(totals, 90)), p99_ms: r3(pct(totals, 99)),
  first_byte_p50_ms: r3(pct(firsts, 50)), first_byte_p99_ms: r3(pct(firsts, 99)),
  client_cpu_us_per_request: Math.round(cpuMicros / results.length),
}));
agent.destroy();
process.exit(failures === 0 ? 0 : 1);
