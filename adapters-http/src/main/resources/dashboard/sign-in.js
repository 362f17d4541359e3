// Signing in. Local server: paste the session token it printed. A deployment with an identity
// provider: its hosted sign-in, authorization code + PKCE; the ID token it returns goes straight
// to POST /account/session, which verifies it and keeps it in an HttpOnly cookie.
import { call, ApiError, h } from './api.js';

const PKCE_KEY = 'sentx.sign-in';

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '';
  return /^\/dashboard\/[a-z/-]*$/.test(next) && !next.startsWith('/dashboard/sign-in') ? next : '/dashboard/api';
}

async function openSession(token) {
  await call('POST', '/account/session', { token });
}

export async function render(main, config, path) {
  if (path === '/dashboard/callback') return callback(main, config);
  const status = h('p', { role: 'alert', class: 'error' });
  const title = h('h1', {}, 'Sign in to SentX');
  if (config.sign_in.type === 'oidc') {
    const button = h('button', { type: 'button' }, 'Sign in');
    button.addEventListener('click', () => startOidc(config.sign_in, nextPage()).catch(() => {
      status.textContent = 'Could not start the sign-in. Reload the page and try again.';
    }));
    main.replaceChildren(title, h('div', { class: 'panel' },
      h('p', {}, 'Sign in or create an account with your e-mail address.'), button, status));
    return;
  }
  const input = h('input', { id: 'session-token', name: 'session-token', type: 'password', autocomplete: 'off',
    spellcheck: 'false', required: true, 'aria-describedby': 'session-token-help' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'panel', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'session-token' }, 'Session token'), input),
    h('p', { id: 'session-token-help', class: 'muted' },
      'The local server prints the demo account\'s session token when it starts ("Session token" in its banner).'),
    submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    const token = input.value.trim();
    if (!token) {
      status.textContent = 'Enter the session token.';
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await openSession(token);
      input.value = '';
      location.replace(nextPage());
    } catch (e) {
      status.textContent = e instanceof ApiError && e.status === 401
        ? 'That session token is not valid. Use the one the server printed when it started.'
        : e.message;
      submit.disabled = false;
      input.focus();
    }
  });
  main.replaceChildren(title, form);
  input.focus();
}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function startOidc(signIn, next) {
  const verifier = random(32);
  const state = random(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  // The one-time PKCE verifier lives in this tab's sessionStorage until the provider sends the
  // browser back (it is useless without the code, which only the redirect carries).
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, next }));
  const params = new URLSearchParams({
    response_type: 'code', client_id: signIn.client_id, redirect_uri: location.origin + '/dashboard/callback',
    scope: signIn.scope, state, code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256',
  });
  location.assign(`${signIn.authorize_url}?${params}`);
}

async function callback(main, config) {
  const status = h('p', { role: 'status' }, 'Signing you in…');
  main.replaceChildren(h('h1', {}, 'Signing in'), status);
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
  sessionStorage.removeItem(PKCE_KEY);
  // Drop the one-time code from the address bar and history at once.
  history.replaceState(null, '', '/dashboard/callback');
  const fail = (text) => {
    status.className = 'error';
    status.setAttribute('role', 'alert');
    status.replaceChildren(text + ' ', h('a', { href: '/dashboard/sign-in' }, 'Sign in again'));
  };
  if (config.sign_in.type !== 'oidc' || !saved || !params.get('code') || params.get('state') !== saved.state) {
    fail(params.get('error') ? 'The sign-in was cancelled or refused.' : 'This sign-in link is not valid any more.');
    return;
  }
  try {
    const response = await fetch(config.sign_in.token_url, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: config.sign_in.client_id, code: params.get('code'),
        redirect_uri: location.origin + '/dashboard/callback', code_verifier: saved.verifier,
      }),
    });
    if (!response.ok) throw new Error('token exchange refused');
    const tokens = await response.json();
    await openSession(tokens.id_token);
    location.replace(saved.next || '/dashboard/api');
  } catch {
    fail('The sign-in could not be completed.');
  }
}
