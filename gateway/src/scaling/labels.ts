/** Scaling labels (OpenFaaS's `com.openfaas.scale.*` plus Skep's `com.skep.scale.*`), parsed without ever throwing. */
import { formatDuration, parseDuration } from '../../../common/src/duration';

/** Label names, as users write them in stack.yml. */
export const LABEL = {
  min: 'com.openfaas.scale.min',
  max: 'com.openfaas.scale.max',
  factor: 'com.openfaas.scale.factor',
  zero: 'com.openfaas.scale.zero',
  target: 'com.skep.scale.target',
  idle: 'com.skep.scale.idle',
} as const;

/** Defaults, as in OpenFaaS 2018–2020 (min 1, max 20, factor 20) plus Skep's idle period of 5 minutes. */
export const DEFAULTS = { min: 1, max: 20, factor: 20, zero: false, target: null, idleMs: 300_000 } as const;

/** The scaling settings of one function. */
export interface ScaleLabels {
  min: number;
  max: number;
  /** Percent of max added per firing alert; 0 disables alert scaling. */
  factor: number;
  /** True when the function may be scaled to zero (min 0 or `com.openfaas.scale.zero=true`). */
  zero: boolean;
  /** Autoscaler concurrency target per replica; null when the autoscaler is off for the function. */
  target: number | null;
  /** Idle period before scale to zero, in ms. */
  idleMs: number;
}

/** Parsed settings plus a warning for each label that was ignored. */
export interface ParsedScaleLabels {
  scale: ScaleLabels;
  warnings: string[];
}

const LIMIT = 1000;

function intLabel(labels: Record<string, string>, key: string, lo: number, hi: number, warnings: string[]): number | undefined {
  const raw = labels[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  if (/^\d+$/.test(raw.trim()) && n >= lo && n <= hi) return n;
  warnings.push(`${key}="${raw}" is not a whole number from ${lo} to ${hi}; using the default`);
  return undefined;
}

function boolLabel(labels: Record<string, string>, key: string, warnings: string[]): boolean | undefined {
  const raw = labels[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = raw.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  warnings.push(`${key}="${raw}" is not true or false; using the default`);
  return undefined;
}

function durationLabel(labels: Record<string, string>, key: string, warnings: string[]): number | undefined {
  const raw = labels[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = parseDuration(raw);
  if (!(ms instanceof Error) && ms >= 1000) return ms;
  warnings.push(`${key}="${raw}" is not a duration of at least 1s (e.g. 30s, 5m); using ${formatDuration(DEFAULTS.idleMs)}`);
  return undefined;
}

/** Reads the scaling labels of a function; a bad value falls back to its default and adds a warning. */
export function parseScaleLabels(labels: Record<string, string> | undefined): ParsedScaleLabels {
  const l = labels ?? {};
  const warnings: string[] = [];
  let min = intLabel(l, LABEL.min, 0, LIMIT, warnings) ?? DEFAULTS.min;
  const max = intLabel(l, LABEL.max, 1, LIMIT, warnings) ?? DEFAULTS.max;
  const factor = intLabel(l, LABEL.factor, 0, 100, warnings) ?? DEFAULTS.factor;
  const zeroLabel = boolLabel(l, LABEL.zero, warnings);
  const target = intLabel(l, LABEL.target, 1, 1_000_000, warnings) ?? DEFAULTS.target;
  const idleMs = durationLabel(l, LABEL.idle, warnings) ?? DEFAULTS.idleMs;
  if (min > max) {
    // The cap wins: a min above max would make every scale call contradict the other label.
    warnings.push(`${LABEL.min}=${min} is above ${LABEL.max}=${max}; using min ${max}`);
    min = max;
  }
  return { scale: { min, max, factor, zero: min === 0 || zeroLabel === true, target, idleMs }, warnings };
}

/** Replicas a function wakes to from zero: its min, but at least one. */
export function wakeReplicas(s: ScaleLabels): number {
  return Math.max(1, s.min);
}
