// The official OpenAI Node SDK against SentX in front of a real OpenAI-compatible upstream: a fake
// (node:http, support/fake-upstream.mjs) in this process and a SentX server of this file's own,
// started with SENTX_UPSTREAM_URL pointing at it and short timeouts (CONTRACT §3, §4, §6, §7;
// OPENAI-WIRE.md). Every reply and every fault must reach the SDK as the object or the exception it
// documents; the JS twin of local-server's UpstreamOpenAiSdkIT and UpstreamChatIT.
// Needs SENTX_JAVA and SENTX_SERVER_JAR (`./sentx test` sets them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import {
  FakeUpstream, ask, WORDS, REPLY, PROMPT_TOKENS, TOOL_CALL_TOKENS, TOOL_CALLS, SECRET, INTERNAL_URL,
} from '../support/fake-upstream.mjs';
import { startSentx } from '../support/sentx-process.mjs';

const API_KEY = 'sk-upstreamJsTestKey_notASecret_0123456789abcdef';
const SESSION_TOKEN = 'upstream-js-session-not-a-secret-0123456789';
const UPSTREAM_KEY = 'sk-upstream-gateway-key-0123456789abcdef';
const TIMEOUT_MS = 1_000; // first-token and idle timeouts of the server under test
const KEEPALIVE_MS = 100;
const MODEL = 'gpt-4o';

let fake;
let sentx;
let client;

before(async () => {
  fake = await FakeUpstream.start();
  sentx = await startSentx({
    SENTX_UPSTREAM_URL: fake.baseUrl,
    SENTX_UPSTREAM_API_KEY: UPSTREAM_KEY,
    SENTX_UPSTREAM_MODEL: 'fake-model',
    SENTX_UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
    SENTX_UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: String(TIMEOUT_MS),
    SENTX_UPSTREAM_IDLE_TIMEOUT_MS: String(TIMEOUT_MS),
    SENTX_KEEPALIVE_MS: String(KEEPALIVE_MS),
    SENTX_DEMO_API_KEY: API_KEY,
    SENTX_DEMO_SESSION_TOKEN: SESSION_TOKEN,
    SENTX_DEMO_BALANCE_CENTS: '100000',
    // Many requests in one minute; SENTX_STREAMS_PER_KEY stays at its default of 5 (CONTRACT §7).
    SENTX_REQUESTS_PER_MINUTE: '100000',
  });
  client = new OpenAI({ baseURL: sentx.baseURL, apiKey: API_KEY, maxRetries: 0, timeout: 15_000 });
});

after(async () => {
  await sentx?.stop();
  await fake?.close();
});

// ---- helpers ----

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (text, extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content: text }], ...extra });

/** CONTRACT §6: clamp(round_half_up((p*300 + c*1000) / 1e6), 1, 500), in integers. */
function expectedCostCents(promptTokens, completionTokens) {
  const micro = BigInt(promptTokens) * 300n + BigInt(completionTokens) * 1000n;
  return Math.min(500, Math.max(1, Number((micro + 500_000n) / 1_000_000n)));
}

/** Request options that tag the request with a fresh X-Session-Id, for the usage look-up. */
function tagged(label) {
  const session = `upstream-js-${label}-${randomUUID()}`;
  return { session, options: { headers: { 'X-Session-Id': session } } };
}

async function account(path) {
  const r = await fetch(`${sentx.origin}${path}`, { headers: { Authorization: `Bearer ${SESSION_TOKEN}` } });
  const text = await r.text();
  assert.equal(r.status, 200, `GET ${path} → ${r.status} ${text}`);
  return JSON.parse(text);
}

const balance = () => account('/account/balance');
const usageOf = async (session) => (await account(`/account/usage?session=${encodeURIComponent(session)}&limit=100`)).data;

/** The usage record of `requestId` (polled: a cancelled stream is settled after the client left). */
async function awaitUsageRecord(session, requestId, withinMs = 5_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rec = (await usageOf(session)).find((r) => r.id === requestId);
    if (rec) return rec;
    assert.ok(Date.now() < deadline, `no usage record for ${requestId} within ${withinMs} ms`);
    await sleep(25);
  }
}

/** A failed request: no usage record in its session, no hold left, the balance as before. */
async function assertNotBilled(session, balanceBefore, what) {
  await sleep(100); // a settlement, if one were (wrongly) coming, has landed by now
  assert.deepEqual(await usageOf(session), [], `${what}: a failed request must leave no usage record`);
  const b = await balance();
  assert.equal(b.held_cents, 0, `${what}: no hold may remain: ${JSON.stringify(b)}`);
  assert.equal(b.balance_cents, balanceBefore.balance_cents, `${what}: a failed request is not billed`);
}

