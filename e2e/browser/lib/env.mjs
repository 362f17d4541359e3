// Where the server under test and its Stripe stand-in are, from the variables `./sentx test` sets;
// set them by hand to run the suite against any local server started with the same values.
// Lives outside test/ because Node's runner treats every .mjs under test/ as a test file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (./sentx test sets it)`);
  return value;
}

export const origin = required('SENTX_ORIGIN');
export const baseURL = required('SENTX_BASE_URL');
export const sessionToken = required('SENTX_SESSION_TOKEN');
export const webhookSecret = required('SENTX_STRIPE_WEBHOOK_SECRET');
export const stripeOrigin = required('SENTX_STRIPE_STANDIN_ORIGIN');

/** Debian's chromium (installed by .ci/run), or SENTX_CHROMIUM. */
export function chromiumPath() {
  const candidates = [process.env.SENTX_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  assert.ok(found, `no Chromium found (looked at ${candidates.join(', ')}); install it: apt-get install chromium`);
  return found;
}
