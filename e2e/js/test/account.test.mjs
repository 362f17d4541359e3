// The /account dashboard backend (CONTRACT §9) with plain fetch, and the API keys it mints
// used through the official OpenAI Node SDK: create → use → revoke takes effect at once.
// Creates ONE key per run: the server allows 5 key creations per hour per account by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { baseURL, origin, apiKey, sessionToken, MODEL } from '../lib/env.mjs';



/** A call to /account with the demo session (or `bearer`); returns status, headers and parsed JSON. */
async function account(method, path, { body, bearer = sessionToken } = {}) {
  const headers = { Authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`${method} ${path} → ${response.status}: body is not JSON: ${text}`);
  }
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${method} ${path} content-type`);
  return { status: response.status, headers: response.headers, json, text };
}

function assertEnvelope(json, code) {
  assert.ok(json.error, `expected an error envelope, got ${JSON.stringify(json)}`);
  assert.deepEqual(Object.keys(json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(json.error.code, code);
}

test('key lifecycle: POST /account/keys → 201 with the full key once; it works via the SDK; DELETE revokes it at once', async () => {
  const name = `js-e2e-${randomUUID().slice(0, 8)}`;
  const created = await account('POST', '/account/keys', { body: { name } });
  assert.equal(created.status, 201,
    `POST /account/keys → ${created.status} ${created.text}` +
    (created.status === 429 ? ' (5 key creations/hour: restart the server to rerun)' : ''));
  const key = created.json;
  assert.match(key.key, /^sk-[A-Za-z0-9_-]{40,}$/, 'the full key: sk- + at least 40 URL-safe characters');
  assert.equal(key.name, name);
  assert.equal(typeof key.id, 'string');
  assert.ok(key.id.length > 0);
  assert.ok(Number.isInteger(key.created_at), `created_at = ${key.created_at}`);
  assert.ok(key.hint.startsWith('sk-'), `hint = ${key.hint}`);
  assert.ok(key.hint.endsWith(key.key.slice(-4)), `hint ${key.hint} must end with the key's last 4`);
  assert.ok(!key.hint.includes(key.key.slice(3, -4)), 'the hint must not reveal the key');
  assert.equal(created.headers.get('cache-control'), 'no-store');

  // Listed without the full key.
  const listed = await account('GET', '/account/keys');
  assert.equal(listed.status, 200);
  const entry = listed.json.data.find((k) => k.id === key.id);
  assert.ok(entry, `the new key ${key.id} is not listed: ${listed.text}`);
  assert.equal(entry.name, name);
  assert.equal(entry.hint, key.hint);
  assert.equal(entry.last_used_at, null, 'a key never used has last_used_at null');
  assert.ok(!('key' in entry), 'GET /account/keys must never return the full key');
  assert.ok(!listed.text.includes(key.key), 'the full key appears in GET /account/keys');

  // The new key works through a new SDK client; its own request window starts at limit - 1.
  const fresh = new OpenAI({ apiKey: key.key, baseURL, maxRetries: 0, timeout: 10_000 });
  const { data: r, response } = await fresh.chat.completions.create({
    model: MODEL, messages: [{ role: 'user', content: 'What is the capital of France?' }],
  }).withResponse();
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.choices[0].message.content.length > 0);
  const limit = Number(response.headers.get('x-ratelimit-limit-requests'));
  assert.ok(Number.isInteger(limit) && limit > 0, `x-ratelimit-limit-requests = ${limit}`);
  assert.equal(Number(response.headers.get('x-ratelimit-remaining-requests')), limit - 1,
    'the first request of a fresh key leaves limit - 1 requests');
  const models = [];
  for await (const m of fresh.models.list()) models.push(m.id);
  assert.ok(models.includes('sentx-v1'));

  // The usage record names the new key; last_used_at is set.
  const requestId = response.headers.get('x-request-id');
  const usage = await account('GET', `/account/usage?key_id=${encodeURIComponent(key.id)}&limit=1000`);
  assert.equal(usage.status, 200);
  const rec = usage.json.data.find((x) => x.id === requestId);
  assert.ok(rec, `no usage record ${requestId} for key ${key.id}: ${usage.text}`);
  assert.equal(rec.key_id, key.id);
  assert.equal(rec.key_hint, key.hint);
  for (const x of usage.json.data) assert.equal(x.key_id, key.id, 'key_id filter returned another key');
  const afterUse = (await account('GET', '/account/keys')).json.data.find((k) => k.id === key.id);
  assert.ok(Number.isInteger(afterUse.last_used_at), `last_used_at after use = ${afterUse.last_used_at}`);

  // Revoke: the very next call with the same client is refused.
  const revoked = await account('DELETE', `/account/keys/${encodeURIComponent(key.id)}`);
  assert.equal(revoked.status, 200, `DELETE → ${revoked.status} ${revoked.text}`);
  assert.equal(revoked.json.id, key.id);
  assert.equal(revoked.json.deleted, true);

  for (const call of [
    () => fresh.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hello' }] }),
    () => fresh.models.list(),
  ]) {
    let caught;
    try {
      await call();
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof OpenAI.AuthenticationError,
      `a revoked key must get AuthenticationError, got ${caught?.constructor?.name ?? 'success'}`);
    assert.equal(caught.status, 401);
    assert.equal(caught.code, 'invalid_api_key');
  }
});

test('GET /account and /account/balance with the session', async () => {
  const me = await account('GET', '/account');
  assert.equal(me.status, 200);
  assert.equal(typeof me.json.id, 'string');
  assert.ok(Number.isInteger(me.json.balance_cents) && me.json.balance_cents >= 0, me.text);
  assert.ok(Number.isInteger(me.json.created_at), me.text);
  const balance = await account('GET', '/account/balance');
  assert.equal(balance.status, 200);
  assert.ok(Number.isInteger(balance.json.balance_cents) && balance.json.balance_cents > 0, balance.text);
});

test('an API key is never a session, and a session is never an API key', async () => {
  for (const path of ['/account', '/account/keys', '/account/usage']) {
    const r = await account('GET', path, { bearer: apiKey });
    assert.equal(r.status, 401, `GET ${path} with an API key → ${r.status}`);
    assert.deepEqual(Object.keys(r.json.error ?? {}).sort(), ['code', 'message', 'param', 'type'], r.text);
    assert.equal(r.json.error.type, 'authentication_error');
  }
  const noAuth = await fetch(`${origin}/account/keys`, { method: 'POST', body: '{"name":"x"}' });
  assert.equal(noAuth.status, 401);
  await noAuth.arrayBuffer();

  const sessionAsKey = new OpenAI({ apiKey: sessionToken, baseURL, maxRetries: 0, timeout: 10_000 });
  await assert.rejects(() => sessionAsKey.models.list(), (err) => {
    assert.ok(err instanceof OpenAI.AuthenticationError, `got ${err.constructor.name}`);
    assert.equal(err.code, 'invalid_api_key');
    return true;
  });
});

test('POST /account/keys without a name → 400 missing_required_parameter; unknown key id → 404', async () => {
  const missing = await account('POST', '/account/keys', { body: {} });
  assert.equal(missing.status, 400, missing.text);
  assertEnvelope(missing.json, 'missing_required_parameter');
  assert.equal(missing.json.error.param, 'name');

  const unknown = await account('DELETE', '/account/keys/key_does_not_exist');
  assert.equal(unknown.status, 404, unknown.text);
  assertEnvelope(unknown.json, 'not_found');
});
