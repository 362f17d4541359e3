// Chat completions through the official OpenAI Node SDK, as the public developer page
// (seed-sentx-api-docs.txt) shows them: first call, streaming, system messages, limits,
// end-user identity, X-Include-Cost and the response headers (CONTRACT §4, §5, §6, §7,
// OPENAI-WIRE.md). `./sentx test` starts the server and sets SENTX_BASE_URL, SENTX_ORIGIN,
// SENTX_API_KEY and SENTX_SESSION_TOKEN; run it by hand against any server with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { baseURL, origin, apiKey, sessionToken, MODEL, clientFor } from '../lib/env.mjs';


const client = clientFor();

const FRANCE = [{ role: 'user', content: 'What is the capital of France?' }];
const BLACK_HOLES = [{ role: 'user', content: 'Explain black holes in 2 paragraphs' }];
const CONCISE = [
  { role: 'system', content: 'Reply in under 200 chars. Be concise.' },
  { role: 'user', content: 'Thoughts on index funds?' },
];

/** CONTRACT §6: clamp(round_half_up((p*300 + c*1000) / 1e6), 1, 500), in integers. */
function expectedCostCents(promptTokens, completionTokens) {
  const micro = BigInt(promptTokens) * 300n + BigInt(completionTokens) * 1000n;
  const rounded = Number((micro + 500_000n) / 1_000_000n);
  return Math.min(500, Math.max(1, rounded));
}

/** A fresh conversation id, so usage look-ups find only this test's records. */
function newSession(label) {
  return `conv-js-${label}-${randomUUID()}`;
}

