/** One function: live replicas, scaling controls and events, details, the invoke panel, the log tail, and delete. */
import { ApiError, deleteFunction, getFunction, listScaleEvents, scaleBounds, scaleFunction, type FunctionStatus } from './api.js';
import { h, keyValues, replace } from './dom.js';
import { invokePanel } from './invoke-panel.js';
import { logTail } from './log-tail.js';
import { clock, describeError, poll, scaleEventTable, setFlash } from './ui.js';

const POLL_MS = 1500;

function list(items: string[] | undefined): HTMLElement {
  return items && items.length > 0 ? h('ul', { class: 'chips' }, ...items.map((s) => h('li', {}, s))) : h('p', { class: 'muted' }, 'none');
}

function resources(fn: FunctionStatus): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, spec] of [['limit', fn.limits], ['request', fn.requests]] as const) {
    if (spec?.memory) out[`memory ${kind}`] = spec.memory;
    if (spec?.cpu) out[`cpu ${kind}`] = spec.cpu;
  }
  return out;
}

function details(fn: FunctionStatus): HTMLElement {
  const block = (title: string, body: HTMLElement) => h('div', { class: 'detail' }, h('h3', {}, title), body);
  return h('section', { class: 'panel', 'aria-labelledby': 'details-h' }, h('h2', { id: 'details-h' }, 'Details'),
    h('div', { class: 'detail-grid' },
      block('Labels', keyValues(fn.labels)),
      block('Annotations', keyValues(fn.annotations)),
      block('Environment', keyValues(fn.envVars)),
      block('Secrets', list(fn.secrets)),
      block('Constraints', list(fn.constraints)),
      block('Limits and requests', keyValues(resources(fn))),
      block('Process', h('p', {}, fn.envProcess ? h('code', {}, fn.envProcess) : h('span', { class: 'muted' }, 'from the image'))),
      block('Created', h('p', {}, fn.createdAt ? clock(fn.createdAt) : '–'))));
}

function deleteDialog(name: string, onDeleted: () => void): { dialog: HTMLDialogElement; open: () => void } {
  const problem = h('p', { class: 'error', role: 'alert' });
  const confirm = h('button', { type: 'button', class: 'danger', id: 'confirm-delete' }, `Delete ${name}`);
  const cancel = h('button', { type: 'button', autofocus: true }, 'Cancel');
  const dialog = h('dialog', { 'aria-labelledby': 'del-h', class: 'confirm' },
    h('h2', { id: 'del-h' }, `Delete ${name}?`),
    h('p', {}, 'This stops every replica and removes the function. It cannot be undone.'),
    problem,
    h('div', { class: 'actions' }, cancel, confirm));
  cancel.addEventListener('click', () => dialog.close());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await deleteFunction(name);
      dialog.close();
      onDeleted();
    } catch (e) {
      problem.textContent = `Could not delete: ${describeError(e)}`;
    } finally {
      confirm.disabled = false;
    }
  });
  return { dialog, open: () => ((problem.textContent = ''), dialog.showModal()) };
}

/** Renders the page of function `name` into `root`, polling its status until `signal` aborts. */
export function functionView(root: HTMLElement, name: string, signal: AbortSignal): void {
  const status = h('p', { class: 'error', role: 'alert' });
  const replicas = h('strong', { id: 'replicas' }, '–');
  const bounds = h('span', { class: 'muted', id: 'bounds' });
  const replicasInput = h('input', { id: 'replicas-input', type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true });
  const scaleNote = h('p', { class: 'muted', role: 'status' });
  const events = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const detailsSlot = h('div', {});
  const image = h('p', { class: 'image' });
  let desired = 0;
  let touched = false;

  const scaleTo = async (n: number) => {
    if (!Number.isInteger(n) || n < 0) return void (scaleNote.textContent = 'Replicas must be a whole number, 0 or more.');
    scaleNote.textContent = `Scaling to ${n}…`;
    try {
      await scaleFunction(name, n);
      desired = n;
      touched = false;
      scaleNote.textContent = `Asked for ${n} replica${n === 1 ? '' : 's'}.`;
    } catch (e) {
      scaleNote.textContent = `Could not scale: ${describeError(e)}`;
    }
  };
  replicasInput.addEventListener('input', () => (touched = true));
  const scaleForm = h('form', { class: 'scale', 'aria-label': 'Scale' },
    h('button', { type: 'button', 'aria-label': 'Scale down by one', onclick: () => scaleTo(Math.max(0, desired - 1)) }, '−'),
    h('label', { for: 'replicas-input', class: 'visually-hidden' }, 'Desired replicas'),
    replicasInput,
    h('button', { type: 'button', 'aria-label': 'Scale up by one', onclick: () => scaleTo(desired + 1) }, '+'),
    h('button', { type: 'submit' }, 'Set replicas'));
  scaleForm.addEventListener('submit', (ev) => (ev.preventDefault(), void scaleTo(Number(replicasInput.value))));

  const del = deleteDialog(name, () => {
    setFlash(`Deleted ${name}.`);
    location.hash = '#/';
  });

  replace(root,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Functions'), ' / ', name),
    h('div', { class: 'title-row' }, h('h1', { tabindex: -1 }, name),
      h('button', { type: 'button', class: 'danger', onclick: () => del.open() }, 'Delete…')),
    image, status,
    h('section', { class: 'panel', 'aria-labelledby': 'scale-h' }, h('h2', { id: 'scale-h' }, 'Replicas'),
      h('p', { class: 'replicas' }, replicas, ' ', bounds), scaleForm, scaleNote,
      h('h3', {}, 'Recent scale events'), events),
    invokePanel(name),
    logTail(name, signal),
    detailsSlot,
    del.dialog);

  let shownDetails = '';
  poll(async () => {
    let fn: FunctionStatus;
    try {
      fn = await getFunction(name, signal);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) status.textContent = `No function named ${name}.`;
      throw e;
    }
    status.textContent = '';
    desired = fn.replicas;
    if (!touched && document.activeElement !== replicasInput) replicasInput.value = String(fn.replicas);
    replicas.textContent = `${fn.availableReplicas ?? 0} of ${fn.replicas} available`;
    const b = scaleBounds(fn);
    bounds.textContent = `(min ${b.min}, max ${b.max}${b.zero ? ', scales to zero' : ''})`;
    image.textContent = fn.image;
    const key = JSON.stringify({ ...fn, replicas: 0, availableReplicas: 0, invocationCount: 0 });
    if (key !== shownDetails) (shownDetails = key), replace(detailsSlot, details(fn));
  }, POLL_MS, signal, (e) => {
    if (!status.textContent) status.textContent = `Could not load ${name}: ${describeError(e)}`;
  });
  poll(async () => {
    try {
      replace(events, scaleEventTable((await listScaleEvents(signal)).filter((e) => e.function === name), false));
    } catch (e) {
      replace(events, h('p', { class: 'muted' }, `Scale events unavailable (${describeError(e)}).`));
    }
  }, POLL_MS * 2, signal, () => undefined);
}
