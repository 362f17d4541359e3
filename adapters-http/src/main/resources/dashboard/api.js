// The /account API as the dashboard calls it: the session travels in an HttpOnly cookie the page
// cannot read; every state-changing call carries the session's CSRF token, kept in memory only.
let csrfToken = null;

/** An API error, with a sentence for people in `message` and the API's code in `code`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Remembers the CSRF token of the signed-in session (never written to storage). */
export function useCsrfToken(token) {
  csrfToken = token;
}

/** Calls `path` with `method` and an optional JSON body; resolves to the parsed JSON. */
export async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the SentX server. Check your connection and try again.');
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  const error = data && data.error ? data.error : {};
  throw new ApiError(response.status, error.code || 'http_' + response.status,
    inWords(response.status, error.code, error.message, response.headers.get('retry-after')));
}

/** What went wrong, as a sentence; API codes are for programs. */
export function inWords(status, code, message, retryAfter) {
  switch (code) {
    case 'max_keys_reached':
      return 'This account already has the most active keys it may have (25). Revoke a key you no longer use, then create the new one.';
    case 'rate_limit_exceeded': {
      const minutes = Math.max(1, Math.ceil(Number(retryAfter || 0) / 60));
      return `You have created the most keys allowed in one hour (5). You can create another in about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    case 'invalid_session':
      return 'Your session has ended or the token is not valid. Please sign in again.';
    case 'payments_not_configured':
      return 'Top-ups are not available on this server: no Stripe account is configured.';
    case 'payments_unavailable':
      return 'Stripe could not be reached, so nothing was charged. Please try again in a minute.';
    case 'csrf_token_invalid':
    case 'origin_not_allowed':
      return 'The security check of this page failed. Reload the page and try again.';
    case 'not_found':
      return 'That item no longer exists. Reload the page to see the current list.';
    case 'internal_error':
      return 'Something went wrong on our side. Please try again in a moment.';
    default:
      if (message) return message;
      return status >= 500 ? 'The server could not complete the request. Please try again.'
        : 'The request was not accepted.';
  }
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const integer = new Intl.NumberFormat('en-US');

/** "$12.34" from cents. */
export const money = (cents) => dollars.format(cents / 100);
/** A readable local date and time from epoch seconds or an ISO string; "Never" for null. */
export const when = (t) => t == null ? 'Never' : dateTime.format(typeof t === 'number' ? new Date(t * 1000) : new Date(t));
/** "12,345". */
export const count = (n) => integer.format(n);

/** Builds an element: h('p', {class: 'x'}, 'text', child). Text is always set as text, never as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Copies `text` to the clipboard and says so in `status`. */
export async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied to the clipboard.';
  } catch {
    status.textContent = 'Copying was blocked by the browser: select the text and copy it by hand.';
  }
}
