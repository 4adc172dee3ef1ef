/**
 * Labelled prom-client series updated in place: a child's inc()/observe() re-validates and re-hashes its labels on
 * every call, which showed in the gateway's per-call CPU. After one ordinary update we keep the series' own entry in
 * the metric's map (prom-client 15's layout) and update it directly while the metric still holds it; after a reset or
 * remove, or if the layout is not the expected one, the child's ordinary update is used again.
 */
import type { Counter, Histogram } from 'prom-client';

type Labels = Record<string, string>;

interface Entry {
  labels: Labels;
  value?: number;
  sum?: number;
  count?: number;
  bucketValues?: Record<string, number>;
}

/** The internals read here; declared apart so the public types stay untouched. */
interface Internals {
  hashMap: Record<string, Entry>;
  upperBounds?: number[];
}

function sameLabels(a: Labels, b: Labels): boolean {
  for (const k in b) if (a[k] !== b[k]) return false;
  return true;
}

/** The key and entry of the series with `labels` in `metric`'s map, or null. */
function find(metric: Internals, labels: Labels): { key: string; entry: Entry } | null {
  const map = metric.hashMap;
  if (!map || typeof map !== 'object') return null;
  for (const key in map) if (map[key] && map[key].labels && sameLabels(map[key].labels, labels)) return { key, entry: map[key] };
  return null;
}

/** One counter series, incremented by one per call. */
export class DirectCounter {
  private key = '';
  private entry: Entry | null = null;
  private readonly child: { inc(): void };

  constructor(private readonly counter: Counter<string>, private readonly labels: Labels) {
    this.child = counter.labels(labels);
  }

  /** Adds one. */
  inc(): void {
    const m = this.counter as unknown as Internals;
    const e = this.entry;
    if (e !== null && m.hashMap[this.key] === e) {
      e.value! += 1;
      return;
    }
    this.child.inc();
    const f = find(m, this.labels);
    this.entry = f && typeof f.entry.value === 'number' ? f.entry : null;
    this.key = f?.key ?? '';
  }
}

/** One histogram series (no exemplars). */
export class DirectHistogram {
  private key = '';
  private entry: Entry | null = null;
  private readonly child: { observe(v: number): void };

  constructor(private readonly histogram: Histogram<string>, private readonly labels: Labels) {
    this.child = histogram.labels(labels);
  }

  /** Records one value, as prom-client does: sum, count and the first bucket whose bound is ≥ v. */
  observe(v: number): void {
    const m = this.histogram as unknown as Internals;
    const e = this.entry;
    if (e !== null && m.hashMap[this.key] === e && Number.isFinite(v)) {
      e.sum! += v;
      e.count! += 1;
      const bounds = m.upperBounds!;
      for (let i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          e.bucketValues![bounds[i]] += 1;
          break;
        }
      }
      return;
    }
    this.child.observe(v);
    const f = find(m, this.labels);
    const ok = f && typeof f.entry.sum === 'number' && typeof f.entry.count === 'number' && f.entry.bucketValues && Array.isArray(m.upperBounds);
    this.entry = ok ? f.entry : null;
    this.key = f?.key ?? '';
  }
}
