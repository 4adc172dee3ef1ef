/**
 * Scale from zero: wraps the gateway's endpoint choice so a call to a function with no ready replica is held
 * (bounded queue, deadline) while ONE scale-up per function brings a replica to ready, then released.
 */
import type { Logger } from 'pino';
import { BusyError, UnavailableError } from '../errors';
import type { Endpoint, Provider } from '../providers/provider';
import type { Clock } from './clock';
import { wakeReplicas } from './labels';
import type { Scaler, ScalingMetrics } from './scaler';

/** The gateway's injectable endpoint choice (contract §4). */
export type ChooseEndpoint = (name: string, signal: AbortSignal) => Promise<Endpoint>;

/** Limits of the wait. */
export interface ZeroGateOptions {
  /** Calls held per function at most; more get 429. */
  queueLimit: number;
  /** Longest a call is held; past it, 503. */
  timeoutMs: number;
  /** Readiness poll back-off, from min doubling to max. */
  pollMinMs?: number;
  pollMaxMs?: number;
}

/** Dependencies of the gate. */
export interface ZeroGateDeps {
  provider: Pick<Provider, 'status' | 'resolve'>;
  scaler: Pick<Scaler, 'scale' | 'labelsOf'>;
  clock: Clock;
  log: Logger;
  metrics?: ScalingMetrics;
  options: ZeroGateOptions;
}

const NOT_READY = 503;

/** Holds calls to sleeping or starting functions until a replica is ready. */
export class ZeroGate {
  private readonly wakes = new Map<string, Promise<void>>();
  private readonly held = new Map<string, number>();

  constructor(private readonly deps: ZeroGateDeps) {}

  /** Calls held right now for `fn` (the idle scaler treats them as activity). */
  waiting(fn: string): number {
    return this.held.get(fn) ?? 0;
  }

  /** Wraps an endpoint choice: the fast path is untouched; "no ready replica" (503) turns into a held wait. */
  wrap(inner: ChooseEndpoint): ChooseEndpoint {
    return async (name, signal) => {
      try {
        return await inner(name, signal);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== NOT_READY) throw err;
      }
      return this.hold(name, signal, inner);
    };
  }

  private async hold(name: string, signal: AbortSignal, inner: ChooseEndpoint): Promise<Endpoint> {
    const { queueLimit, timeoutMs } = this.deps.options;
    if (this.waiting(name) >= queueLimit) {
      throw new BusyError(`function ${name} is starting and ${queueLimit} calls already wait for it; retry shortly`, 1);
    }
    this.setHeld(name, +1);
    const deadline = this.deps.clock.now() + timeoutMs;
    try {
      for (;;) {
        if (this.deps.clock.now() >= deadline) throw this.timeout(name);
        await this.waitUntil(this.wake(name, deadline), deadline, signal, name);
        try {
          return await inner(name, signal);
        } catch (err) {
          // The replica went away between ready and pick: wait again (after a pause, never a hot loop) while the deadline allows.
          if ((err as { statusCode?: number }).statusCode !== NOT_READY) throw err;
          await this.deps.clock.sleep(this.deps.options.pollMinMs ?? 10, signal);
        }
      }
    } finally {
      this.setHeld(name, -1);
    }
  }

  private setHeld(name: string, delta: number): void {
    const n = this.waiting(name) + delta;
    if (n <= 0) this.held.delete(name);
    else this.held.set(name, n);
    this.deps.metrics?.waiting.set({ function_name: name }, Math.max(0, n));
  }

  /** Races a wake against this call's own deadline and its client going away. */
  private async waitUntil(wake: Promise<void>, deadline: number, signal: AbortSignal, name: string): Promise<void> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const timedOut = Symbol('timeout');
    try {
      const left = deadline - this.deps.clock.now();
      const r = await Promise.race([wake, this.deps.clock.sleep(Math.max(0, left), stop.signal).then(() => timedOut)]);
      if (signal.aborted) throw signal.reason ?? new Error('client went away');
      if (r === timedOut) throw this.timeout(name);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  private timeout(name: string): UnavailableError {
    const secs = Math.round(this.deps.options.timeoutMs / 1000);
    return new UnavailableError(`function ${name} did not get a ready replica within ${secs}s; retry later`, 'scale_from_zero_timeout', 5);
  }

  /** One wake per function at a time: concurrent calls share it (singleflight). */
  private wake(name: string, deadline: number): Promise<void> {
    let p = this.wakes.get(name);
    if (!p) {
      p = this.doWake(name, deadline).finally(() => this.wakes.delete(name));
      this.wakes.set(name, p);
    }
    return p;
  }

  private async doWake(name: string, deadline: number): Promise<void> {
    const { provider, scaler, clock, log } = this.deps;
    const st = await provider.status(name);
    if (st.replicas === 0) {
      const scale = scaler.labelsOf(name, st.labels);
      log.info({ evt: 'scale-from-zero', fn: name, to: wakeReplicas(scale) }, 'waking function');
      await scaler.scale(name, 0, wakeReplicas(scale), 'zero');
    }
    let delay = this.deps.options.pollMinMs ?? 10;
    const maxDelay = this.deps.options.pollMaxMs ?? 50;
    while (clock.now() < deadline) {
      if ((await provider.resolve(name)).length > 0) return;
      await clock.sleep(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
