// A fast OpenAI-compatible model server for benchmarks: POST .../chat/completions answers at once
// with a fixed reply of <tokens> words, streamed exactly as OpenAI streams (role chunk, one chunk per
// word, finish chunk, the usage chunk when stream_options.include_usage asks, [DONE]) or as one
// chat.completion JSON. It honours max_completion_tokens / max_tokens. Everything it can prepare in
// advance is prepared at start, so it spends its time on HTTP, not on JSON.
//   node bench/fake-upstream.mjs [port=0] [tokens=16]
// Prints "listening <port>" once it accepts connections. Loopback only; stops on SIGTERM/SIGINT.
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const tokens = Number(process.argv[3] ?? 16);
const vocabulary = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
const words = Array.from({ length: tokens }, (_, i) => (i === 0 ? 'Hello' : vocabulary[i % vocabulary.length]));
const PROMPT_TOKENS = 20;
const head = '{"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1700000000,"model":"fake-model",'
  + '"system_fingerprint":null,"choices":[{"index":0,"delta":';
const roleEvent = `data: ${head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
const wordEvents = words.map((w) => `data: ${head}{"content":${JSON.stringify(w)}},"logprobs":null,"finish_reason":null}]}\n\n`);
const finishEvent = (reason) => `data: ${head}{},"logprobs":null,"finish_reason":"${reason}"}]}\n\n`;
const usageEvent = (n) => 'data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1700000000,'
  + `"model":"fake-model","choices":[],"usage":{"prompt_tokens":${PROMPT_TOKENS},"completion_tokens":${n},`
  + `"total_tokens":${PROMPT_TOKENS + n}}}\n\n`;

function completion(n, reason) {
  return JSON.stringify({
    id: 'chatcmpl-fake', object: 'chat.completion', created: 1700000000, model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: words.slice(0, n).join(''), refusal: null },
      logprobs: null, finish_reason: reason }],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: n, total_tokens: PROMPT_TOKENS + n },
  });
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    return;
  }
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid json"}}');
      return;
    }
    const budget = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
    const n = Math.min(words.length, budget);
    const reason = n < words.length ? 'length' : 'stop';
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(completion(n, reason));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(roleEvent);
    for (let i = 0; i < n; i++) res.write(wordEvents[i]);
    res.write(finishEvent(reason));
    if (body.stream_options?.include_usage) res.write(usageEvent(n));
    res.end('data: [DONE]\n\n');
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
