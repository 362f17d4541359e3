// Usage: requests, tokens and cost per day over the last 30 days, filters, recent requests, CSV.
import { call, h, when, money, count } from './api.js';

const DAYS = 30;
const MAX_PAGES = 20;
const METRICS = {
  requests: { label: 'Requests', value: (d) => d.requests, format: count },
  tokens: { label: 'Tokens', value: (d) => d.tokens, format: count },
  cost: { label: 'Cost', value: (d) => d.cost, format: money },
};

export async function render(main) {
  const since = new Date(Date.now() - (DAYS - 1) * 86400000);
  since.setUTCHours(0, 0, 0, 0);
  const keySelect = h('select', { id: 'filter-key', name: 'key_id' }, h('option', { value: '' }, 'All keys'));
  const userInput = h('input', { id: 'filter-user', name: 'user', autocomplete: 'off' });
  const sessionInput = h('input', { id: 'filter-session', name: 'session', autocomplete: 'off' });
  const metricSelect = h('select', { id: 'metric' },
    Object.entries(METRICS).map(([value, m]) => h('option', { value }, m.label)));
  const csv = h('a', { class: 'button quiet', href: '/account/usage?format=csv', download: 'sentx-usage.csv' }, 'Download CSV');
  const chart = h('div', { class: 'chart' });
  const totals = h('p', { class: 'muted', role: 'status' });
  const table = h('div', { class: 'table-wrap' });
  const form = h('form', { class: 'row', 'aria-label': 'Filters' },
    h('div', { class: 'field' }, h('label', { for: 'filter-key' }, 'Key'), keySelect),
    h('div', { class: 'field' }, h('label', { for: 'filter-user' }, 'End-user id'), userInput),
    h('div', { class: 'field' }, h('label', { for: 'filter-session' }, 'Session'), sessionInput),
    h('button', { type: 'submit' }, 'Apply filters'), csv);

  main.replaceChildren(h('h1', {}, 'Usage'),
    h('p', { class: 'muted' }, 'Every request, with its tokens and cost, for the last 30 days.'),
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel', 'aria-labelledby': 'chart-title' },
      h('div', { class: 'code-head' }, h('h2', { id: 'chart-title' }, 'Per day'),
        h('div', { class: 'field' }, h('label', { for: 'metric', class: 'visually-hidden' }, 'Show'), metricSelect)),
      chart, totals),
    h('section', { class: 'panel', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent requests'), table));

  const keys = (await call('GET', '/account/keys')).data;
  for (const k of keys) keySelect.append(h('option', { value: k.id }, `${k.name} (${k.hint})`));

  let days = [];
  function filters() {
    const q = new URLSearchParams({ from: since.toISOString() });
    if (keySelect.value) q.set('key_id', keySelect.value);
    if (userInput.value.trim()) q.set('user', userInput.value.trim());
    if (sessionInput.value.trim()) q.set('session', sessionInput.value.trim());
    return q;
  }

  async function load() {
    const q = filters();
    const csvQuery = new URLSearchParams(q);
    csvQuery.set('format', 'csv');
    csvQuery.set('limit', '1000');
    csv.href = '/account/usage?' + csvQuery;
    const records = [];
    let after = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const pq = new URLSearchParams(q);
      pq.set('limit', '1000');
      if (after) pq.set('after', after);
      const result = await call('GET', '/account/usage?' + pq);
      records.push(...result.data);
      if (!result.has_more || result.data.length === 0) break;
      after = result.data[result.data.length - 1].id;
    }
    days = perDay(records, since);
    drawChart();
    const sum = days.reduce((a, d) => ({ requests: a.requests + d.requests, tokens: a.tokens + d.tokens, cost: a.cost + d.cost }),
      { requests: 0, tokens: 0, cost: 0 });
    totals.textContent = `Last ${DAYS} days: ${count(sum.requests)} requests, ${count(sum.tokens)} tokens, ${money(sum.cost)}.`;
    drawTable(records.slice(0, 50));
  }

  function drawChart() {
    if (days.length === 0) return;
    const metric = METRICS[metricSelect.value];
    chart.replaceChildren(barChart(days, metric, Math.max(300, Math.min(960, chart.clientWidth || 720))));
  }

  function drawTable(recent) {
    if (recent.length === 0) {
      table.replaceChildren(h('p', { class: 'muted' }, 'No requests match these filters yet.'));
      return;
    }
    table.replaceChildren(h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Most recent requests, newest first'),
      h('thead', {}, h('tr', {}, ['Time', 'Key', 'End user', 'Session', 'Input tokens', 'Output tokens', 'Cost']
        .map((t, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, t)))),
      h('tbody', {}, recent.map((r) => h('tr', { 'data-request-id': r.id },
        h('td', {}, when(r.time)), h('td', {}, h('code', {}, r.key_hint)), h('td', {}, r.user || '—'),
        h('td', {}, r.session || '—'), h('td', { class: 'num' }, count(r.prompt_tokens)),
        h('td', { class: 'num' }, count(r.completion_tokens)), h('td', { class: 'num' }, money(r.cost_cents)))))));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load().catch((e) => { totals.textContent = e.message; });
  });
  metricSelect.addEventListener('change', drawChart);
  let resizing;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(drawChart, 150);
  });
  await load();
}

/** One entry per UTC day from `since` to today, zero-filled. */
function perDay(records, since) {
  const days = [];
  const index = new Map();
  for (let i = 0; i < DAYS; i++) {
    const day = new Date(since.getTime() + i * 86400000).toISOString().slice(0, 10);
    index.set(day, days.length);
    days.push({ day, requests: 0, tokens: 0, cost: 0 });
  }
  for (const r of records) {
    const at = index.get(String(r.time).slice(0, 10));
    if (at === undefined) continue;
    days[at].requests += 1;
    days[at].tokens += r.total_tokens;
    days[at].cost += r.cost_cents;
  }
  return days;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** A bar per day; each bar names its day and value for pointers and screen readers. */
function barChart(days, metric, width) {
  const height = 220;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...days.map(metric.value));
  const step = width / days.length;
  const total = days.reduce((a, d) => a + metric.value(d), 0);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `${metric.label} per day over the last ${days.length} days: ${metric.format(total)} in total, at most ${metric.format(max)} in one day.` });
  root.append(svg('line', { class: 'axis', x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  root.append(svg('text', { x: 2, y: 11 }, `max ${metric.format(max)}`));
  days.forEach((d, i) => {
    const value = metric.value(d);
    const barHeight = Math.round((value / max) * (height - top - bottom));
    const bar = svg('rect', { class: 'bar', x: (i * step + 2).toFixed(1), y: height - bottom - barHeight,
      width: Math.max(1, step - 4).toFixed(1), height: barHeight, rx: 2 });
    bar.append(svg('title', {}, `${d.day}: ${metric.format(value)}`));
    root.append(bar);
  });
  root.append(svg('text', { x: 2, y: height - 8 }, days[0].day));
  root.append(svg('text', { x: width - 2, y: height - 8, 'text-anchor': 'end' }, days[days.length - 1].day));
  return root;
}
