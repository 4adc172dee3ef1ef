/** The invoke panel: sends any request to `/function/<name>` and shows status, headers, body (JSON pretty-printed) and duration. */
import { h, replace } from './dom.js';
import { parseHeaderLines, prettyBody } from './parse.js';
import { describeError } from './ui.js';

const METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];

/** Builds the panel for function `name`. */
export function invokePanel(name: string): HTMLElement {
  const method = h('select', { id: 'inv-method', name: 'method' }, ...METHODS.map((m) => h('option', { value: m }, m)));
  const path = h('input', { id: 'inv-path', name: 'path', type: 'text', placeholder: '/', autocomplete: 'off', spellcheck: 'false' });
  const query = h('input', { id: 'inv-query', name: 'query', type: 'text', placeholder: 'a=1&b=2', autocomplete: 'off', spellcheck: 'false' });
  const headers = h('textarea', { id: 'inv-headers', name: 'headers', rows: 2, placeholder: 'Content-Type: text/plain', spellcheck: 'false' });
  const body = h('textarea', { id: 'inv-body', name: 'body', rows: 4, spellcheck: 'false' });
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Invoke');

  const form = h('form', { class: 'invoke', 'aria-labelledby': 'invoke-h' },
    h('div', { class: 'row' },
      h('div', { class: 'field narrow' }, h('label', { for: 'inv-method' }, 'Method'), method),
      h('div', { class: 'field grow' }, h('label', { for: 'inv-path' }, `Path after /function/${name}`), path)),
    h('div', { class: 'field' }, h('label', { for: 'inv-query' }, 'Query string'), query),
    h('div', { class: 'field' }, h('label', { for: 'inv-headers' }, 'Headers (one "Name: value" a line)'), headers),
    h('div', { class: 'field' }, h('label', { for: 'inv-body' }, 'Body'), body),
    h('div', { class: 'actions' }, send),
    result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const parsed = parseHeaderLines(headers.value);
    if ('error' in parsed) return replace(result, h('p', { class: 'error', role: 'alert' }, `Headers: ${parsed.error}`));
    const sub = path.value.trim() === '' || path.value.trim() === '/' ? '' : `/${path.value.trim().replace(/^\/+/, '')}`;
    const qs = query.value.trim().replace(/^\?/, '');
    const url = `/function/${encodeURIComponent(name)}${sub}${qs ? `?${qs}` : ''}`;
    const hasBody = !['GET', 'HEAD'].includes(method.value);
    send.disabled = true;
    replace(result, h('p', { class: 'muted' }, `${method.value} ${url} …`));
    const started = performance.now();
    try {
      const res = await fetch(url, { method: method.value, headers: parsed.headers, body: hasBody ? body.value : undefined, credentials: 'same-origin' });
      const text = await res.text();
      const ms = performance.now() - started;
      replace(result,
        h('p', { class: 'summary' },
          h('span', { class: `status-code s${String(res.status)[0]}xx`, id: 'inv-status' }, `${res.status} ${res.statusText}`),
          h('span', { id: 'inv-duration' }, `${ms.toFixed(1)} ms`)),
        h('details', {}, h('summary', {}, `Response headers (${[...res.headers.keys()].length})`),
          h('dl', { class: 'kv' }, ...[...res.headers.entries()].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
        h('pre', { class: 'body', id: 'inv-response', tabindex: 0, 'aria-label': 'Response body' }, prettyBody(text, res.headers.get('content-type')) || '(empty body)'));
    } catch (e) {
      replace(result, h('p', { class: 'error', role: 'alert' }, `Request failed: ${describeError(e)}`));
    } finally {
      send.disabled = false;
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'invoke-h' }, h('h2', { id: 'invoke-h' }, 'Invoke'), form);
}
