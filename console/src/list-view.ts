/** The function list: replicas, invocations, rate and error rate with a sparkline, plus scaling at a glance; polled live. */
import { fetchMetrics, listFunctions, listScaleEvents, scaleBounds, type FunctionStatus } from './api.js';
import { h, replace } from './dom.js';
import { formatRate, parseInvocationTotals, RateHistory, type Counters } from './stats.js';
import { describeError, poll, scaleEventTable, sparkline, takeFlash } from './ui.js';

const POLL_MS = 2000;

/** Survives navigation, so returning to the list keeps the minutes of history already seen. */
const history = new RateHistory();

interface Row {
  tr: HTMLTableRowElement;
  cells: Record<'image' | 'replicas' | 'invocations' | 'rate' | 'errors' | 'trend', HTMLTableCellElement>;
}

const COLUMNS = [['image', 'Image'], ['replicas', 'Replicas'], ['invocations', 'Invocations'], ['rate', 'Calls/s'], ['errors', 'Errors'], ['trend', 'Last 5 min']] as const;

function newRow(name: string): Row {
  const cells = {} as Row['cells'];
  const tr = h('tr', { 'data-function': name },
    h('th', { scope: 'row', 'data-label': 'Name' }, h('a', { href: `#/functions/${encodeURIComponent(name)}` }, name)));
  for (const [key, label] of COLUMNS) tr.appendChild((cells[key] = h('td', { 'data-label': label, class: `col-${key}` })));
  return { tr, cells };
}

function fillRow(row: Row, fn: FunctionStatus, counters: Counters | undefined): void {
  const { perSecond, errorRate, series } = history.summary(fn.name);
  const available = fn.availableReplicas ?? 0;
  row.cells.image.textContent = fn.image;
  replace(row.cells.replicas, h('span', { class: available < fn.replicas ? 'warn' : '' }, `${available}/${fn.replicas}`));
  row.cells.invocations.textContent = String(Math.round(counters?.total ?? fn.invocationCount ?? 0));
  row.cells.rate.textContent = formatRate(perSecond);
  row.cells.errors.textContent = errorRate === null ? '–' : `${(errorRate * 100).toFixed(errorRate > 0 && errorRate < 0.1 ? 1 : 0)}%`;
  row.cells.errors.classList.toggle('bad', (errorRate ?? 0) > 0);
  replace(row.cells.trend, sparkline(series, `${fn.name}: calls per second over the last minutes, now ${formatRate(perSecond)}`));
}

function scalingTable(fns: FunctionStatus[]): HTMLElement {
  return h('table', { class: 'scaling' },
    h('thead', {}, h('tr', {}, ...['Function', 'Min', 'Max', 'Replicas', 'To zero'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...fns.map((fn) => {
      const b = scaleBounds(fn);
      return h('tr', {},
        h('th', { scope: 'row', 'data-label': 'Function' }, fn.name),
        h('td', { 'data-label': 'Min' }, b.min),
        h('td', { 'data-label': 'Max' }, b.max),
        h('td', { 'data-label': 'Replicas' }, `${fn.availableReplicas ?? 0}/${fn.replicas}`),
        h('td', { 'data-label': 'To zero' }, b.zero ? 'yes' : 'no'));
    })));
}

/** Renders the list into `root` and keeps it fresh until `signal` aborts. */
export function listView(root: HTMLElement, signal: AbortSignal): void {
  const status = h('p', { class: 'status' }, 'Loading…');
  const problem = h('p', { class: 'error', role: 'alert' });
  const flash = takeFlash();
  const tbody = h('tbody', {});
  const empty = h('p', { class: 'muted', hidden: true }, 'No functions deployed. ', h('a', { href: '#/deploy' }, 'Deploy one.'));
  const scaling = h('div', {});
  const events = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(root,
    h('div', { class: 'title-row' }, h('h1', { tabindex: -1 }, 'Functions'), h('a', { class: 'button', href: '#/deploy' }, 'Deploy a function')),
    flash && h('p', { class: 'flash', role: 'status' }, flash),
    status,
    problem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'functions', id: 'functions' },
      h('caption', { class: 'visually-hidden' }, 'Deployed functions, refreshed every 2 seconds'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), ...COLUMNS.map(([, label]) => h('th', { scope: 'col' }, label)))),
      tbody)),
    empty,
    h('section', { 'aria-labelledby': 'scaling-h', class: 'panel' }, h('h2', { id: 'scaling-h' }, 'Scaling at a glance'), scaling,
      h('h3', {}, 'Recent scale events'), events));

  const rows = new Map<string, Row>();
  poll(async () => {
    const [fns, metrics] = await Promise.all([listFunctions(signal), fetchMetrics(signal).then(parseInvocationTotals, () => null)]);
    const now = Date.now();
    fns.sort((a, b) => a.name.localeCompare(b.name));
    history.retain(fns.map((f) => f.name));
    for (const [i, fn] of fns.entries()) {
      const counters = metrics?.get(fn.name) ?? (metrics ? { total: 0, errors: 0 } : { total: fn.invocationCount ?? 0, errors: null });
      history.record(fn.name, now, counters);
      const row = rows.get(fn.name) ?? newRow(fn.name);
      rows.set(fn.name, row);
      fillRow(row, fn, counters);
      // move a row only when out of place: moving a node blurs a focused link inside it
      if (tbody.children[i] !== row.tr) tbody.insertBefore(row.tr, tbody.children[i] ?? null);
    }
    for (const [name, row] of rows) if (!fns.some((f) => f.name === name)) (row.tr.remove(), rows.delete(name));
    empty.hidden = fns.length > 0;
    replace(scaling, scalingTable(fns));
    status.textContent = `${fns.length} function${fns.length === 1 ? '' : 's'} · updated ${new Date(now).toLocaleTimeString()}`;
    problem.textContent = '';
  }, POLL_MS, signal, (e) => {
    problem.textContent = `Could not load functions: ${describeError(e)}`;
  });
  poll(async () => {
    try {
      replace(events, scaleEventTable(await listScaleEvents(signal), true));
    } catch (e) {
      replace(events, h('p', { class: 'muted' }, `Scale events unavailable (${describeError(e)}).`));
    }
  }, POLL_MS * 2, signal, () => undefined);
}