/** Fails if `text` carries anything of the upstream's error body or the gateway's own secrets. */
function assertSanitised(text, what) {
  for (const leak of [SECRET, 'UPSTREAMSECRET', 'sk-proj', '10.1.2.3', INTERNAL_URL, 'customer secret',
    fake.baseUrl, UPSTREAM_KEY, 'Exception']) {
    assert.ok(!text.includes(leak), `${what} leaks '${leak}': ${text}`);
  }
}

/** Runs `call`, expecting it to throw; returns what it threw. */
async function thrown(call, what) {
  try {
    await call();
  } catch (err) {
    return err;
  }
  assert.fail(`${what}: expected an error, got success`);
}

/** An error envelope as the SDK exposes it (err.error): all four keys (CONTRACT §3). */
function assertEnvelope(err, status, code, what) {
  assert.equal(err.status, status, `${what}: status (${err.constructor.name}: ${err.message})`);
  assert.equal(err.code, code, `${what}: code (${err.message})`);
  assert.deepEqual(Object.keys(err.error ?? {}).sort(), ['code', 'message', 'param', 'type'],
    `${what}: envelope ${JSON.stringify(err.error)}`);
  assertSanitised(`${err.message} ${JSON.stringify(err.error)}`, what);
}

/** A fetch that hands the SDK the response untouched and keeps a copy of the raw body text. */
function tappingFetch(sink) {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!response.body) return response;
    const decoder = new TextDecoder();
    const tapped = response.body.pipeThrough(new TransformStream({
      transform(bytes, controller) {
        sink.raw += decoder.decode(bytes, { stream: true });
        controller.enqueue(bytes);
      },
    }));
    return new Response(tapped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

const TOOLS = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
];

function assertTwoFunctionCalls(calls, what) {
  assert.equal(calls?.length, 2, `${what}: two tool calls, got ${JSON.stringify(calls)}`);
  TOOL_CALLS.forEach((expected, i) => {
    assert.equal(calls[i].id, expected.id, what);
    assert.equal(calls[i].type, 'function', what);
    assert.equal(calls[i].function.name, expected.name, what);
    assert.equal(calls[i].function.arguments, expected.pieces.join(''), `${what}: the whole arguments of call ${i}`);
    assert.deepEqual(JSON.parse(calls[i].function.arguments), i === 0 ? { city: 'Paris' } : { tz: 'CET' });
  });
}

// ---- replies ----

test('text stream, default layout: the seed loop concatenates the upstream text; the finish chunk carries its usage; billed', async () => {
  const before = await balance();
  const { session, options } = tagged('text');
  const { data: stream, response } = await client.chat.completions
    .create(say('Say hello', { stream: true }), { ...options, headers: { ...options.headers, 'X-Include-Cost': '1' } })
    .withResponse();
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const chunks = [];
  let text = '';
  for await (const chunk of stream) {
    chunks.push(chunk);
    assert.equal(chunk.choices.length, 1, `every chunk has its choice in the default layout: ${JSON.stringify(chunk)}`);
    if (chunk.choices[0].delta.content) text += chunk.choices[0].delta.content;
  }
  assert.equal(text, REPLY);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  for (const c of chunks) {
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.model, 'sentx-v1');
    assert.equal(c.id, chunks[0].id);
  }
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, 'stop');
  const cost = expectedCostCents(PROMPT_TOKENS, WORDS.length);
  assert.deepEqual(last.usage, { prompt_tokens: PROMPT_TOKENS, completion_tokens: WORDS.length,
    total_tokens: PROMPT_TOKENS + WORDS.length, cost_cents: cost }, 'the upstream usage, on the final chunk');
  for (const c of chunks.slice(0, -1)) assert.ok(c.usage == null, `usage only on the last chunk: ${JSON.stringify(c)}`);

  const rec = await awaitUsageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.prompt_tokens, PROMPT_TOKENS);
  assert.equal(rec.completion_tokens, WORDS.length);
  assert.equal(rec.cost_cents, cost);
  assert.equal((await balance()).balance_cents, before.balance_cents - cost);

  const sent = fake.requestsWith('Say hello').at(-1);
  assert.equal(sent.body.model, 'fake-model', 'the configured upstream model, not the client\'s');
  assert.equal(sent.body.stream, true);
  assert.equal(sent.body.stream_options?.include_usage, true);
  assert.equal(sent.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
});

