// Quick start: the public page's examples with this deployment's base URL filled in.
import { h, copy } from './api.js';

export function render(main) {
  const base = location.origin + '/v1';
  const python = `from openai import OpenAI

client = OpenAI(api_key="sk-YOUR_KEY", base_url="${base}")
r = client.chat.completions.create(
    model="sentx-v1",
    messages=[{"role": "user", "content": "What is the capital of France?"}],
)
print(r.choices[0].message.content)
print(r.usage)
`;
  const curl = `curl ${base}/chat/completions \\
  -H "Authorization: Bearer $SENTX_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{ "model": "sentx-v1", "messages": [{"role": "user", "content": "What is the capital of France?"}] }'
`;
  const stream = `stream = client.chat.completions.create(
    model="sentx-v1",
    messages=[{"role": "user", "content": "Explain black holes in 2 paragraphs"}],
    stream=True,
)
for chunk in stream:
    if chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
`;
  main.replaceChildren(h('h1', {}, 'Quick start'),
    h('ol', {},
      h('li', {}, 'On the ', h('a', { href: '/dashboard/api' }, 'API'), ' page, click + Create new key, give it a name and copy the key.'),
      h('li', {}, 'Add credits on the ', h('a', { href: '/dashboard/billing' }, 'Billing'), ' page if your balance is low.'),
      h('li', {}, 'Install the official OpenAI SDK (', h('code', {}, 'pip install openai'), ') and run an example below with your key.')),
    example('python', 'Python', python, 'Replace sk-YOUR_KEY with your key.'),
    example('curl', 'curl', curl, 'Set SENTX_API_KEY to your key first: export SENTX_API_KEY=sk-...'),
    example('stream', 'Streaming (Python)', stream, 'The final chunk carries usage. Send the header X-Include-Cost: 1 to also receive usage.cost_cents.'),
    h('p', { class: 'muted' }, 'API base URL: ', h('code', { id: 'base-url' }, base)));
}

function example(id, title, code, hint) {
  const status = h('p', { role: 'status', class: 'ok' });
  const pre = h('pre', { id: 'example-' + id, tabindex: '0', 'aria-label': title + ' example' }, h('code', {}, code));
  return h('section', { class: 'panel', 'aria-labelledby': id + '-title' },
    h('div', { class: 'code-head' }, h('h2', { id: id + '-title' }, title),
      h('button', { type: 'button', class: 'quiet', 'aria-label': 'Copy the ' + title + ' example',
        onclick: () => copy(code, status) }, 'Copy')),
    h('p', { class: 'muted' }, hint), pre, status);
}