/** GET /account/usage with the demo session; returns the parsed body. */
async function usage(query) {
  const response = await fetch(`${origin}/account/usage?${new URLSearchParams({ limit: '1000', ...query })}`, {
    headers: { Authorization: `Bearer ${sessionToken}` },
  });
  const text = await response.text();
  assert.equal(response.status, 200, `GET /account/usage?${new URLSearchParams(query)} → ${response.status} ${text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text);
  assert.ok(Array.isArray(body.data), `usage.data must be an array: ${text}`);
  assert.equal(typeof body.has_more, 'boolean');
  return body;
}

/** The single usage record with id `requestId` among those of `session`. */
async function usageRecord(session, requestId) {
  const body = await usage({ session });
  const matching = body.data.filter((r) => r.id === requestId);
  assert.equal(matching.length, 1,
    `expected exactly one usage record ${requestId} for session ${session}, got ${JSON.stringify(body.data)}`);
  return matching[0];
}

/** Reads a whole stream with the seed's loop; returns every chunk and the concatenated text. */
async function drain(stream) {
  const chunks = [];
  let text = '';
  for await (const chunk of stream) {
    chunks.push(chunk);
    // The seed's loop, verbatim: throws a TypeError if a chunk has no choices.
    if (chunk.choices[0].delta.content) {
      text += chunk.choices[0].delta.content;
    }
  }
  return { chunks, text };
}

function assertUsageShape(usage) {
  assert.ok(usage && typeof usage === 'object', `usage must be an object, got ${JSON.stringify(usage)}`);
  for (const field of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    assert.ok(Number.isInteger(usage[field]) && usage[field] >= 0, `usage.${field} = ${usage[field]}`);
  }
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
}

/** Non-stream reference reply for `messages` (+ extra params), asserted to be a normal completion. */
async function complete(messages, extra = {}) {
  const r = await client.chat.completions.create({ model: MODEL, messages, ...extra });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.choices.length, 1);
  assertUsageShape(r.usage);
  return r;
}

test('first call from the seed: chat.completion with content, usage, model and id', async () => {
  const r = await client.chat.completions.create({ model: MODEL, messages: FRANCE });
  assert.match(r.id, /^chatcmpl-[A-Za-z0-9_-]+$/);
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'sentx-v1');
  assert.ok(Number.isInteger(r.created), `created = ${r.created}`);
  assert.ok(Math.abs(r.created - Date.now() / 1000) < 300, `created ${r.created} is not now`);
  assert.equal(r.choices.length, 1);
  const [choice] = r.choices;
  assert.equal(choice.index, 0);
  assert.equal(choice.finish_reason, 'stop');
  assert.equal(choice.message.role, 'assistant');
  assert.equal(typeof choice.message.content, 'string');
  assert.ok(choice.message.content.length > 0, 'content must not be empty');
  assert.equal(choice.message.refusal, null);
  assert.ok('logprobs' in choice, 'choices[0].logprobs must be present (null)');
  assert.equal(choice.logprobs, null);
  assertUsageShape(r.usage);
  assert.ok(r.usage.prompt_tokens > 0, `prompt_tokens = ${r.usage.prompt_tokens}`);
  assert.ok(r.usage.completion_tokens > 0, `completion_tokens = ${r.usage.completion_tokens}`);
  assert.deepEqual(Object.keys(r.usage).sort(), ['completion_tokens', 'prompt_tokens', 'total_tokens']);
});

test('any model string is accepted and the response says sentx-v1; same input, same reply', async () => {
  const a = await complete(FRANCE);
  const b = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: FRANCE });
  assert.equal(b.model, 'sentx-v1');
  assert.notEqual(b.id, a.id);
  assert.equal(b.choices[0].message.content, a.choices[0].message.content);
  assert.deepEqual(b.usage, a.usage);
});

test('stream: the seed loop runs to the end, every chunk has one choice, final chunk carries usage', async () => {
  const reference = await complete(BLACK_HOLES);
  const stream = await client.chat.completions.create({ model: MODEL, messages: BLACK_HOLES, stream: true });
  const { chunks, text } = await drain(stream);

  assert.ok(chunks.length >= 3, `expected role, content and final chunks, got ${chunks.length}`);
  assert.equal(text, reference.choices[0].message.content);
  const id = chunks[0].id;
  assert.match(id, /^chatcmpl-[A-Za-z0-9_-]+$/);
  for (const [i, chunk] of chunks.entries()) {
    assert.equal(chunk.id, id, `chunk ${i} id`);
    assert.equal(chunk.object, 'chat.completion.chunk', `chunk ${i} object`);
    assert.equal(chunk.model, 'sentx-v1', `chunk ${i} model`);
    assert.equal(chunk.created, chunks[0].created, `chunk ${i} created`);
    assert.ok(!('error' in chunk), `chunk ${i} must not have an error key`);
    assert.equal(chunk.choices.length, 1, `chunk ${i} must have exactly one choice`);
    assert.equal(chunk.choices[0].index, 0);
    if (i > 0) assert.ok(!('role' in chunk.choices[0].delta), `chunk ${i} repeats delta.role`);
    if (i < chunks.length - 1) {
      assert.equal(chunk.choices[0].finish_reason, null, `chunk ${i} finish_reason`);
      assert.equal(chunk.usage ?? null, null, `chunk ${i} must not carry usage`);
    }
  }
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, 'stop');
  assert.deepEqual(last.choices[0].delta, {});
  assert.deepEqual(last.usage, reference.usage);
});

test('stream with stream_options.include_usage: usage null on every chunk, then choices [] with usage', async () => {
  const reference = await complete(FRANCE);
  const stream = await client.chat.completions.create({
    model: MODEL, messages: FRANCE, stream: true, stream_options: { include_usage: true },
  });
  const chunks = [];
  let text = '';
  for await (const chunk of stream) {
    chunks.push(chunk);
    if (chunk.choices.length > 0 && chunk.choices[0].delta.content) text += chunk.choices[0].delta.content;
  }
  assert.ok(chunks.length >= 3, `got ${chunks.length} chunks`);
  const last = chunks.at(-1);
  assert.ok('choices' in last, 'the usage chunk must carry the choices key');
  assert.equal(last.choices.length, 0);
  assert.deepEqual(last.usage, reference.usage);
  for (const [i, chunk] of chunks.slice(0, -1).entries()) {
    assert.ok('usage' in chunk, `chunk ${i} must have "usage": null`);
    assert.equal(chunk.usage, null, `chunk ${i} usage`);
    assert.equal(chunk.choices.length, 1, `chunk ${i} choices`);
  }
  assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
  assert.equal(text, reference.choices[0].message.content);
});

test('stream wire framing (raw fetch): only data: frames, ending exactly with data: [DONE]', async () => {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    // Like the SDKs: Accept is application/json, not text/event-stream.
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: FRANCE, stream: true }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const body = await response.text();
  assert.ok(body.endsWith('data: [DONE]\n\n'), `the body must end with data: [DONE]: ${JSON.stringify(body.slice(-80))}`);
  const events = body.slice(0, -2).split('\n\n');
  assert.equal(events.filter((e) => e === 'data: [DONE]').length, 1);
  for (const event of events) {
    for (const line of event.split('\n')) {
      assert.ok(line.startsWith('data: ') || line.startsWith(':'), `unexpected SSE line: ${JSON.stringify(line)}`);
    }
  }
  const data = events.filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice('data: '.length)));
  assert.ok(data.length >= 3);
  for (const chunk of data) assert.ok(!('error' in chunk), 'a normal chunk must not carry an error key');
});

test('the SDK stream helper assembles the same completion as the non-stream call', async () => {
  const reference = await complete(FRANCE);
  const runner = client.chat.completions.stream({ model: MODEL, messages: FRANCE });
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices[0].message.content, reference.choices[0].message.content);
  assert.equal(final.choices[0].message.role, 'assistant');
  assert.equal(final.choices[0].finish_reason, 'stop');
  assert.equal(final.model, 'sentx-v1');
});

test('system message example from the seed is accepted and its text counts in prompt_tokens', async () => {
  const withSystem = await complete(CONCISE);
  assert.equal(withSystem.choices[0].finish_reason, 'stop');
  assert.ok(withSystem.choices[0].message.content.length > 0);
  const without = await complete(CONCISE.slice(1));
  assert.ok(withSystem.usage.prompt_tokens > without.usage.prompt_tokens,
    `prompt_tokens with system ${withSystem.usage.prompt_tokens} vs without ${without.usage.prompt_tokens}`);
});

test('a developer message is accepted like a system message', async () => {
  const r = await complete([
    { role: 'developer', content: 'Reply in under 200 chars. Be concise.' },
    { role: 'user', content: 'Thoughts on index funds?' },
  ]);
  assert.equal(r.choices[0].finish_reason, 'stop');
});

test('max_tokens: 5 → finish_reason length, exactly 5 completion tokens, a prefix of the full reply', async () => {
  const full = await complete(FRANCE);
  assert.ok(full.usage.completion_tokens > 5, 'the full reply must be longer than 5 tokens');
  const r = await complete(FRANCE, { max_tokens: 5 });
  assert.equal(r.choices[0].finish_reason, 'length');
  assert.equal(r.usage.completion_tokens, 5);
  assert.equal(r.usage.prompt_tokens, full.usage.prompt_tokens);
  const content = r.choices[0].message.content;
  assert.ok(content.length > 0);
  assert.ok(full.choices[0].message.content.startsWith(content),
    `${JSON.stringify(content)} is not a prefix of the full reply`);
});

test('max_completion_tokens: 5 behaves like max_tokens: 5, streamed too', async () => {
  const capped = await complete(FRANCE, { max_tokens: 5 });
  const r = await complete(FRANCE, { max_completion_tokens: 5 });
  assert.equal(r.choices[0].finish_reason, 'length');
  assert.equal(r.choices[0].message.content, capped.choices[0].message.content);
  assert.deepEqual(r.usage, capped.usage);

  const stream = await client.chat.completions.create({
    model: MODEL, messages: FRANCE, max_completion_tokens: 5, stream: true,
  });
  const { chunks, text } = await drain(stream);
  assert.equal(text, capped.choices[0].message.content);
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
  assert.deepEqual(chunks.at(-1).usage, capped.usage);
});

test('stop: the reply ends before the first stop sequence, finish_reason stop', async () => {
  const full = (await complete(FRANCE)).choices[0].message.content;
  const dot = full.indexOf('.');
  assert.ok(dot > 0, `precondition: the reference reply contains a '.': ${JSON.stringify(full)}`);

  const single = await complete(FRANCE, { stop: '.' });
  assert.equal(single.choices[0].message.content, full.slice(0, dot));
  assert.equal(single.choices[0].finish_reason, 'stop');

  // A list: the earliest occurrence in the reply wins, whatever its place in the list.
  const words = full.slice(0, dot).split(' ').filter((w) => /^[A-Za-z]{3,}$/.test(w));
  assert.ok(words.length >= 2, `precondition: plain words before the first '.': ${JSON.stringify(full)}`);
  const word = words[1];
  const cut = full.indexOf(word);
  assert.ok(cut > 0 && cut < dot);
  const listed = await complete(FRANCE, { stop: ['.', word] });
  assert.equal(listed.choices[0].message.content, full.slice(0, cut));
  assert.equal(listed.choices[0].finish_reason, 'stop');
  assert.ok(listed.usage.completion_tokens < (await complete(FRANCE)).usage.completion_tokens);
});

test('OpenAI request fields the seed users send are accepted (temperature, top_p, seed, n, metadata…)', async () => {
  const r = await complete(FRANCE, {
    temperature: 0.2, top_p: 0.9, seed: 7, n: 1, presence_penalty: 0, frequency_penalty: 0,
    response_format: { type: 'text' }, metadata: { purpose: 'e2e' }, store: false,
    some_unknown_field: { ignored: true },
  });
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.choices[0].message.content.length > 0);
});

test('a tool-calling conversation (assistant tool_calls with null content, tool result, tools) is accepted', async () => {
  const r = await complete([
    { role: 'user', content: 'What is the weather in Paris?' },
    {
      role: 'assistant', content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":18}' },
    { role: 'user', content: 'Summarize it.', name: 'alex' },
  ], {
    tools: [{
      type: 'function',
      function: { name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    }],
    tool_choice: 'auto',
  });
  assert.ok(['stop', 'tool_calls'].includes(r.choices[0].finish_reason), r.choices[0].finish_reason);
});

test('identity like the seed: user + user_name in the body, X-Session-Id and percent-encoded X-User-Name', async () => {
  const session = 'conv-8a1f2c';
  const { data: r, response } = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], user: 'user-42', user_name: 'Alex' },
    { headers: { 'X-Session-Id': session, 'X-User-Name': encodeURIComponent('Aléx') } },
  ).withResponse();
  assert.equal(response.status, 200);
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId, 'x-request-id header');

  const body = await usage({ session });
  assert.ok(body.data.length >= 1);
  for (const rec of body.data) assert.equal(rec.session, session, 'the session filter returned another session');
  const matching = body.data.filter((rec) => rec.id === requestId);
  assert.equal(matching.length, 1, `no usage record ${requestId} in ${JSON.stringify(body.data)}`);
  const [rec] = matching;
  assert.equal(rec.user, 'user-42');
  assert.equal(rec.user_name, 'Aléx'); // the header wins over the body's "Alex", decoded as UTF-8
  assert.equal(rec.session, 'conv-8a1f2c');
  assert.equal(rec.prompt_tokens, r.usage.prompt_tokens);
  assert.equal(rec.completion_tokens, r.usage.completion_tokens);
  assert.equal(rec.total_tokens, r.usage.total_tokens);
  assert.equal(rec.cost_cents, expectedCostCents(r.usage.prompt_tokens, r.usage.completion_tokens));
  assert.equal(rec.model, 'sentx-v1');
  assert.equal(rec.stream, false);
  assert.equal(rec.finish_reason, 'stop');
  assert.ok(rec.key_hint.endsWith(apiKey.slice(-4)), `key_hint ${rec.key_hint}`);
  assert.ok(!rec.key_hint.includes(apiKey.slice(3, -4)), 'key_hint must not reveal the key');

  // The user filter finds it too, and only user-42's records.
  const byUser = await usage({ user: 'user-42' });
  assert.ok(byUser.data.some((x) => x.id === requestId), 'user=user-42 filter misses the record');
  for (const x of byUser.data) assert.equal(x.user, 'user-42');

  // CSV export carries the decoded name.
  const csv = await fetch(`${origin}/account/usage?session=${session}&format=csv&limit=1000`, {
    headers: { Authorization: `Bearer ${sessionToken}` },
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const row = (await csv.text()).split('\r\n').find((line) => line.includes(requestId));
  assert.ok(row, 'the CSV has no row for the request');
  assert.ok(row.includes(',user-42,Aléx,conv-8a1f2c,'), `CSV row: ${row}`);
});

test('identity: X-User-Id header wins over body user; body user_name takes UTF-8 directly', async () => {
  const session = newSession('identity');
  const { response } = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], user: 'body-user', user_name: 'Zoë 李 🚀' },
    { headers: { 'X-Session-Id': session, 'X-User-Id': 'header-user-7' } },
  ).withResponse();
  const rec = await usageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.user, 'header-user-7');
  assert.equal(rec.user_name, 'Zoë 李 🚀');
  assert.equal(rec.session, session);
});

test('identity: percent-encoded non-Latin-1 header values (Arabic, CJK, emoji) are decoded as UTF-8', async () => {
  const session = newSession('utf8');
  const name = 'سارة 山田 🎉';
  const { response } = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: 'Hello' }] },
    { headers: { 'X-Session-Id': session, 'X-User-Name': encodeURIComponent(name), 'X-User-Id': encodeURIComponent('u/李') } },
  ).withResponse();
  const rec = await usageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.user_name, name);
  assert.equal(rec.user, 'u/李');
});

test('identity: an unencoded Latin-1 header value keeps its meaning (X-User-Name: Aléx)', async () => {
  const session = newSession('latin1');
  const { response } = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: 'Hello' }] },
    { headers: { 'X-Session-Id': session, 'X-User-Name': 'Aléx' } },
  ).withResponse();
  const rec = await usageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.user_name, 'Aléx');
});

test('identity: omitted fields are stored as null (stock clients unaffected)', async () => {
  const session = newSession('anon');
  const { response } = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: 'Hello' }] },
    { headers: { 'X-Session-Id': session } },
  ).withResponse();
  const rec = await usageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.user, null);
  assert.equal(rec.user_name, null);
});

test('X-Include-Cost: 1 adds an integer usage.cost_cents (non-stream); without it the field is absent', async () => {
  const session = newSession('cost');
  const { data: r, response } = await client.chat.completions.create(
    { model: MODEL, messages: FRANCE },
    { headers: { 'X-Include-Cost': '1', 'X-Session-Id': session } },
  ).withResponse();
  assert.ok(Number.isInteger(r.usage.cost_cents), `cost_cents = ${r.usage.cost_cents}`);
  assert.ok(r.usage.cost_cents >= 1);
  assert.equal(r.usage.cost_cents, expectedCostCents(r.usage.prompt_tokens, r.usage.completion_tokens));
  const rec = await usageRecord(session, response.headers.get('x-request-id'));
  assert.equal(rec.cost_cents, r.usage.cost_cents);

  const plain = await complete(FRANCE);
  assert.ok(!('cost_cents' in plain.usage), `cost_cents without the header: ${JSON.stringify(plain.usage)}`);
  const zero = await client.chat.completions.create({ model: MODEL, messages: FRANCE }, { headers: { 'X-Include-Cost': '0' } });
  assert.ok(!('cost_cents' in zero.usage), `cost_cents with X-Include-Cost: 0: ${JSON.stringify(zero.usage)}`);
});

test('X-Include-Cost: cost_cents follows the price list beyond the 1-cent minimum (large prompt)', async () => {
  const prompt = 'hello '.repeat(12_000);
  const r = await client.chat.completions.create(
    { model: MODEL, messages: [{ role: 'user', content: prompt }] },
    { headers: { 'X-Include-Cost': '1' } },
  );
  assert.ok(r.usage.prompt_tokens >= 12_000, `prompt_tokens = ${r.usage.prompt_tokens}`);
  assert.ok(r.usage.cost_cents >= 4, `cost_cents = ${r.usage.cost_cents}`);
  assert.equal(r.usage.cost_cents, expectedCostCents(r.usage.prompt_tokens, r.usage.completion_tokens));
});

test('X-Include-Cost: 1 adds cost_cents to the final stream chunk, in both stream modes', async () => {
  const stream = await client.chat.completions.create(
    { model: MODEL, messages: FRANCE, stream: true },
    { headers: { 'X-Include-Cost': '1' } },
  );
  const { chunks } = await drain(stream);
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, 'stop');
  assertUsageShape(last.usage);
  assert.ok(Number.isInteger(last.usage.cost_cents) && last.usage.cost_cents >= 1, JSON.stringify(last.usage));
  assert.equal(last.usage.cost_cents, expectedCostCents(last.usage.prompt_tokens, last.usage.completion_tokens));
  for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage ?? null, null);

  const withUsage = await client.chat.completions.create(
    { model: MODEL, messages: FRANCE, stream: true, stream_options: { include_usage: true } },
    { headers: { 'X-Include-Cost': '1' } },
  );
  const all = [];
  for await (const chunk of withUsage) all.push(chunk);
  assert.equal(all.at(-1).choices.length, 0);
  assert.deepEqual(all.at(-1).usage, last.usage);

  const plain = await client.chat.completions.create({ model: MODEL, messages: FRANCE, stream: true });
  const { chunks: plainChunks } = await drain(plain);
  assert.ok(!('cost_cents' in plainChunks.at(-1).usage), JSON.stringify(plainChunks.at(-1).usage));
});

test('headers: x-request-id and the x-ratelimit-* headers on a completion (withResponse)', async () => {
  const { data: r, response } = await client.chat.completions.create({ model: MODEL, messages: FRANCE }).withResponse();
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const requestId = response.headers.get('x-request-id');
  assert.match(requestId ?? '', /^req_[A-Za-z0-9_-]+$/);
  assert.equal(r._request_id, requestId);

  const limit = response.headers.get('x-ratelimit-limit-requests');
  const remaining = response.headers.get('x-ratelimit-remaining-requests');
  const reset = response.headers.get('x-ratelimit-reset-requests');
  assert.match(limit ?? '', /^[1-9]\d*$/, `x-ratelimit-limit-requests = ${limit}`);
  assert.match(remaining ?? '', /^\d+$/, `x-ratelimit-remaining-requests = ${remaining}`);
  assert.ok(Number(remaining) < Number(limit), `remaining ${remaining} must be below limit ${limit} after a request`);
  assert.match(reset ?? '', /^(\d+ms|\d+s|\d+m\d+s)$/, `x-ratelimit-reset-requests = ${reset} (Go duration)`);

  const second = await client.chat.completions.create({ model: MODEL, messages: FRANCE }).withResponse();
  assert.notEqual(second.response.headers.get('x-request-id'), requestId, 'x-request-id must be unique');
});

test('headers: a stream response is text/event-stream with x-request-id and x-ratelimit-remaining-requests', async () => {
  const { data: stream, response } = await client.chat.completions.create({
    model: MODEL, messages: FRANCE, stream: true,
  }).withResponse();
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.match(response.headers.get('x-request-id') ?? '', /^req_[A-Za-z0-9_-]+$/);
  assert.match(response.headers.get('x-ratelimit-remaining-requests') ?? '', /^\d+$/);
  const { text } = await drain(stream);
  assert.ok(text.length > 0);
});

test('models: list contains sentx-v1 and retrieve returns the same model object', async () => {
  const models = [];
  for await (const model of client.models.list()) models.push(model);
  const listed = models.find((m) => m.id === 'sentx-v1');
  assert.ok(listed, `sentx-v1 missing from ${JSON.stringify(models)}`);
  assert.equal(listed.object, 'model');
  assert.ok(Number.isInteger(listed.created), `created = ${listed.created}`);
  assert.equal(typeof listed.owned_by, 'string');

  const retrieved = await client.models.retrieve('sentx-v1');
  assert.equal(retrieved.id, 'sentx-v1');
  assert.equal(retrieved.object, 'model');
  assert.equal(retrieved.created, listed.created);
  assert.equal(retrieved.owned_by, listed.owned_by);
});
