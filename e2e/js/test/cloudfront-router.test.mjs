// The CloudFront Function of template.yaml that sends request bodies too large for a Lambda event
// to the upload service (docs/aws.md "Requests larger than Lambda accepts"). Runs the function's
// own code, taken from the template (its import on the first line, as CloudFront requires), with a stand-in for the
// `cloudfront` module that records the origin it selects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const template = readFileSync(fileURLToPath(new URL('../../../template.yaml', import.meta.url)), 'utf8');
const match = template.match(/FunctionCode: \|\n {8}(import cf from 'cloudfront';[\s\S]*?)\n\s*\/\/ END large-body-router/);
assert.ok(match, 'template.yaml has the large-body-router function, its import on the first line');
const code = match[1].replace(/^ {8}/gm, '');
assert.match(code, /^import cf from 'cloudfront';$/m);

function route(method, contentLength) {
  let selected = 'stream';
  const cf = { selectRequestOriginById: (id) => { selected = id; } };
  const handler = new Function('cf', code.replace(/^import cf from 'cloudfront';$/m, '') + '\nreturn handler;')(cf);
  const headers = contentLength === undefined ? {} : { 'content-length': { value: String(contentLength) } };
  const request = { method, uri: '/v1/chat/completions', headers, querystring: {}, cookies: {} };
  const out = handler({ version: '1.0', request });
  assert.equal(out, request, 'the request goes on unchanged');
  return selected;
}

test('small and medium bodies stay on the streaming function', () => {
  assert.equal(route('POST', 200), 'stream');
  assert.equal(route('POST', 4_400_000), 'stream');
});

test('bodies a Lambda event cannot hold go to the upload service', () => {
  assert.equal(route('POST', 4_400_001), 'uploads');
  // A 10 MB image inline is about 13.4 MB of base64.
  assert.equal(route('POST', 14_000_000), 'uploads');
});

test('a body of unknown length (chunked) goes where any size fits', () => {
  assert.equal(route('POST'), 'uploads');
  assert.equal(route('POST', 'garbage'), 'uploads');
});

test('reads are never rerouted', () => {
  assert.equal(route('GET'), 'stream');
  assert.equal(route('DELETE'), 'stream');
});
