// A real OpenAI-compatible HTTP server (node:http) for SentX to relay to, the JS twin of
// local-server/src/test/java/ai/sentx/local/FakeUpstream.java. Each request picks its behaviour with
// its last user message: `fake:<mode> [argument] [tag]` selects a mode, anything else is `normal`.
// It streams as OpenAI does (role chunk, one chunk per word, a finish chunk, the usage chunk when
// stream_options.include_usage asks for it, [DONE]), answers `stream: false` with a chat.completion,
// and records every request and when its connection went away.
// Lives outside test/ because Node's runner treats every .mjs under test/ as a test file.
import http from 'node:http';

/** The words of the normal reply, one token each. */
export const WORDS = ['Hello', ' from', ' the', ' fake', ' upstream', '.', ' The', ' sea',
  ' is', ' calm', ' today', ' and', ' the', ' sky', ' is', ' blue', '.'];
export const REPLY = WORDS.join('');
/** The prompt tokens the fake reports: deliberately unlike any estimate SentX could make. */
export const PROMPT_TOKENS = 57;
/** The completion tokens reported for the tool-call reply. */
export const TOOL_CALL_TOKENS = 23;
/** Strings that must never leave SentX: the fake puts them in its error bodies. */
export const SECRET = 'sk-proj-UPSTREAMSECRET0123456789';
export const INTERNAL_URL = 'http://10.1.2.3:8000/internal/v1';
export const TOOL_CALLS = [
  { id: 'call_fakeWeather', name: 'get_weather', pieces: ['', '{"ci', 'ty":"Pa', 'ris"}'] },
  { id: 'call_fakeTime', name: 'get_time', pieces: ['{"tz":', '"CET"}'] },
];

const MODES = new Set(['normal', 'tools', 'status500', 'status400', 'silent', 'drop', 'stall', 'gap', 'paced',
  'forever']);

