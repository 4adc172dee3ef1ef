/** The one place scaling acts: calls provider.scale, then records the event, the log line and the metrics. */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Provider } from '../providers/provider';
import type { Clock } from './clock';
import { parseScaleLabels, type ScaleLabels } from './labels';
import { ScaleEventLog, type ScaleReason } from './scale-events';

/** Scaling metrics, registered once per app registry. */
export class ScalingMetrics {
  readonly decisions: Counter<'function_name' | 'reason'>;
  readonly desired: Gauge<'function_name'>;
  readonly waiting: Gauge<'function_name'>;

  constructor(registry: Registry) {
    this.decisions = new Counter({
      name: 'skep_scale_decisions_total',
      help: 'Scaling decisions by function and reason (alert, autoscaler rule, zero, idle, manual)',
      labelNames: ['function_name', 'reason'],
      registers: [registry],
    });
    this.desired = new Gauge({
      name: 'skep_function_desired_replicas',
      help: 'Desired replicas last set or decided by Skep scaling',
      labelNames: ['function_name'],
      registers: [registry],
    });
    this.waiting = new Gauge({
      name: 'skep_scale_from_zero_waiting',
      help: 'Requests held while their function wakes from zero',
      labelNames: ['function_name'],
      registers: [registry],
    });
  }
}

/** Dependencies of the Scaler. */
export interface ScalerDeps {
  provider: Pick<Provider, 'scale'>;
  log: Logger;
  clock: Clock;
  events?: ScaleEventLog;
  metrics?: ScalingMetrics;
}

/** Scales functions and records why. */
export class Scaler {
  readonly events: ScaleEventLog;
  private readonly warned = new Set<string>();

  constructor(private readonly deps: ScalerDeps) {
    this.events = deps.events ?? new ScaleEventLog();
  }

  /** Parses a function's scaling labels, logging each distinct warning once (bad values fall back to defaults). */
  labelsOf(fn: string, labels: Record<string, string> | undefined): ScaleLabels {
    const { scale, warnings } = parseScaleLabels(labels);
    for (const w of warnings) {
      const key = `${fn}\0${w}`;
      if (this.warned.has(key)) continue;
      if (this.warned.size >= 1000) this.warned.clear();
      this.warned.add(key);
      this.deps.log.warn({ evt: 'scale-label', fn, warning: w }, 'bad scaling label');
    }
    return scale;
  }

  /** Sets `to` replicas (no-op when equal to `from`), recording the event with its reason. */
  async scale(fn: string, from: number, to: number, reason: ScaleReason, detail?: string): Promise<void> {
    if (from === to) return;
    const time = new Date(this.deps.clock.now()).toISOString();
    await this.deps.provider.scale(fn, to);
    this.events.record({ function: fn, from, to, reason, time, ...(detail ? { detail } : {}) });
    // The autoscaler counts every decision itself, holds included; the others decide only when they act.
    if (reason !== 'autoscaler') this.deps.metrics?.decisions.inc({ function_name: fn, reason });
    this.deps.metrics?.desired.set({ function_name: fn }, to);
    this.deps.log.info({ evt: 'scale', fn, from, to, reason, detail }, 'scale');
  }
}
