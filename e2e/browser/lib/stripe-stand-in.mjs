// A stand-in for the two Stripe API routes SentX calls (Stripe is not reachable from test
// machines), plus a page in place of Stripe's hosted Checkout:
//   POST /v1/checkout/sessions   creates a session (form-encoded, as stripe-java sends it)
//   GET  /v1/checkout/sessions   lists sessions (reconciliation), newest first, with `status`
//   GET  /c/pay/<session id>     the "Checkout" page; its link returns to the session's success_url
// It mirrors adapters-payments' Java StripeStandIn. Nothing is paid here: the browser suite
// sends the signed checkout.session.completed webhook itself, as Stripe would.
// Run: STRIPE_STANDIN_KEY=sk_test_... node lib/stripe-stand-in.mjs <port>
import http from 'node:http';

const key = process.env.STRIPE_STANDIN_KEY;
const port = Number(process.argv[2] || 0);
if (!key) {
  console.error('stripe-stand-in: set STRIPE_STANDIN_KEY');
  process.exit(2);
}
const sessions = [];
let counter = 0;

function send(res, status, body, type = 'application/json') {
  const bytes = Buffer.from(type === 'application/json' ? JSON.stringify(body) : body);
  res.writeHead(status, { 'content-type': type, 'content-length': bytes.length, 'request-id': 'req_standin' });
  res.end(bytes);
}

function sessionJson(s, origin) {
  return {
    id: s.id, object: 'checkout.session', amount_subtotal: s.amount, amount_total: s.amount,
    client_reference_id: s.account, created: s.created, currency: s.currency, livemode: false,
    metadata: s.account ? { sentx_account: s.account } : {}, mode: s.mode, payment_intent: null,
    payment_status: 'unpaid', status: 'open', success_url: s.successUrl, cancel_url: s.cancelUrl,
    url: `${origin}/c/pay/${s.id}`,
  };
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const origin = `http://127.0.0.1:${server.address().port}`;
  let raw = '';
  req.on('data', (chunk) => { raw += chunk; });
  req.on('end', () => {
    if (url.pathname === '/health') return send(res, 200, { ok: true });
    if (url.pathname.startsWith('/c/pay/')) {
      const s = sessions.find((x) => x.id === url.pathname.slice('/c/pay/'.length));
      if (!s) return send(res, 404, '<!doctype html><title>Not found</title><p>No such session.</p>', 'text/html; charset=utf-8');
      const back = s.successUrl.replace('{CHECKOUT_SESSION_ID}', s.id);
      return send(res, 200, `<!doctype html><html lang="en"><meta charset="utf-8"><title>Stripe Checkout (test stand-in)</title>
<h1>Stripe Checkout (test stand-in)</h1><p id="amount">Pay $${(s.amount / 100).toFixed(2)} to SentX</p>
<p><a id="pay" href="${escape(back)}">Pay and return to SentX</a> · <a href="${escape(s.cancelUrl)}">Cancel</a></p></html>`,
      'text/html; charset=utf-8');
    }
    if (req.headers.authorization !== `Bearer ${key}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
    }
    if (url.pathname === '/v1/checkout/sessions' && req.method === 'POST') {
      const p = new URLSearchParams(raw);
      counter += 1;
      const s = {
        id: `cs_test_standin${Date.now()}x${counter}`, account: p.get('client_reference_id'),
        amount: Number(p.get('line_items[0][price_data][unit_amount]') || 0),
        currency: p.get('line_items[0][price_data][currency]'), mode: p.get('mode'),
        successUrl: p.get('success_url') || '', cancelUrl: p.get('cancel_url') || '',
        created: Math.floor(Date.now() / 1000),
      };
      sessions.push(s);
      return send(res, 200, sessionJson(s, origin));
    }
    if (url.pathname === '/v1/checkout/sessions' && req.method === 'GET') {
      // Every session here stays open (the suite pays by webhook), so a list of complete ones is empty.
      const status = url.searchParams.get('status');
      const data = sessions.filter(() => status == null || status === 'open').map((s) => sessionJson(s, origin)).reverse();
      return send(res, 200, { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' });
    }
    return send(res, 404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL.' } });
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`stripe-stand-in listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
