/* Signing pages: the two phases (docs/signing.md, "Sign pages").
 *
 * A widget <div data-signing="ncalayer|demo"> signs one document (its form's page) or a batch
 * (checkboxes [data-sign-item] with data-url). For each document: POST phase=prepare to the
 * document's signing URL (the page's own form fields go along), which answers the bytes to sign
 * in base64; NCALayer (through ncalayer-js-client) signs every prepared document in one session —
 * one key choice, one PIN — as detached CMS; then POST phase=complete with each CMS, one by one,
 * each verified on the server on its own. The demo widget posts phase=demo with the passphrase.
 * The key and its PIN stay in NCALayer; the server only ever sees certificates and signatures.
 */
(function () {
  'use strict';

  function text(el, key) { return el.getAttribute('data-msg-' + key) || key; }

  function fields(widget) {
    const formId = widget.getAttribute('data-form');
    const form = formId ? document.getElementById(formId) : null;
    const data = new FormData(form || undefined);
    data.delete('passphrase');
    if (!data.get('csrfmiddlewaretoken')) {
      const token = document.querySelector('input[name=csrfmiddlewaretoken]');
      if (token) data.set('csrfmiddlewaretoken', token.value);
    }
    return data;
  }

  async function post(url, data) {
    let response;
    try {
      response = await fetch(url, {
        method: 'POST', body: data, credentials: 'same-origin',
        headers: { 'X-Requested-With': 'fetch', Accept: 'application/json' },
      });
    } catch (error) {
      return { ok: false, error: null };
    }
    try {
      return await response.json();
    } catch (error) {
      return { ok: false, error: null };
    }
  }

  class Refusal extends Error {}

  async function ncalayerSign(widget, blocks) {
    const client = new window.NCALayerClient(widget.getAttribute('data-url'), false);
    try {
      await client.connect();
    } catch (error) {
      throw new Refusal(text(widget, 'not-running'));
    }
    try {
      const result = await client.basicsSignCMS(
        window.NCALayerClient.basicsStorageAll,
        blocks, // an array: one key choice and one PIN for all of them
        window.NCALayerClient.basicsCMSParamsDetachedNoTSP,
        window.NCALayerClient.basicsSignerSignAny,
        document.documentElement.lang || 'ru',
      );
      const signatures = Array.isArray(result) ? result : [result];
      if (signatures.length !== blocks.length) throw new Refusal(text(widget, 'failed'));
      return signatures;
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (error && error.canceledByUser) throw new Refusal(text(widget, 'cancelled'));
      throw new Refusal(text(widget, 'failed') + ' ' + (error && error.message ? error.message : ''));
    } finally {
      if (client.wsConnection) client.wsConnection.close();
    }
  }

  function items(widget) {
    const boxes = Array.from(document.querySelectorAll('[data-sign-item]'));
    if (!boxes.length) {
      return [{ url: widget.getAttribute('data-sign-url') || window.location.href, row: null }];
    }
    return boxes.filter((box) => box.checked).map((box) => ({
      url: box.getAttribute('data-url'),
      row: box.closest('[data-sign-row]'),
    }));
  }

  function mark(item, state, message) {
    if (!item.row) return;
    item.row.setAttribute('data-state', state);
    const cell = item.row.querySelector('[data-sign-result]');
    if (cell) cell.textContent = message;
  }

  async function run(widget) {
    const button = widget.querySelector('[data-sign-start]');
    const status = widget.querySelector('[data-sign-status]');
    const alert = widget.querySelector('[data-sign-error]');
    const progress = widget.querySelector('progress');
    const list = items(widget);
    const batch = list.length > 1 || list.some((item) => item.row);
    alert.hidden = true;
    alert.textContent = '';
    if (!list.length) {
      alert.textContent = text(widget, 'none-chosen');
      alert.hidden = false;
      return;
    }
    const say = (message) => { status.textContent = message; };
    const fail = (message) => { alert.textContent = message || text(widget, 'server'); alert.hidden = false; };
    const total = list.length;
    let signed = 0;
    const counted = () => {
      if (progress) { progress.max = total; progress.value = signed; }
      say(text(widget, 'progress').replace('%(done)s', signed).replace('%(total)s', total));
    };
    button.disabled = true;
    try {
      if (widget.getAttribute('data-signing') === 'demo') {
        const passphrase = widget.querySelector('input[name=passphrase]');
        for (const item of list) {
          const data = fields(widget);
          data.set('phase', 'demo');
          data.set('passphrase', passphrase ? passphrase.value : '');
          mark(item, 'working', text(widget, 'signing'));
          const answer = await post(item.url, data);
          if (answer.ok) { signed += 1; mark(item, 'signed', text(widget, 'signed')); }
          else { mark(item, 'refused', answer.error || text(widget, 'server')); if (!batch) fail(answer.error); }
          counted();
        }
      } else {
        say(text(widget, 'preparing'));
        const prepared = [];
        for (const item of list) {
          const data = fields(widget);
          data.set('phase', 'prepare');
          mark(item, 'working', text(widget, 'preparing'));
          const answer = await post(item.url, data);
          if (answer.ok) { prepared.push({ item, answer }); mark(item, 'prepared', text(widget, 'waiting')); }
          else { mark(item, 'refused', answer.error || text(widget, 'server')); if (!batch) fail(answer.error); }
        }
        if (prepared.length) {
          say(text(widget, 'ncalayer'));
          let signatures;
          try {
            signatures = await ncalayerSign(widget, prepared.map((p) => p.answer.data));
          } catch (error) {
            prepared.forEach((p) => mark(p.item, 'refused', error.message));
            fail(error.message);
            say('');
            return;
          }
          for (let i = 0; i < prepared.length; i += 1) {
            const { item, answer } = prepared[i];
            const data = fields(widget);
            data.set('phase', 'complete');
            data.set('preparation', answer.preparation);
            data.set('cms', signatures[i]);
            mark(item, 'working', text(widget, 'verifying'));
            const done = await post(item.url, data);
            if (done.ok) { signed += 1; mark(item, 'signed', text(widget, 'signed')); }
            else { mark(item, 'refused', done.error || text(widget, 'server')); if (!batch) fail(done.error); }
            counted();
            if (!batch && done.ok) {
              window.location.assign(done.redirect || window.location.href);
              return;
            }
          }
        }
      }
      counted();
      if (!batch && signed) window.location.reload();
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('[data-signing]').forEach((widget) => {
      const button = widget.querySelector('[data-sign-start]');
      if (button) button.addEventListener('click', () => { run(widget); });
      widget.setAttribute('data-ready', 'true');
    });
  });
}());
