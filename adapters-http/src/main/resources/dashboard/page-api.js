// API keys: create (the full key is shown once, then only its hint), list, revoke.
import { call, h, when, copy } from './api.js';

export async function render(main) {
  const status = h('p', { role: 'status', class: 'muted' });
  const created = h('div');
  const list = h('div', { class: 'table-wrap' });
  const createButton = h('button', { type: 'button' }, '+ Create new key');

  const nameInput = h('input', { id: 'key-name', name: 'name', required: true, maxlength: '100', autocomplete: 'off' });
  const createError = h('p', { class: 'error', role: 'alert' });
  const createSubmit = h('button', { type: 'submit' }, 'Create key');
  const createForm = h('form', { method: 'dialog' },
    h('h2', { id: 'create-title' }, 'Create a new key'),
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, 'Name'), nameInput),
    h('p', { class: 'muted' }, 'A name helps you recognise where the key is used, such as "laptop" or "billing service".'),
    createError,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'quiet', onclick: () => createDialog.close() }, 'Cancel'), createSubmit));
  const createDialog = h('dialog', { 'aria-labelledby': 'create-title' }, createForm);

  const revokeText = h('p');
  const revokeError = h('p', { class: 'error', role: 'alert' });
  const revokeConfirm = h('button', { type: 'button', class: 'danger' }, 'Revoke key');
  const revokeDialog = h('dialog', { 'aria-labelledby': 'revoke-title' },
    h('h2', { id: 'revoke-title' }, 'Revoke this key?'), revokeText,
    h('p', {}, 'Applications using it stop working at once. This cannot be undone.'), revokeError,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'quiet', onclick: () => revokeDialog.close() }, 'Cancel'), revokeConfirm));
  let revoking = null;

  main.replaceChildren(
    h('h1', {}, 'API keys'),
    h('p', { class: 'muted' }, 'Keys start with sk-. Send one as "Authorization: Bearer <key>" to the API. An account may have up to 25 active keys.'),
    h('div', { class: 'row' }, createButton), created, status,
    h('section', { class: 'panel', 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'Your keys'), list),
    createDialog, revokeDialog);

  async function refresh() {
    const keys = (await call('GET', '/account/keys')).data;
    if (keys.length === 0) {
      list.replaceChildren(h('p', { class: 'muted' }, 'No active keys. Create one to call the API.'));
      return;
    }
    list.replaceChildren(h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Active API keys'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Key'),
        h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Last used'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, keys.map((k) => h('tr', { 'data-key-id': k.id },
        h('td', {}, k.name), h('td', {}, h('code', {}, k.hint)), h('td', {}, when(k.created_at)),
        h('td', {}, when(k.last_used_at)),
        h('td', {}, h('button', { type: 'button', class: 'quiet', 'aria-label': `Revoke ${k.name} (${k.hint})`,
          onclick: () => {
            revoking = k;
            revokeText.textContent = `"${k.name}" (${k.hint})`;
            revokeError.textContent = '';
            revokeDialog.showModal();
          } }, 'Revoke')))))));
  }

  createButton.addEventListener('click', () => {
    nameInput.value = '';
    createError.textContent = '';
    createDialog.showModal();
    nameInput.focus();
  });
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      createError.textContent = 'Give the key a name.';
      nameInput.focus();
      return;
    }
    createSubmit.disabled = true;
    try {
      const key = await call('POST', '/account/keys', { name });
      createDialog.close();
      showOnce(key);
      await refresh();
    } catch (e) {
      createError.textContent = e.message;
    } finally {
      createSubmit.disabled = false;
    }
  });
  revokeConfirm.addEventListener('click', async () => {
    revokeConfirm.disabled = true;
    try {
      await call('DELETE', '/account/keys/' + encodeURIComponent(revoking.id));
      revokeDialog.close();
      await refresh();
      status.textContent = `Revoked "${revoking.name}" (${revoking.hint}).`;
    } catch (e) {
      revokeError.textContent = e.message;
    } finally {
      revokeConfirm.disabled = false;
    }
  });

  // The full key lives only in this panel's DOM until "Done" (or leaving the page) removes it.
  function showOnce(key) {
    const copied = h('p', { role: 'status', class: 'ok' });
    const done = h('button', { type: 'button', class: 'quiet' }, 'Done');
    const copyButton = h('button', { type: 'button', 'aria-label': 'Copy the new key' }, 'Copy');
    const code = h('code', { id: 'new-key' }, key.key);
    copyButton.addEventListener('click', () => copy(code.textContent, copied));
    done.addEventListener('click', () => {
      created.replaceChildren();
      createButton.focus();
    });
    created.replaceChildren(h('section', { class: 'panel', 'aria-labelledby': 'new-key-title' },
      h('h2', { id: 'new-key-title' }, `Your new key "${key.name}"`),
      h('p', { class: 'notice' }, 'Copy it now: this is the only time the full key is shown. It will not be shown again.'),
      h('div', { class: 'secret' }, code, copyButton), copied, h('div', { class: 'actions' }, done)));
    copyButton.focus();
  }

  await refresh();
}
