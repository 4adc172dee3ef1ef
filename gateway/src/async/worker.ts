/**
 * The async worker: leases jobs per function (up to its concurrency), calls the function through the gateway's own
 * `/function/<name>` (so scale from zero, balancing and metrics apply), heartbeats the lease while the call runs,
 * records the outcome, then POSTs the result to the callback URL in the background.
 */
import type { Logger } from 'pino';
import type { FunctionAsyncSettings } from './config';
import { deliverCallback } from './callback';
import { HttpClient, retryAfterSeconds } from './http-client';
import type { AsyncMetrics } from './metrics';
import { CallResult, decide, tooOld } from './policy';
import { Clock, Job, JobQueue, LeaseLostError, processOwnerId, systemClock } from './queue';

/** What the worker needs. */
export interface WorkerOptions {
  queue: JobQueue;
  /** Base URL of this gateway, e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  /** A function's async settings (from its labels), or null while the function does not exist. */
  settings: (fn: string) => Promise<FunctionAsyncSettings | null>;
  /** Settings for jobs of a function missing longer than `missingGraceMs`: they run (and 404) into the dead letters. */
  defaults?: () => FunctionAsyncSettings;
  /** How long jobs of a missing function wait for it to be deployed again (default 60 s). */
  missingGraceMs?: number;
  leaseMs: number;
  callTimeoutMs: number;
  callbackAttempts: number;
  callbackTimeoutMs: number;
  owner?: string;
  clock?: Clock;
  random?: () => number;
  log?: Logger;
  metrics?: AsyncMetrics;
  /** How often to look for work when nothing wakes the worker (default 250 ms). */
  pollMs?: number;
}

/** A call's answer as the callback needs it. */
export interface CallAnswer extends CallResult {
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer;
  durationSeconds: number;
}

