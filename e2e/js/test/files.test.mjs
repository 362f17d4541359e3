// The Files API through the official OpenAI Node SDK (openai 6.x): upload (named, and an
// unnamed stream the SDK calls `unknown_file`), dedupe, list paging to an empty page,
// retrieve, content, delete, and a file used in a chat message (CONTRACT §8, OPENAI-WIRE "Files").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { toFile, NotFoundError, BadRequestError, UnprocessableEntityError } from 'openai';
import { MODEL, clientFor } from '../lib/env.mjs';

const client = clientFor();
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

test('upload, retrieve, read and delete a markdown file', async () => {
  const text = `# Plan\n\nShip on ${randomUUID()}.\n`;
  const f = await client.files.create({ file: await toFile(Buffer.from(text), 'plan.md'), purpose: 'assistants' });
  assert.match(f.id, /^file-/);
  assert.equal(f.object, 'file');
  assert.equal(f.filename, 'plan.md');
  assert.equal(f.bytes, Buffer.byteLength(text));
  assert.equal(f.status, 'processed');
  assert.equal(f.expires_at, f.created_at + 30 * 24 * 3600);

  const again = await client.files.retrieve(f.id);
  assert.deepEqual(again, f);
  const content = await client.files.content(f.id);
  assert.equal(await content.text(), text);

  const deleted = await client.files.delete(f.id);
  assert.deepEqual(deleted, { id: f.id, object: 'file', deleted: true });
  await assert.rejects(client.files.retrieve(f.id), (err) => err instanceof NotFoundError && err.code === 'file_not_found');
});

test('an unnamed stream upload is accepted and named by the SDK', async () => {
  const bytes = Buffer.from(`id,value\n1,${randomUUID()}\n`);
  const f = await client.files.create({ file: Readable.from([bytes]), purpose: 'user_data' });
  assert.equal(f.bytes, bytes.length);
  assert.ok(f.filename.length > 0);
  await client.files.delete(f.id);
});

test('the same bytes twice give the same id', async () => {
  const bytes = Buffer.from(`dedupe ${randomUUID()}`);
  const a = await client.files.create({ file: await toFile(bytes, 'a.txt'), purpose: 'assistants' });
  const b = await client.files.create({ file: await toFile(bytes, 'b.txt'), purpose: 'assistants' });
  assert.equal(b.id, a.id);
  await client.files.delete(a.id);
});

test('the list pages with after until has_more is false, newest first', async () => {
  const purpose = 'batch';
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const f = await client.files.create({ file: await toFile(Buffer.from(`page ${i} ${randomUUID()}`), `p${i}.txt`), purpose });
    ids.push(f.id);
  }
  const seen = [];
  for await (const f of client.files.list({ limit: 2, purpose })) seen.push(f.id);
  assert.equal(seen.length, 5);
  assert.deepEqual(new Set(seen), new Set(ids));
  const page = await client.files.list({ limit: 2, purpose });
  assert.equal(page.data.length, 2);
  assert.equal(page.has_more, true);
  const last = await client.files.list({ limit: 10, purpose, after: seen.at(-1) });
  assert.equal(last.data.length, 0);
  assert.equal(last.has_more, false);
  for (const id of ids) await client.files.delete(id);
});

test('a file named in a chat message reaches the model', async () => {
  const marker = `Ouagadougou${randomUUID().slice(0, 8)}`;
  const f = await client.files.create({ file: await toFile(Buffer.from(`The capital is ${marker}.`), 'capital.txt'), purpose: 'user_data' });
  const completion = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: [
      { type: 'file', file: { file_id: f.id } },
      { type: 'text', text: 'What is the capital?' },
    ] }],
  });
  assert.ok(completion.choices[0].message.content.includes(marker), completion.choices[0].message.content);
  await assert.rejects(client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-unknown' } }] }],
  }), (err) => err instanceof BadRequestError && err.code === 'file_not_found');
  await client.files.delete(f.id);
});

test('the EICAR test file is refused with 422 av_hit', async () => {
  await assert.rejects(client.files.create({ file: await toFile(Buffer.from(EICAR), 'eicar.com'), purpose: 'assistants' }),
    (err) => err instanceof UnprocessableEntityError && err.code === 'av_hit');
});

test('bytes of an unsupported format are refused with 400 invalid_file_format', async () => {
  await assert.rejects(client.files.create({ file: await toFile(Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0]), 'x.exe'), purpose: 'assistants' }),
    (err) => err instanceof BadRequestError && err.code === 'invalid_file_format');
});