test('text stream with stream_options.include_usage: usage null on every chunk, then one chunk with choices [] and the usage', async () => {
  const stream = await client.chat.completions.create(
    say(ask('normal', 0, 'include-usage'), { stream: true, stream_options: { include_usage: true } }));
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, [], `the last chunk has no choice: ${JSON.stringify(last)}`);
  assert.deepEqual(last.usage, { prompt_tokens: PROMPT_TOKENS, completion_tokens: WORDS.length,
    total_tokens: PROMPT_TOKENS + WORDS.length });
  const rest = chunks.slice(0, -1);
  for (const c of rest) {
    assert.ok('usage' in c && c.usage === null, `"usage": null on every other chunk: ${JSON.stringify(c)}`);
    assert.equal(c.choices.length, 1);
  }
  assert.equal(rest.map((c) => c.choices[0].delta.content ?? '').join(''), REPLY);
  assert.equal(rest.at(-1).choices[0].finish_reason, 'stop');
});

test('non-stream: the upstream text and usage in a chat.completion; max_completion_tokens goes upstream', async () => {
  const r = await client.chat.completions.create(say(ask('normal', 0, 'plain')));
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'sentx-v1');
  assert.match(r.id, /^chatcmpl-/);
  assert.equal(r.choices[0].message.role, 'assistant');
  assert.equal(r.choices[0].message.content, REPLY);
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.deepEqual(r.usage, { prompt_tokens: PROMPT_TOKENS, completion_tokens: WORDS.length,
    total_tokens: PROMPT_TOKENS + WORDS.length });

  const short = await client.chat.completions.create(say(ask('normal', 0, 'plain-5'), { max_completion_tokens: 5 }));
  assert.equal(short.choices[0].message.content, WORDS.slice(0, 5).join(''));
  assert.equal(short.choices[0].finish_reason, 'length');
  assert.equal(short.usage.completion_tokens, 5);
  assert.equal(fake.requestsWith('plain-5').at(-1).body.max_completion_tokens, 5, 'the budget goes upstream');
});

test('tool calls: the streamed deltas accumulate into two function calls with their whole arguments', async () => {
  // By hand, as an application would.
  const stream = await client.chat.completions.create(say(ask('tools', 0, 'tools-hand'), { stream: true, tools: TOOLS }));
  const calls = [];
  let finish = null;
  let content = '';
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? '';
    for (const d of choice.delta.tool_calls ?? []) {
      const call = (calls[d.index] ??= { id: undefined, type: undefined, function: { name: '', arguments: '' } });
      if (d.id) call.id = d.id;
      if (d.type) call.type = d.type;
      if (d.function?.name) call.function.name += d.function.name;
      if (d.function?.arguments) call.function.arguments += d.function.arguments;
    }
    finish = choice.finish_reason ?? finish;
  }
  assert.equal(finish, 'tool_calls');
  assert.equal(content, '', 'no text with the tool calls');
  assertTwoFunctionCalls(calls, 'accumulated by hand');

  // With the SDK's own accumulator (ChatCompletionStream), in both usage layouts.
  for (const streamOptions of [undefined, { include_usage: true }]) {
    const runner = client.chat.completions.stream(say(ask('tools', 0, 'tools-sdk'),
      { tools: TOOLS, ...(streamOptions ? { stream_options: streamOptions } : {}) }));
    const whole = await runner.finalChatCompletion();
    const what = `ChatCompletionStream, stream_options=${JSON.stringify(streamOptions)}`;
    assert.equal(whole.choices[0].finish_reason, 'tool_calls', what);
    assertTwoFunctionCalls(whole.choices[0].message.tool_calls, what);
    assert.equal(whole.usage?.completion_tokens, TOOL_CALL_TOKENS, `${what}: usage ${JSON.stringify(whole.usage)}`);
  }

  const plain = await client.chat.completions.create(say(ask('tools', 0, 'tools-plain'), { tools: TOOLS }));
  assert.equal(plain.choices[0].finish_reason, 'tool_calls');
  assert.equal(plain.choices[0].message.content, null);
  assertTwoFunctionCalls(plain.choices[0].message.tool_calls, 'non-stream');
});

// ---- faults before the first byte ----

test('upstream 500 → InternalServerError 502 upstream_error in both modes (after one retry), sanitised, not billed', async () => {
  for (const stream of [false, true]) {
    const what = `500, stream=${stream}`;
    const before = await balance();
    const { session, options } = tagged('500');
    const text = ask('status500', 0, `s500-${stream}`);
    const err = await thrown(() => client.chat.completions.create(say(text, { stream }), options), what);
    assert.ok(err instanceof OpenAI.InternalServerError, `${what}: got ${err.constructor.name}: ${err.message}`);
    assertEnvelope(err, 502, 'upstream_error', what);
    assert.match(err.headers?.get('content-type') ?? '', /^application\/json/, what);
    assert.ok(err.headers?.get('x-request-id'), `${what}: x-request-id on the error`);
    assert.equal(fake.attempts(text), 2, `${what}: SentX retries a 500 once`);
    await assertNotBilled(session, before, what);
  }
});

