// Billing: the balance, "+ Top Up" to Stripe Checkout, the return page that waits for the
// webhook's credit, and the list of top-ups, refunds and disputes.
import { call, h, when, money } from './api.js';

const PRESETS = [500, 1000, 2500, 5000, 10000];
const MIN = 500;
const MAX = 100000;
const POLL_MS = 1500;
const POLL_FOR_MS = 120000;
const KINDS = { credit: 'Credit', refund: 'Refund', dispute: 'Dispute', adjustment: 'Adjustment' };

export async function render(main, { path }) {
  if (path === '/dashboard/billing/return') return returned(main);
  const balance = h('p', { class: 'balance', id: 'balance' }, '…');
  const history = h('div', { class: 'table-wrap' });
  const topUp = h('button', { type: 'button' }, '+ Top Up');
  const note = new URLSearchParams(location.search).get('topup') === 'cancelled'
    ? h('p', { class: 'notice', role: 'status' }, 'Top-up cancelled: nothing was charged.') : null;
  const dialog = topUpDialog();
  main.replaceChildren(h('h1', {}, 'Billing'), ...(note ? [note] : []),
    h('section', { class: 'panel', 'aria-labelledby': 'balance-title' },
      h('h2', { id: 'balance-title' }, 'Balance'), balance,
      h('p', { class: 'muted' }, 'Requests are paid from this prepaid balance. Add $5 to $1,000 at a time with Stripe.'),
      topUp),
    h('section', { class: 'panel', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'Top-ups and refunds'), history),
    dialog.element);
  topUp.addEventListener('click', dialog.open);

  const [b, ledger] = await Promise.all([call('GET', '/account/balance'), call('GET', '/account/ledger?limit=1000')]);
  balance.textContent = money(b.balance_cents);
  const entries = ledger.data.filter((e) => e.kind !== 'usage');
  history.replaceChildren(entries.length === 0 ? h('p', { class: 'muted' }, 'No top-ups yet.') : h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Top-ups, refunds and disputes, newest first'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Type'),
      h('th', { scope: 'col', class: 'num' }, 'Amount'), h('th', { scope: 'col', class: 'num' }, 'Balance after'))),
    h('tbody', {}, entries.map((e) => h('tr', {},
      h('td', {}, when(e.time)), h('td', {}, e.id.startsWith('topup_') ? 'Top-up' : (KINDS[e.kind] || e.kind)),
      h('td', { class: 'num' }, money(e.amount_cents)), h('td', { class: 'num' }, money(e.balance_cents)))))));
}

function topUpDialog() {
  const error = h('p', { class: 'error', role: 'alert', id: 'amount-error' });
  const custom = h('input', { id: 'custom-amount', name: 'custom', type: 'number', inputmode: 'decimal', min: '5',
    max: '1000', step: '0.01', 'aria-describedby': 'amount-error' });
  const presets = h('div', { class: 'presets' },
    PRESETS.map((cents, i) => h('label', {}, h('input', { type: 'radio', name: 'amount', value: String(cents), checked: i === 2 }),
      money(cents))),
    h('label', {}, h('input', { type: 'radio', name: 'amount', value: 'custom', id: 'amount-custom' }), 'Other amount'));
  const submit = h('button', { type: 'submit' }, 'Continue to checkout');
  const form = h('form', { novalidate: true },
    h('h2', { id: 'topup-title' }, 'Top up your balance'),
    h('fieldset', {}, h('legend', {}, 'Amount'), presets),
    h('div', { class: 'field' }, h('label', { for: 'custom-amount' }, 'Other amount in US dollars ($5 to $1,000)'), custom),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'quiet', onclick: () => element.close() }, 'Cancel'), submit));
  const element = h('dialog', { 'aria-labelledby': 'topup-title' }, form);
  custom.addEventListener('input', () => { form.querySelector('#amount-custom').checked = true; });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const choice = form.querySelector('input[name="amount"]:checked').value;
    const cents = choice === 'custom' ? Math.round(Number(custom.value) * 100) : Number(choice);
    if (choice === 'custom' && (custom.value.trim() === '' || !Number.isFinite(cents) || cents < MIN || cents > MAX)) {
      error.textContent = 'Enter an amount from $5 to $1,000.';
      custom.setAttribute('aria-invalid', 'true');
      custom.focus();
      return;
    }
    custom.removeAttribute('aria-invalid');
    submit.disabled = true;
    try {
      const session = await call('POST', '/account/topups', { amount_cents: cents });
      submit.textContent = 'Opening Stripe Checkout…';
      location.assign(session.url);
    } catch (e) {
      error.textContent = e.message;
      submit.disabled = false;
    }
  });
  return { element, open: () => { error.textContent = ''; element.showModal(); } };
}

async function returned(main) {
  const sessionId = new URLSearchParams(location.search).get('session_id') || '';
  const status = h('p', { role: 'status', id: 'payment-status' });
  const balance = h('p', { class: 'balance', id: 'balance' });
  main.replaceChildren(h('h1', {}, 'Top-up'), h('section', { class: 'panel' }, status, balance),
    h('p', {}, h('a', { href: '/dashboard/billing' }, 'Back to billing')));
  if (!/^cs_[A-Za-z0-9_]{1,255}$/.test(sessionId)) {
    status.textContent = 'There is no payment to check on this page.';
    return;
  }
  const entryId = 'topup_' + sessionId;
  const until = Date.now() + POLL_FOR_MS;
  status.className = 'warn';
  status.textContent = 'Still processing: Stripe has not confirmed the payment yet. This page checks again every few seconds.';
  for (;;) {
    const [ledger, b] = await Promise.all([call('GET', '/account/ledger?limit=100'), call('GET', '/account/balance')]);
    const entry = ledger.data.find((e) => e.id === entryId);
    balance.textContent = 'Balance: ' + money(b.balance_cents);
    if (entry) {
      status.className = 'ok';
      status.textContent = `Payment received: ${money(entry.amount_cents)} was added to your balance.`;
      return;
    }
    if (Date.now() > until) {
      status.textContent = 'Still processing. Your balance goes up as soon as Stripe confirms the payment; you can leave this page.';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
