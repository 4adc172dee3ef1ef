/** Scale to zero: functions that allow it (min 0 or `com.openfaas.scale.zero=true`) sleep after their idle period. */
import type { Logger } from 'pino';
import type { FunctionStatus, Provider } from '../providers/provider';
import type { Clock } from './clock';
import { parseScaleLabels } from './labels';
import type { Scaler } from './scaler';

/** Last time each function was invoked (a call started or completed). */
export class ActivityTracker {
  private readonly last = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** Marks `fn` active now. */
  touch(fn: string): void {
    this.last.set(fn, this.clock.now());
  }

  /** When `fn` was last active, or undefined if never seen. */
  lastActive(fn: string): number | undefined {
    return this.last.get(fn);
  }

  /** Marks `fn` active now unless seen already: a function first met counts as fresh, never as long idle. */
  seen(fn: string): number {
    if (!this.last.has(fn)) this.touch(fn);
    return this.last.get(fn) as number;
  }

  /** Forgets functions that no longer exist, so the map stays bounded. */
  retain(names: Set<string>): void {
    for (const fn of this.last.keys()) if (!names.has(fn)) this.last.delete(fn);
  }
}

/** Names of the functions to put to sleep now: zero allowed, replicas up, nothing in flight, idle for their period. */
export function idleFunctions(fns: FunctionStatus[], lastActive: (fn: string) => number, busy: (fn: string) => number, now: number): string[] {
  return fns
    .filter((f) => {
      const { scale } = parseScaleLabels(f.labels);
      return scale.zero && f.replicas > 0 && busy(f.name) === 0 && now - lastActive(f.name) >= scale.idleMs;
    })
    .map((f) => f.name);
}

/** Dependencies of the idle scaler. */
export interface IdleScalerDeps {
  provider: Pick<Provider, 'list'>;
  scaler: Pick<Scaler, 'scale'>;
  activity: ActivityTracker;
  /** Calls in flight or held for `fn`. */
  busy: (fn: string) => number;
  clock: Clock;
  log: Logger;
  intervalMs: number;
}

/** A loop checking every `intervalMs` for idle functions; stop() ends it. */
export class IdleScaler {
  private readonly ac = new AbortController();
  private loop?: Promise<void>;

  constructor(private readonly deps: IdleScalerDeps) {}

  /** One pass: scales every idle function to zero; errors are logged, never thrown. */
  async tick(): Promise<string[]> {
    const { provider, scaler, activity, busy, clock, log } = this.deps;
    try {
      const fns = await provider.list();
      activity.retain(new Set(fns.map((f) => f.name)));
      const idle = idleFunctions(fns, (fn) => activity.seen(fn), busy, clock.now());
      for (const fn of idle) {
        const from = fns.find((f) => f.name === fn)?.replicas ?? 0;
        await scaler.scale(fn, from, 0, 'idle').catch((err: Error) => log.warn({ evt: 'idle-scale-failed', fn, err: err.message }, 'idle scale failed'));
      }
      return idle;
    } catch (err) {
      log.warn({ evt: 'idle-check-failed', err: (err as Error).message }, 'idle check failed');
      return [];
    }
  }

  /** Starts the loop (idempotent). */
  start(): this {
    this.loop ??= (async () => {
      while (!this.ac.signal.aborted) {
        await this.deps.clock.sleep(this.deps.intervalMs, this.ac.signal);
        if (!this.ac.signal.aborted) await this.tick();
      }
    })();
    return this;
  }

  /** Stops the loop and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.ac.abort();
    await this.loop;
  }
}