test('upstream 400 with secrets in its message → BadRequestError whose message is sanitised; not billed', async () => {
  for (const stream of [false, true]) {
    const what = `400, stream=${stream}`;
    const before = await balance();
    const { session, options } = tagged('400');
    const text = ask('status400', 0, `s400-${stream}`);
    const err = await thrown(() => client.chat.completions.create(say(text, { stream }), options), what);
    assert.ok(err instanceof OpenAI.BadRequestError, `${what}: got ${err.constructor.name}: ${err.message}`);
    assertEnvelope(err, 400, 'invalid_parameter', what);
    assert.equal(err.type, 'invalid_request_error', what);
    assert.ok(err.error.message.length > 0, `${what}: a message for the customer`);
    assert.equal(fake.attempts(text), 1, `${what}: a 400 is not retried`);
    await assertNotBilled(session, before, what);
  }
});

test('silent upstream (no status, no byte) → 504 upstream_timeout at the first-token timeout, both modes, not billed', async () => {
  for (const stream of [false, true]) {
    const what = `silent, stream=${stream}`;
    const before = await balance();
    const { session, options } = tagged('silent');
    const tag = `silent-${stream}-${randomUUID()}`;
    const started = performance.now();
    const err = await thrown(() => client.chat.completions.create(say(ask('silent', 0, tag), { stream }), options), what);
    const ms = performance.now() - started;
    assert.ok(err instanceof OpenAI.InternalServerError, `${what}: got ${err.constructor.name}: ${err.message}`);
    assertEnvelope(err, 504, 'upstream_timeout', what);
    assert.ok(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + 2_000, `${what}: answered after ${Math.round(ms)} ms`);
    assert.equal(fake.requestsWith(tag).length, 1, `${what}: a timed-out call is not retried`);
    assert.ok(await fake.awaitClose(tag, 2_000) != null, `${what}: SentX closes the upstream call it gave up on`);
    await assertNotBilled(session, before, what);
  }
});

// ---- faults after the first byte ----

test('upstream connection dies mid-stream → the for-await loop throws the SSE error after the deltas so far; not billed', async () => {
  const before = await balance();
  const { session, options } = tagged('drop');
  const stream = await client.chat.completions.create(say(ask('drop', 0, 'drop'), { stream: true }), options);
  let text = '';
  let chunks = 0;
  const err = await thrown(async () => {
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0].delta.content ?? '';
    }
  }, 'drop');
  assert.equal(text, WORDS.slice(0, 3).join(''), 'the three words sent before the cut');
  assert.equal(chunks, 4, 'the role chunk and three words, then the error');
  assert.ok(err instanceof OpenAI.APIError, `got ${err.constructor.name}: ${err.message}`);
  assert.equal(err.status, undefined, 'an error event inside a 200 stream has no status');
  assert.equal(err.code, 'upstream_error', err.message);
  assert.deepEqual(Object.keys(err.error ?? {}).sort(), ['code', 'message', 'param', 'type'], JSON.stringify(err.error));
  assertSanitised(`${err.message} ${JSON.stringify(err.error)}`, 'drop');
  await assertNotBilled(session, before, 'drop');
});

test('upstream stalls mid-stream → the loop throws upstream_timeout after the deltas so far; not billed', async () => {
  const before = await balance();
  const { session, options } = tagged('stall');
  const tag = `stall-${randomUUID()}`;
  const stream = await client.chat.completions.create(say(ask('stall', 0, tag), { stream: true }), options);
  let text = '';
  const err = await thrown(async () => {
    for await (const chunk of stream) text += chunk.choices[0].delta.content ?? '';
  }, 'stall');
  assert.equal(text, WORDS.slice(0, 3).join(''));
  assert.ok(err instanceof OpenAI.APIError, `got ${err.constructor.name}: ${err.message}`);
  assert.equal(err.code, 'upstream_timeout', err.message);
  assertSanitised(`${err.message} ${JSON.stringify(err.error)}`, 'stall');
  assert.ok(await fake.awaitClose(tag, 2_000) != null, 'SentX closes the stalled upstream call');
  await assertNotBilled(session, before, 'stall');
});

// ---- keep-alive, cancellation, concurrency ----

