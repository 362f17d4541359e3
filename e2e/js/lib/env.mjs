// Where the server under test is, from the variables `./sentx test` sets (SENTX_BASE_URL,
// SENTX_ORIGIN, SENTX_API_KEY, SENTX_SESSION_TOKEN); set them by hand to run against any server.
// Lives outside test/ because Node's runner treats every .mjs under test/ as a test file.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (./sentx test sets it)`);
  return value;
}

export const baseURL = required('SENTX_BASE_URL');
export const origin = required('SENTX_ORIGIN');
export const apiKey = required('SENTX_API_KEY');
export const sessionToken = required('SENTX_SESSION_TOKEN');
export const MODEL = 'sentx-v1';

/** An official client for `key` that neither retries nor waits long. */
export function clientFor(key = apiKey) {
  return new OpenAI({ apiKey: key, baseURL, maxRetries: 0, timeout: 10_000 });
}
