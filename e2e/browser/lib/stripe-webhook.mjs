// A Stripe webhook as Stripe sends it: the event JSON and its Stripe-Signature header,
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint secret>.
import { createHmac, randomBytes } from 'node:crypto';

/** The body and signature of a paid checkout.session.completed for `account`. */
export function checkoutCompleted({ sessionId, account, amountCents, secret, now = Math.floor(Date.now() / 1000) }) {
  const body = JSON.stringify({
    id: 'evt_e2e' + randomBytes(8).toString('hex'), object: 'event', api_version: '2025-07-30.basil', created: now,
    livemode: false, pending_webhooks: 1, type: 'checkout.session.completed',
    data: {
      object: {
        id: sessionId, object: 'checkout.session', amount_subtotal: amountCents, amount_total: amountCents,
        client_reference_id: account, created: now - 30, currency: 'usd', livemode: false,
        metadata: { sentx_account: account }, mode: 'payment', payment_intent: 'pi_e2e' + randomBytes(6).toString('hex'),
        payment_status: 'paid', status: 'complete', url: null,
      },
    },
  });
  const signature = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
  return { body, header: `t=${now},v1=${signature}` };
}