test('keep-alive comments while the upstream is silent are ignored by the SDK and the stream completes', async () => {
  const sink = { raw: '' };
  const tapped = new OpenAI({ baseURL: sentx.baseURL, apiKey: API_KEY, maxRetries: 0, timeout: 15_000,
    fetch: tappingFetch(sink) });
  const gapMs = 6 * KEEPALIVE_MS; // well over the keep-alive period, under the idle timeout
  const stream = await tapped.chat.completions.create(say(ask('gap', gapMs, 'keepalive'), { stream: true }));
  let text = '';
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0].delta.content ?? '';
  }
  assert.equal(text, REPLY, 'the whole reply despite the comments');
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.equal(chunks.at(-1).usage?.completion_tokens, WORDS.length);
  const comments = sink.raw.split('\n').filter((line) => line.startsWith(':'));
  assert.ok(comments.length >= 2, `keep-alive comments during the ${gapMs} ms gap: ${JSON.stringify(comments)}`);
  for (const c of comments) assert.equal(c, ': keep-alive');
  const firstWord = sink.raw.indexOf('"Hello"');
  const keepAlive = sink.raw.indexOf(': keep-alive');
  const secondWord = sink.raw.indexOf('" from"');
  assert.ok(firstWord >= 0 && firstWord < keepAlive && keepAlive < secondWord, 'the comments come in the gap');
  assert.ok(sink.raw.endsWith('data: [DONE]\n\n'), `ends with [DONE]: ${JSON.stringify(sink.raw.slice(-40))}`);
});

test('cancellation: stream.controller.abort() after the first delta → the upstream call ends within 2 s; billed for what was relayed', async () => {
  const before = await balance();
  const { session, options } = tagged('cancel');
  const tag = `cancel-${randomUUID()}`;
  const { data: stream, response } = await client.chat.completions
    .create(say(ask('forever', 0, tag), { stream: true }), options).withResponse();
  let deltas = 0;
  let abortedAt = null;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) {
      deltas++;
      abortedAt = performance.now();
      stream.controller.abort();
    }
  }
  assert.equal(deltas, 1, 'the loop ends after the abort');
  const closedAt = await fake.awaitClose(tag, 5_000);
  assert.ok(closedAt != null, 'the upstream never saw its connection close');
  const ms = closedAt - abortedAt;
  assert.ok(ms < 2_000, `the upstream call ended ${Math.round(ms)} ms after the abort`);

  const rec = await awaitUsageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.finish_reason, 'client_disconnected', JSON.stringify(rec));
  assert.ok(rec.completion_tokens >= 1, `the words relayed until the abort: ${JSON.stringify(rec)}`);
  assert.equal(rec.cost_cents, expectedCostCents(rec.prompt_tokens, rec.completion_tokens));
  assert.equal((await balance()).balance_cents, before.balance_cents - rec.cost_cents);
});

test('six concurrent slow streams on one key: the 6th gets RateLimitError 429 rate_limit_exceeded; the five complete', async () => {
  const open = [];
  try {
    for (let i = 0; i < 5; i++) {
      let stream;
      try {
        stream = await client.chat.completions.create(say(ask('paced', 60, `slot-${i}`), { stream: true }));
      } catch (err) {
        assert.fail(`stream ${i + 1} of 5 refused (${err.status} ${err.code}): an earlier stream still holds a slot?`);
      }
      const it = stream[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.done, false, `stream ${i + 1} is under way`);
      open.push({ stream, it, text: first.value.choices[0].delta.content ?? '' });
    }
    const err = await thrown(
      () => client.chat.completions.create(say(ask('paced', 60, 'slot-6'), { stream: true })), 'sixth stream');
    assert.ok(err instanceof OpenAI.RateLimitError, `got ${err.constructor.name}: ${err.message}`);
    assertEnvelope(err, 429, 'rate_limit_exceeded', 'sixth stream');
    assert.match(err.headers.get('retry-after') ?? '', /^\d+$/, 'Retry-After (seconds) on the 429');
    assert.equal(fake.requestsWith('slot-6').length, 0, 'the refused stream never reached the upstream');

    for (const [i, s] of open.entries()) {
      for (let r = await s.it.next(); !r.done; r = await s.it.next()) s.text += r.value.choices[0].delta.content ?? '';
      assert.equal(s.text, REPLY, `stream ${i + 1} completes`);
    }
  } finally {
    for (const s of open) s.stream.controller.abort();
  }
  await sleep(100);
  const again = await client.chat.completions.create(say(ask('normal', 0, 'slot-again'), { stream: true }));
  let text = '';
  for await (const chunk of again) text += chunk.choices[0].delta.content ?? '';
  assert.equal(text, REPLY, 'a freed slot is used again');
});
