// Smoke test of a running SentX server through the official OpenAI Node client.
// `./sentx test` starts the server and sets SENTX_BASE_URL, SENTX_ORIGIN, SENTX_API_KEY
// and SENTX_SESSION_TOKEN; run it by hand against any server with the same variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { baseURL, origin, apiKey, clientFor } from '../lib/env.mjs';


const client = clientFor();

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