/** The user message that selects `mode` with `argument`, made unique by `tag`. */
export function ask(mode, argument = 0, tag = Math.random().toString(36).slice(2)) {
  return `fake:${mode} ${argument} ${tag}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function lastUserText(body) {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.find((p) => p?.type === 'text')?.text ?? '';
    return '';
  }
  return '';
}

function parseAsk(text) {
  if (!text.startsWith('fake:')) return { mode: 'normal', argument: 0 };
  const [head, arg] = text.split(' ');
  const mode = head.slice('fake:'.length);
  if (!MODES.has(mode)) throw new Error(`unknown fake mode ${mode}`);
  return { mode, argument: Number(arg) || 0 };
}

function chunk(delta, finishReason = null, includeUsage = false) {
  const c = {
    id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  if (includeUsage) c.usage = null;
  return c;
}

function usageChunk(completionTokens) {
  return {
    id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model', choices: [],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: completionTokens,
      total_tokens: PROMPT_TOKENS + completionTokens },
  };
}

export class FakeUpstream {
  /** Every request received, in order: {text, mode, body, headers, attempt, closedAt, finished}. */
  requests = [];
  #server;
  #attempts = new Map();
  #closers = new Set();

  static async start() {
    const fake = new FakeUpstream();
    await fake.#listen();
    return fake;
  }

  async #listen() {
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`fake upstream failed: ${err.message}`);
        } else {
          res.destroy();
        }
      });
    });
    await new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', resolve);
    });
  }

  /** The API base SentX is to call: http://127.0.0.1:port/v1. */
  get baseUrl() {
    return `http://127.0.0.1:${this.#server.address().port}/v1`;
  }

  /** The requests whose last user message contains `tag`. */
  requestsWith(tag) {
    return this.requests.filter((r) => r.text.includes(tag));
  }

  /** How many requests carried exactly this last user message. */
  attempts(text) {
    return this.#attempts.get(text) ?? 0;
  }

  /**
   * Waits until the (first) request whose text contains `tag` has lost its connection before the
   * fake ended the response; resolves with that time (performance.now()) or null after `withinMs`.
   */
  async awaitClose(tag, withinMs) {
    const deadline = performance.now() + withinMs;
    while (performance.now() < deadline) {
      const r = this.requestsWith(tag)[0];
      if (r?.closedAt != null) return r.closedAt;
      await sleep(10);
    }
    return null;
  }

  async close() {
    for (const stop of this.#closers) stop();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req, res) {
    const raw = [];
    for await (const piece of req) raw.push(piece);
    const body = JSON.parse(Buffer.concat(raw).toString('utf8'));
    const text = lastUserText(body);
    const { mode, argument } = parseAsk(text);
    const attempt = (this.#attempts.get(text) ?? 0) + 1;
    this.#attempts.set(text, attempt);
    const record = { text, mode, argument, body, headers: req.headers, attempt, closedAt: null, finished: false };
    this.requests.push(record);
    let stopped = false;
    const stop = () => { stopped = true; };
    this.#closers.add(stop);
    res.on('close', () => {
      this.#closers.delete(stop);
      stopped = true;
      if (!res.writableFinished) record.closedAt = performance.now();
    });
    const alive = () => !stopped && !res.destroyed;

    if (mode === 'status500' || mode === 'status400') {
      const status = mode === 'status500' ? 500 : 400;
      const json = JSON.stringify({ error: {
        message: `Request failed for key ${SECRET} via ${INTERNAL_URL}: the prompt was 'customer secret text'`,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: status >= 500 ? null : 'messages',
        code: status >= 500 ? 'server_error' : 'invalid_value',
      } });
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
      record.finished = true;
      return;
    }
    if (mode === 'silent') return; // no status, no byte: SentX's first-token timeout must fire
    const includeUsage = body.stream_options?.include_usage === true;
    const budget = body.max_completion_tokens ?? body.max_tokens ?? Infinity;

    if (body.stream !== true) {
      const words = WORDS.slice(0, Math.min(WORDS.length, budget));
      const message = mode === 'tools'
        ? { role: 'assistant', content: null, refusal: null, tool_calls: TOOL_CALLS.map((c) => (
          { id: c.id, type: 'function', function: { name: c.name, arguments: c.pieces.join('') } })) }
        : { role: 'assistant', content: words.join(''), refusal: null };
      const completion = mode === 'tools' ? TOOL_CALL_TOKENS : words.length;
      const json = JSON.stringify({
        id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model: 'fake-model',
        choices: [{ index: 0, message, logprobs: null,
          finish_reason: mode === 'tools' ? 'tool_calls' : words.length < WORDS.length ? 'length' : 'stop' }],
        usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: completion, total_tokens: PROMPT_TOKENS + completion },
      });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
      record.finished = true;
      return;
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const send = (payload) => {
      if (alive()) res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    };
    const finish = (reason, completionTokens) => {
      send(chunk({}, reason, includeUsage));
      if (includeUsage) send(usageChunk(completionTokens));
      send('[DONE]');
      if (alive()) res.end();
      record.finished = true;
    };

    if (mode === 'tools') {
      send(chunk({ role: 'assistant', content: null }, null, includeUsage));
      TOOL_CALLS.forEach((call, index) => {
        call.pieces.forEach((piece, i) => {
          const tc = i === 0
            ? { index, id: call.id, type: 'function', function: { name: call.name, arguments: piece } }
            : { index, function: { arguments: piece } };
          send(chunk({ tool_calls: [tc] }, null, includeUsage));
        });
      });
      finish('tool_calls', TOOL_CALL_TOKENS);
      return;
    }

    send(chunk({ role: 'assistant', content: '' }, null, includeUsage));
    if (mode === 'forever') {
      // One word every 20 ms until SentX goes away (or 60 s pass).
      const until = performance.now() + 60_000;
      while (alive() && performance.now() < until) {
        send(chunk({ content: ' more' }, null, includeUsage));
        await sleep(20);
      }
      if (alive()) res.end();
      return;
    }
    let sent = 0;
    for (const word of WORDS) {
      if (sent === budget || !alive()) break;
      send(chunk({ content: word }, null, includeUsage));
      sent++;
      if (mode === 'gap' && sent === 1) await sleep(argument);
      if (mode === 'paced') await sleep(argument);
      if (mode === 'drop' && sent === 3) {
        await sleep(50); // let the three words reach SentX, then cut the connection mid-body
        res.socket?.destroy();
        return;
      }
      if (mode === 'stall' && sent === 3) {
        // Silence (no byte) until SentX gives up or 20 s pass.
        const until = performance.now() + 20_000;
        while (alive() && performance.now() < until) await sleep(20);
        if (alive()) res.destroy();
        return;
      }
    }
    if (!alive()) return;
    finish(sent < WORDS.length ? 'length' : 'stop', sent);
  }
}
