// The dashboard's entry point: checks the session, marks the current page in the sidebar and
// renders the page's module into <main>. Every page is a real URL served by the API itself.
import { call, useCsrfToken, ApiError, h } from './api.js';

const PAGES = {
  '/dashboard/api': () => import('./page-api.js'),
  '/dashboard/usage': () => import('./page-usage.js'),
  '/dashboard/billing': () => import('./page-billing.js'),
  '/dashboard/billing/return': () => import('./page-billing.js'),
  '/dashboard/quickstart': () => import('./page-quickstart.js'),
};
const main = document.getElementById('main');
const path = location.pathname.replace(/\/+$/, '') || '/';

async function config() {
  const response = await fetch('/dashboard/config.json', { credentials: 'same-origin' });
  return response.json();
}

async function start() {
  const configured = config();
  if (path === '/dashboard/sign-in' || path === '/dashboard/callback') {
    document.body.classList.add('signed-out');
    const signIn = await import('./sign-in.js');
    await signIn.render(main, await configured, path);
    return;
  }
  if (path === '/dashboard') {
    location.replace('/dashboard/api');
    return;
  }
  let session;
  try {
    session = await call('GET', '/account/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      location.replace('/dashboard/sign-in?next=' + encodeURIComponent(path));
      return;
    }
    throw e;
  }
  useCsrfToken(session.csrf_token);
  const page = path.split('/')[2];
  for (const link of document.querySelectorAll('.sidebar nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
  }
  const signOut = document.getElementById('sign-out');
  signOut.hidden = false;
  signOut.addEventListener('click', async () => {
    const cfg = await configured;
    await call('DELETE', '/account/session').catch(() => {});
    useCsrfToken(null);
    const back = location.origin + '/dashboard/sign-in';
    if (cfg.sign_in.type === 'oidc') {
      location.assign(`${cfg.sign_in.logout_url}?client_id=${encodeURIComponent(cfg.sign_in.client_id)}`
        + `&logout_uri=${encodeURIComponent(back)}`);
    } else {
      location.assign(back);
    }
  });
  const load = PAGES[path];
  if (!load) {
    main.replaceChildren(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/dashboard/api' }, 'Go to your API keys')));
    return;
  }
  const module = await load();
  await module.render(main, { path, session, configured });
}

start().catch((e) => {
  main.replaceChildren(h('h1', {}, 'Something went wrong'),
    h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : 'The page could not load. Reload to try again.'));
});
