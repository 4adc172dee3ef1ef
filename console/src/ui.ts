/** Shared pieces of the views: polling, the sparkline element, scale-event lists and the one-shot flash message. */
import { h } from './dom.js';
import type { ScaleEvent } from './api.js';
import { sparklinePoints } from './stats.js';

/** Runs `task` now and then every `intervalMs` until `signal` aborts; a failing task reports and keeps polling. */
export function poll(task: () => Promise<void>, intervalMs: number, signal: AbortSignal, onError: (e: unknown) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await task();
    } catch (e) {
      if (!signal.aborted) onError(e);
    }
    if (!signal.aborted) timer = setTimeout(tick, intervalMs);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  void tick();
}

const SVG = 'http://www.w3.org/2000/svg';

/** An inline SVG sparkline of `values`, labelled for screen readers. */
export function sparkline(values: number[], label: string, width = 120, height = 24): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const base = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 })) base.setAttribute(k, String(v));
  base.setAttribute('class', 'spark-base');
  svg.appendChild(base);
  if (values.length > 1) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', sparklinePoints(values, width, height));
    line.setAttribute('class', 'spark-line');
    svg.appendChild(line);
  }
  return svg;
}

/** Formats an ISO time as a local clock time, with the date when it is not today. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** How the scaling engine's reasons read in the console. */
const REASONS: Record<string, string> = {
  alert: 'alert',
  autoscaler: 'autoscaler',
  zero: 'scale from zero',
  idle: 'idle → zero',
  manual: 'manual',
};

/** A table of scale events, newest first; `withFunction` adds the function column. */
export function scaleEventTable(events: ScaleEvent[], withFunction: boolean): HTMLElement {
  if (events.length === 0) return h('p', { class: 'muted' }, 'No scale events yet.');
  const rows = [...events].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).slice(0, 25);
  return h('table', { class: 'events' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Time'),
      withFunction && h('th', { scope: 'col' }, 'Function'),
      h('th', { scope: 'col' }, 'Replicas'),
      h('th', { scope: 'col' }, 'Reason'))),
    h('tbody', {}, ...rows.map((e) => h('tr', {},
      h('td', { 'data-label': 'Time' }, h('time', { datetime: e.time }, clock(e.time))),
      withFunction && h('td', { 'data-label': 'Function' }, h('a', { href: `#/functions/${encodeURIComponent(e.function)}` }, e.function)),
      h('td', { 'data-label': 'Replicas' }, `${e.from} → ${e.to}`),
      h('td', { 'data-label': 'Reason' }, h('span', { class: 'reason', 'data-reason': e.reason }, REASONS[e.reason] ?? e.reason),
        e.detail && h('span', { class: 'muted' }, ` ${e.detail}`))))));
}

let pendingFlash: string | null = null;

/** Leaves a message for the next view (e.g. "deleted echo"). */
export function setFlash(message: string): void {
  pendingFlash = message;
}

/** Takes the message left for this view, if any. */
export function takeFlash(): string | null {
  const m = pendingFlash;
  pendingFlash = null;
  return m;
}

/** Describes an error for a status line. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