/** Runs async jobs until stopped. */
export class AsyncWorker {
  readonly owner: string;
  private readonly http = new HttpClient();
  private readonly clock: Clock;
  private readonly slots = new Map<string, number>();
  private readonly calls = new Map<string, AbortController>();
  private readonly background = new Set<Promise<void>>();
  private readonly missingSince = new Map<string, number>();
  private stopping = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.owner = opts.owner ?? processOwnerId();
    this.clock = opts.clock ?? systemClock;
  }

  /** Starts polling for work. */
  start(): void {
    this.loopDone = this.loop();
  }

  /** Wakes the worker at once for `fn` (called after an enqueue), instead of at the next poll. */
  notify(fn: string): void {
    if (!this.stopping) void this.fill(fn);
  }

  /** Stops leasing, waits up to `graceMs` for running calls, then cuts the rest off (their leases lapse and are reclaimed). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.calls.values()) c.abort();
    while (this.busy() && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 20));
    await Promise.race([Promise.allSettled([...this.background]), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.http.close();
  }

  /** Calls in flight right now. */
  inFlight(): number {
    return [...this.slots.values()].reduce((a, b) => a + b, 0);
  }

  private busy(): boolean {
    return this.inFlight() > 0;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        for (const fn of await this.opts.queue.activeFunctions()) await this.fill(fn);
      } catch (err) {
        this.opts.log?.warn({ err }, 'async poll failed');
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.pollMs ?? 250);
        this.wake = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  /** Starts slots for `fn` up to its concurrency; each slot runs jobs until none is runnable. */
  private async fill(fn: string): Promise<void> {
    const s = await this.settingsFor(fn);
    if (!s) return;
    while (!this.stopping && (this.slots.get(fn) ?? 0) < s.concurrency) {
      this.slots.set(fn, (this.slots.get(fn) ?? 0) + 1);
      void this.slot(fn, s).finally(() => this.slots.set(fn, (this.slots.get(fn) ?? 1) - 1));
    }
  }

  /** Settings of `fn`; while it is missing (redeploying after a restart), null for a grace period so nothing runs blind. */
  private async settingsFor(fn: string): Promise<FunctionAsyncSettings | null> {
    const s = await this.opts.settings(fn);
    if (s) {
      this.missingSince.delete(fn);
      return s;
    }
    const since = this.missingSince.get(fn) ?? Date.now();
    this.missingSince.set(fn, since);
    return Date.now() - since > (this.opts.missingGraceMs ?? 60_000) && this.opts.defaults ? this.opts.defaults() : null;
  }

  private async slot(fn: string, s: FunctionAsyncSettings): Promise<void> {
    while (!this.stopping) {
      let job: Job | null;
      try {
        job = await this.opts.queue.lease(fn, this.owner);
      } catch (err) {
        this.opts.log?.warn({ err, fn }, 'async lease failed');
        return;
      }
      if (!job) return;
      const pauseMs = await this.run(job, s).catch((err: unknown) => {
        this.opts.log?.error({ err, fn, callId: job.id }, 'async job failed unexpectedly');
        return 1000;
      });
      if (pauseMs > 0) await this.clock.sleep(pauseMs);
    }
  }

  /** Runs one leased job to its next state; returns how long the slot should pause (after a 429). */
  private async run(job: Job, s: FunctionAsyncSettings): Promise<number> {
    const { queue, metrics, log } = this.opts;
    const fn = job.fn;
    if (job.attempts === 1 && job.startedAt !== undefined) metrics?.queueSeconds.observe({ function_name: fn }, (job.startedAt - job.enqueuedAt) / 1000);
    if (tooOld(job, s.policy, this.clock.now())) {
      await this.toDead(job, 'max age exceeded before the request could run', {});
      return 0;
    }
    if (job.interrupted && s.onInterrupt === 'dead-letter') {
      await this.toDead(job, 'a gateway stopped during the call, which may have run; redrive to run it again', {});
      return 0;
    }
    const answer = await this.call(job);
    metrics?.attempts.inc({ function_name: fn, code: answer.status !== undefined ? String(answer.status) : 'error' });
    const d = decide(job, answer, s.policy, this.clock.now(), this.opts.random);
    const outcome = { status: answer.status, error: answer.error };
    try {
      if (d.action === 'retry') {
        await queue.retryAt(job.id, this.owner, d.at, outcome);
        log?.info({ fn, callId: job.id, attempt: job.attempts, status: answer.status, error: answer.error, retryInMs: d.at - this.clock.now() }, 'async retry');
        return answer.status === 429 ? Math.min(5000, d.at - this.clock.now()) : 0;
      }
      if (d.action === 'dead') return await this.toDead(job, d.reason, outcome, answer);
      await queue.complete(job.id, this.owner, d.state, outcome);
      metrics?.finished.inc({ function_name: fn, state: d.state });
      log?.info({ fn, callId: job.id, attempt: job.attempts, status: answer.status, state: d.state }, 'async done');
      this.callback(job, answer);
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      log?.warn({ fn, callId: job.id }, 'async lease lost; another gateway took the call over');
    }
    return 0;
  }

  private async toDead(job: Job, reason: string, outcome: { status?: number; error?: string }, answer?: CallAnswer): Promise<number> {
    await this.opts.queue.dead(job.id, this.owner, reason, outcome);
    this.opts.metrics?.finished.inc({ function_name: job.fn, state: 'dead' });
    this.opts.metrics?.deadLetters.inc({ function_name: job.fn });
    this.opts.log?.warn({ fn: job.fn, callId: job.id, reason }, 'async dead-lettered');
    this.callback(job, answer ?? { ...outcome, durationSeconds: 0 });
    return 0;
  }

  /** Calls the function through the gateway, heartbeating the lease; a lost lease aborts the call. */
  private async call(job: Job): Promise<CallAnswer> {
    const abort = new AbortController();
    this.calls.set(job.id, abort);
    const beat = setInterval(() => {
      this.opts.queue.heartbeat(job.id, this.owner).then((held) => { if (!held) abort.abort(); }, () => undefined);
    }, Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    const started = Date.now();
    const headers: Record<string, string> = { ...job.headers, 'x-call-id': job.id, 'x-skep-attempt': String(job.attempts) };
    if (job.interrupted) headers['x-skep-redelivered'] = 'true';
    const url = `${this.opts.gatewayUrl}/function/${job.fn}${job.path}${job.query ? `?${job.query}` : ''}`;
    try {
      const res = await this.http.request(url, { method: job.method, headers, body: job.body, timeoutMs: this.opts.callTimeoutMs, signal: abort.signal });
      const reported = Number(res.headers['x-duration-seconds']);
      const durationSeconds = Number.isFinite(reported) && reported > 0 ? reported : (Date.now() - started) / 1000;
      return { status: res.status, headers: res.headers, body: res.body, durationSeconds, retryAfterSeconds: retryAfterSeconds(res.headers), internal: res.headers['x-skep-internal'] !== undefined };
    } catch (err) {
      return { error: (err as Error).message, durationSeconds: (Date.now() - started) / 1000 };
    } finally {
      clearInterval(beat);
      this.calls.delete(job.id);
    }
  }

  private callback(job: Job, answer: CallAnswer): void {
    if (!job.callbackUrl) return;
    const p = deliverCallback(this.http, job, answer, this.opts).then((ok) => {
      this.opts.metrics?.callbacks.inc({ function_name: job.fn, result: ok ? 'delivered' : 'failed' });
    });
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
