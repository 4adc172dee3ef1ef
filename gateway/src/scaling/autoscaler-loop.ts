/** Collect → decide → act: samples in-flight calls, runs decide() for each function with a target, scales through the Scaler. */
import type { Logger } from 'pino';
import type { Provider } from '../providers/provider';
import { decide, DEFAULT_AUTOSCALER, type AutoscalerSettings, type AutoscalerState, type Sample } from './autoscaler';
import type { Clock } from './clock';
import type { Scaler, ScalingMetrics } from './scaler';

/** Averages in-flight calls per function over each interval (polled often, so short calls are not missed). */
export class ConcurrencyCollector {
  private sums = new Map<string, number>();
  private polls = 0;
  private readonly series = new Map<string, Sample[]>();

  constructor(private readonly inFlight: () => ReadonlyMap<string, number>, private readonly keepMs: number) {}

  /** Adds the current in-flight counts to this interval. */
  poll(): void {
    this.polls++;
    for (const [fn, n] of this.inFlight()) this.sums.set(fn, (this.sums.get(fn) ?? 0) + n);
  }

  /** Closes the interval: one averaged sample per function in `fns`; forgets the others. */
  sample(fns: readonly string[], now: number): void {
    if (this.polls === 0) this.poll();
    const keep = new Set(fns);
    for (const fn of this.series.keys()) if (!keep.has(fn)) this.series.delete(fn);
    for (const fn of fns) {
      const s = this.series.get(fn) ?? [];
      s.push({ t: now, inFlight: (this.sums.get(fn) ?? 0) / this.polls });
      while (s.length && s[0].t <= now - this.keepMs) s.shift();
      this.series.set(fn, s);
    }
    this.sums = new Map();
    this.polls = 0;
  }

  /** Samples of `fn` within the kept window, oldest first. */
  samples(fn: string): readonly Sample[] {
    return this.series.get(fn) ?? [];
  }
}

/** Dependencies of the autoscaler loop. */
export interface AutoscalerDeps {
  provider: Pick<Provider, 'list'>;
  scaler: Pick<Scaler, 'scale' | 'labelsOf'>;
  inFlight: () => ReadonlyMap<string, number>;
  clock: Clock;
  log: Logger;
  metrics?: ScalingMetrics;
  intervalMs: number;
  pollMs?: number;
  settings?: AutoscalerSettings;
}

/** The autoscaler: a loop with stop(), deciding every interval for each function labelled `com.skep.scale.target`. */
export class Autoscaler {
  readonly collector: ConcurrencyCollector;
  private readonly states = new Map<string, AutoscalerState>();
  private readonly ac = new AbortController();
  private loop?: Promise<void>;
  private readonly settings: AutoscalerSettings;

  constructor(private readonly deps: AutoscalerDeps) {
    this.settings = deps.settings ?? DEFAULT_AUTOSCALER;
    this.collector = new ConcurrencyCollector(deps.inFlight, this.settings.stableWindowMs);
  }

  /** One decision round: sample, decide for every autoscaled function, scale those whose desired count changed. */
  async tick(): Promise<void> {
    const { provider, scaler, clock, log, metrics } = this.deps;
    let fns;
    try {
      fns = (await provider.list()).map((f) => ({ f, scale: scaler.labelsOf(f.name, f.labels) })).filter((x) => x.scale.target !== null);
    } catch (err) {
      log.warn({ evt: 'autoscaler-list-failed', err: (err as Error).message }, 'autoscaler could not list functions');
      return;
    }
    const now = clock.now();
    this.collector.sample(fns.map((x) => x.f.name), now);
    for (const name of this.states.keys()) if (!fns.some((x) => x.f.name === name)) this.states.delete(name);
    for (const { f, scale } of fns) {
      // A function at zero is the zero gate's and the idle scaler's business, not the autoscaler's.
      if (f.replicas === 0) continue;
      const d = decide({ current: f.replicas, min: scale.min, max: scale.max, target: scale.target as number, samples: this.collector.samples(f.name), state: this.states.get(f.name) ?? {}, settings: this.settings }, now);
      this.states.set(f.name, d.state);
      metrics?.decisions.inc({ function_name: f.name, reason: d.reason });
      metrics?.desired.set({ function_name: f.name }, d.desired);
      if (d.desired === f.replicas) continue;
      log.info({ evt: 'autoscale', fn: f.name, from: f.replicas, to: d.desired, reason: d.reason, stableLoad: d.stableLoad, panicLoad: d.panicLoad }, 'autoscaler decision');
      await scaler.scale(f.name, f.replicas, d.desired, 'autoscaler', d.reason).catch((err: Error) => log.warn({ evt: 'autoscale-failed', fn: f.name, err: err.message }, 'autoscaler scale failed'));
    }
  }

  /** Starts polling and deciding (idempotent). */
  start(): this {
    const { clock, intervalMs } = this.deps;
    const pollMs = Math.min(this.deps.pollMs ?? 100, intervalMs);
    this.loop ??= (async () => {
      let next = clock.now() + intervalMs;
      while (!this.ac.signal.aborted) {
        await clock.sleep(pollMs, this.ac.signal);
        if (this.ac.signal.aborted) break;
        this.collector.poll();
        if (clock.now() < next) continue;
        next = clock.now() + intervalMs;
        await this.tick();
      }
    })();
    return this;
  }

  /** Stops the loop and waits for the round in progress. */
  async stop(): Promise<void> {
    this.ac.abort();
    await this.loop;
  }
}
