/** Invocation rates and error rates from successive counter readings (pure; no DOM, no imports). */

/** Cumulative invocation counters of one function at one moment. */
export interface Counters {
  total: number;
  /** Calls answered with a 5xx status (the function's or the gateway's); null when only a total is known. */
  errors: number | null;
}

const SUFFIX = '.openfaas-fn';

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2].replace(/\\(.)/g, '$1');
  return labels;
}

/** Sums `gateway_function_invocation_total{function_name, code}` from Prometheus text into counters per function. */
export function parseInvocationTotals(text: string): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('gateway_function_invocation_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = parseLabels(line.slice(line.indexOf('{') + 1, close));
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    const fn = labels.function_name;
    if (!fn || !Number.isFinite(value)) continue;
    const name = fn.endsWith(SUFFIX) ? fn.slice(0, -SUFFIX.length) : fn;
    const c = out.get(name) ?? { total: 0, errors: 0 };
    c.total += value;
    if (Number(labels.code) >= 500) c.errors = (c.errors ?? 0) + value;
    out.set(name, c);
  }
  return out;
}

interface Sample extends Counters {
  /** Milliseconds since the epoch. */
  t: number;
}

/** What the function list shows for one function. */
export interface RateSummary {
  /** Invocations per second over the most recent interval. */
  perSecond: number;
  /** Share of 5xx answers over the window, 0..1; null when unknown or no calls. */
  errorRate: number | null;
  /** Invocations per second of each interval in the window, oldest first. */
  series: number[];
}

/** Keeps a bounded window of counter readings per function and derives rates from them. */
export class RateHistory {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs = 5 * 60_000) {}

  /** Records one reading; a counter that went down (gateway restart) starts a fresh history. */
  record(name: string, t: number, c: Counters): void {
    let list = this.samples.get(name) ?? [];
    const last = list[list.length - 1];
    if (last && c.total < last.total) list = [];
    list.push({ t, ...c });
    while (list.length > 2 && list[0].t < t - this.windowMs) list.shift();
    this.samples.set(name, list);
  }

  /** Forgets functions not in `names` (deleted ones). */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of [...this.samples.keys()]) if (!keep.has(name)) this.samples.delete(name);
  }

  /** Rates for one function; zeros until two readings exist. */
  summary(name: string): RateSummary {
    const list = this.samples.get(name) ?? [];
    const series: number[] = [];
    for (let i = 1; i < list.length; i++) {
      const dt = (list[i].t - list[i - 1].t) / 1000;
      series.push(dt > 0 ? Math.max(0, list[i].total - list[i - 1].total) / dt : 0);
    }
    const first = list[0];
    const last = list[list.length - 1];
    let errorRate: number | null = null;
    if (first && last && first !== last && first.errors !== null && last.errors !== null) {
      const calls = last.total - first.total;
      errorRate = calls > 0 ? Math.max(0, last.errors - first.errors) / calls : null;
    }
    return { perSecond: series[series.length - 1] ?? 0, errorRate, series };
  }
}

/** Points of a sparkline polyline for `values` in a `width`×`height` box (higher values drawn higher). */
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const pad = 1;
  return values
    .map((v, i) => {
      const x = values.length > 1 ? i * step : width;
      const y = max > 0 ? height - pad - (v / max) * (height - 2 * pad) : height - pad;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Formats a rate for a table cell: `0`, `0.25`, `3.4`, `120`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 1) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return Math.round(perSecond).toString();
}
