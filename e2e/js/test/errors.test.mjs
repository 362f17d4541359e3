// Errors as the official OpenAI Node SDK surfaces them (CONTRACT §3, OPENAI-WIRE.md
// "Errors, retries, headers"): each status maps to its SDK exception class, the envelope's
// code/type/param reach err.code/err.type/err.param, and a stream that fails after its first
// byte makes the SDK's iterator throw. Against openai 6.x (core/streaming.mjs): a data event
// whose JSON has an `error` key → `throw new APIError(undefined, data.error, undefined,
// response.headers)`, i.e. a plain APIError with status undefined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { baseURL, origin, apiKey, sessionToken, MODEL, clientFor } from '../lib/env.mjs';


const client = clientFor();
const FAIL_BEFORE_FIRST_TOKEN = '__sentx_fail_before_first_token__';
const FAIL_MID_STREAM = '__sentx_fail_mid_stream__';

/**
 * Runs `fn`, which must throw an SDK error of exactly class `Class`, with the given HTTP status
 * and envelope fields; returns the error for further checks.
 */
async function expectApiError(fn, Class, { status, code, type, param }) {
  let caught;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${Class.name}, but the call succeeded`);
  assert.ok(caught instanceof Class,
    `expected ${Class.name}, got ${caught?.constructor?.name}: ${caught?.message}`);
  assert.equal(caught.constructor, Class, `expected exactly ${Class.name}, got ${caught.constructor.name}`);
  assert.equal(caught.status, status);
  assert.equal(caught.code, code, `err.code (message: ${caught.message})`);
  assert.equal(caught.error?.code, code);
  if (type !== undefined) assert.equal(caught.type, type);
  if (param !== undefined) assert.equal(caught.param, param);
  // The envelope of CONTRACT §3: all four keys present, message a non-empty string.
  assert.deepEqual(Object.keys(caught.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(typeof caught.error.message, 'string');
  assert.ok(caught.error.message.length > 0);
  return caught;
}

/** Whether the usage API has a record with id `requestId` (the request was billed). */
async function billed(session, requestId) {
  const response = await fetch(`${origin}/account/usage?${new URLSearchParams({ session, limit: '1000' })}`, {
    headers: { Authorization: `Bearer ${sessionToken}` },
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  return body.data.some((r) => r.id === requestId);
}

function user(content) {
  return [{ role: 'user', content }];
}

function image(url) {
  return [{
    role: 'user',
    content: [
      { type: 'image_url', image_url: { url } },
      { type: 'text', text: 'What does this chart show?' },
    ],
  }];
}

test('401: a wrong key → AuthenticationError with code invalid_api_key, on every /v1 route', async () => {
  const wrong = new OpenAI({ apiKey: `sk-${'W'.repeat(48)}`, baseURL, maxRetries: 0, timeout: 10_000 });
  const err = await expectApiError(
    () => wrong.chat.completions.create({ model: MODEL, messages: user('Hello') }),
    OpenAI.AuthenticationError,
    { status: 401, code: 'invalid_api_key', type: 'authentication_error' },
  );
  assert.match(err.requestID ?? '', /^req_[A-Za-z0-9_-]+$/, 'x-request-id on an error response');
  assert.match(err.headers.get('content-type') ?? '', /^application\/json/);

  await expectApiError(() => wrong.models.list(), OpenAI.AuthenticationError,
    { status: 401, code: 'invalid_api_key' });
  await expectApiError(
    () => wrong.chat.completions.create({ model: MODEL, messages: user('Hello'), stream: true }),
    OpenAI.AuthenticationError, { status: 401, code: 'invalid_api_key' });

  const malformed = new OpenAI({ apiKey: 'not-a-key', baseURL, maxRetries: 0, timeout: 10_000 });
  await expectApiError(() => malformed.models.retrieve('sentx-v1'), OpenAI.AuthenticationError,
    { status: 401, code: 'invalid_api_key' });
});

test('400: an http:// image URL → BadRequestError unsupported_url_scheme, naming the parameter', async () => {
  const err = await expectApiError(
    () => client.chat.completions.create({ model: MODEL, messages: image('http://example.com/chart.png') }),
    OpenAI.BadRequestError,
    { status: 400, code: 'unsupported_url_scheme', type: 'invalid_request_error',
      param: 'messages[0].content[0].image_url.url' },
  );
  assert.match(err.requestID ?? '', /^req_/);
});

test('400: every non-data: URL scheme is refused (https, file, ftp, s3), streamed or not', async () => {
  for (const url of ['https://example.com/chart.png', 'file:///etc/passwd', 'ftp://example.com/a.png',
    's3://bucket/a.png', 'HTTP://EXAMPLE.COM/A.PNG']) {
    await expectApiError(
      () => client.chat.completions.create({ model: MODEL, messages: image(url) }),
      OpenAI.BadRequestError, { status: 400, code: 'unsupported_url_scheme' });
  }
  // A stream refused before its first byte is a normal JSON error: create() itself rejects.
  await expectApiError(
    () => client.chat.completions.create({ model: MODEL, messages: image('http://example.com/a.png'), stream: true }),
    OpenAI.BadRequestError, { status: 400, code: 'unsupported_url_scheme' });
});

test('400: system text of 2,001 characters → system_message_too_long; 2,000 is accepted', async () => {
  await expectApiError(
    () => client.chat.completions.create({
      model: MODEL, messages: [{ role: 'system', content: 'a'.repeat(2001) }, ...user('Hello')],
    }),
    OpenAI.BadRequestError, { status: 400, code: 'system_message_too_long', type: 'invalid_request_error' });

  const ok = await client.chat.completions.create({
    model: MODEL, messages: [{ role: 'system', content: 'a'.repeat(2000) }, ...user('Hello')],
  });
  assert.equal(ok.choices[0].finish_reason, 'stop');
});

test('400: the 2,000-character system limit counts code points and sums system + developer messages', async () => {
  // 2,000 emoji are 2,000 code points (4,000 UTF-16 units): within the limit.
  const emoji = await client.chat.completions.create({
    model: MODEL, messages: [{ role: 'system', content: '😀'.repeat(2000) }, ...user('Hello')],
  });
  assert.equal(emoji.choices[0].finish_reason, 'stop');

  await expectApiError(
    () => client.chat.completions.create({
      model: MODEL, messages: [{ role: 'system', content: '😀'.repeat(2001) }, ...user('Hello')],
    }),
    OpenAI.BadRequestError, { status: 400, code: 'system_message_too_long' });

  await expectApiError(
    () => client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 's'.repeat(1000) },
        { role: 'developer', content: 'd'.repeat(1001) },
        ...user('Hello'),
      ],
    }),
    OpenAI.BadRequestError, { status: 400, code: 'system_message_too_long' });
});

test('400: stream_options without stream → BadRequestError naming stream_options', async () => {
  await expectApiError(
    () => client.chat.completions.create({
      model: MODEL, messages: user('Hello'), stream_options: { include_usage: true },
    }),
    OpenAI.BadRequestError, { status: 400, code: 'invalid_parameter', param: 'stream_options' });
});

test('400: malformed or over-long identity headers → invalid_parameter naming the header', async () => {
  await expectApiError(
    () => client.chat.completions.create(
      { model: MODEL, messages: user('Hello') }, { headers: { 'X-User-Name': 'Al%C3' } }),
    OpenAI.BadRequestError, { status: 400, code: 'invalid_parameter', param: 'X-User-Name' });
  await expectApiError(
    () => client.chat.completions.create(
      { model: MODEL, messages: user('Hello') }, { headers: { 'X-Session-Id': 's'.repeat(257) } }),
    OpenAI.BadRequestError, { status: 400, code: 'invalid_parameter', param: 'X-Session-Id' });
  // 256 characters is still fine.
  const ok = await client.chat.completions.create(
    { model: MODEL, messages: user('Hello') }, { headers: { 'X-Session-Id': 's'.repeat(256) } });
  assert.equal(ok.choices[0].finish_reason, 'stop');
});

test('400: an empty messages array → BadRequestError naming messages', async () => {
  await expectApiError(
    () => client.chat.completions.create({ model: MODEL, messages: [] }),
    OpenAI.BadRequestError, { status: 400, type: 'invalid_request_error', param: 'messages',
      code: 'invalid_parameter' });
});

test('404: models.retrieve of an unknown model → NotFoundError model_not_found; unknown route → not_found', async () => {
  await expectApiError(() => client.models.retrieve('nope'), OpenAI.NotFoundError,
    { status: 404, code: 'model_not_found', type: 'invalid_request_error' });
  await expectApiError(() => client.get('/no-such-route'), OpenAI.NotFoundError,
    { status: 404, code: 'not_found' });
});

test('405: GET /v1/chat/completions → APIError 405 method_not_allowed (JSON envelope)', async () => {
  const err = await expectApiError(() => client.get('/chat/completions'), OpenAI.APIError,
    { status: 405, code: 'method_not_allowed', type: 'invalid_request_error' });
  assert.match(err.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(err.headers.get('allow'), 'POST');
});

test('502: the fail-before-first-token trigger → InternalServerError upstream_error, not billed', async () => {
  const session = `conv-js-fail-${randomUUID()}`;
  const err = await expectApiError(
    () => client.chat.completions.create(
      { model: MODEL, messages: user(FAIL_BEFORE_FIRST_TOKEN) }, { headers: { 'X-Session-Id': session } }),
    OpenAI.InternalServerError, { status: 502, code: 'upstream_error', type: 'api_error' });
  assert.match(err.requestID ?? '', /^req_/);
  assert.equal(await billed(session, err.requestID), false, 'a request failed by the backend must not be billed');

  // Streamed: it fails before the first byte, so it is a normal 502 and create() rejects.
  const streamErr = await expectApiError(
    () => client.chat.completions.create(
      { model: MODEL, messages: user(FAIL_BEFORE_FIRST_TOKEN), stream: true },
      { headers: { 'X-Session-Id': session } }),
    OpenAI.InternalServerError, { status: 502, code: 'upstream_error', type: 'api_error' });
  assert.match(streamErr.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(await billed(session, streamErr.requestID), false);
});

test('mid-stream failure: 3 content chunks, then iterating throws a plain APIError with the envelope', async () => {
  const session = `conv-js-mid-${randomUUID()}`;
  const { data: stream, response } = await client.chat.completions.create(
    { model: MODEL, messages: user(FAIL_MID_STREAM), stream: true },
    { headers: { 'X-Session-Id': session } },
  ).withResponse();
  assert.equal(response.status, 200);
  const requestId = response.headers.get('x-request-id');

  const chunks = [];
  let caught;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.choices[0].delta.content) { /* the seed's loop */ }
    }
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, 'iterating a stream that fails mid-way must throw');
  assert.equal(caught.constructor, OpenAI.APIError,
    `expected exactly OpenAI.APIError, got ${caught.constructor.name}: ${caught.message}`);
  assert.ok(!(caught instanceof OpenAI.APIConnectionError));
  assert.equal(caught.status, undefined, 'the SDK raises stream error events with no status');
  assert.equal(caught.code, 'upstream_error');
  assert.equal(caught.type, 'api_error');
  assert.equal(caught.param, null);
  assert.deepEqual(Object.keys(caught.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(caught.message, caught.error.message);
  assert.equal(caught.requestID, requestId);

  // Before the error: the role chunk and exactly 3 content chunks.
  assert.equal(chunks.length, 4, `chunks before the error: ${JSON.stringify(chunks)}`);
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  for (const chunk of chunks.slice(1)) {
    assert.equal(typeof chunk.choices[0].delta.content, 'string');
    assert.ok(chunk.choices[0].delta.content.length > 0);
    assert.equal(chunk.choices[0].finish_reason, null);
  }
  assert.equal(await billed(session, requestId), false, 'a request failed by the backend must not be billed');
});
