// Smoke test of a running SentX server through the official OpenAI Node client.
// `./sentx test` starts the server and sets SENTX_BASE_URL, SENTX_ORIGIN, SENTX_API_KEY
// and SENTX_SESSION_TOKEN; run it by hand against any server with the same variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (./sentx test sets it)`);
  return value;
}

const baseURL = required('SENTX_BASE_URL');
const origin = required('SENTX_ORIGIN');
const apiKey = required('SENTX_API_KEY');

const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 10_000 });

test('health answers 200', async () => {
  const response = await fetch(`${origin}/health`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
});

test('models.list contains sentx-v1', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes('sentx-v1'), `expected sentx-v1 among ${JSON.stringify(ids)}`);
});
