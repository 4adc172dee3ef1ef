/** Fakes for scaling tests: a clock stepped by hand and a provider that only knows replicas and labels. */
import pino from 'pino';
import { NotFoundError } from '../../gateway/src/errors';
import type { Endpoint, FunctionStatus, Provider } from '../../gateway/src/providers/provider';
import type { Clock } from '../../gateway/src/scaling/clock';

/** A clock whose time moves only when a test calls advance(). */
export class FakeClock implements Clock {
  private timers: { at: number; resolve: () => void }[] = [];

  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = { at: this.t + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      });
    });
  }

  /** Moves time forward in steps, waking due sleepers and letting their continuations run. */
  async advance(ms: number, step = 10): Promise<void> {
    const end = this.t + ms;
    while (this.t < end) {
      this.t = Math.min(end, this.t + step);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const d of due) d.resolve();
      await flush();
    }
  }
}

/** Lets pending promise continuations run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A silent logger. */
export const silentLog = pino({ level: 'silent' });

interface FakeFn {
  replicas: number;
  ready: number;
  labels: Record<string, string>;
}

/** A provider holding replicas and labels in memory; `readyOnScale` decides whether scaled replicas become ready at once. */
export class FakeProvider implements Pick<Provider, 'status' | 'list' | 'scale' | 'resolve'> {
  readonly fns = new Map<string, FakeFn>();
  readonly scaleCalls: [string, number][] = [];
  readyOnScale = true;
  failScale?: Error;

  add(name: string, replicas: number, labels: Record<string, string> = {}): this {
    this.fns.set(name, { replicas, ready: replicas, labels });
    return this;
  }

  private get(name: string): FakeFn {
    const f = this.fns.get(name);
    if (!f) throw new NotFoundError(`function ${name} not found`);
    return f;
  }

  async status(name: string): Promise<FunctionStatus> {
    const f = this.get(name);
    return {
      name, image: 'fake', namespace: 'openfaas-fn', envProcess: '', envVars: {}, constraints: [], secrets: [],
      labels: f.labels, annotations: {}, limits: {}, requests: {}, readOnlyRootFilesystem: false, invocationCount: 0,
      replicas: f.replicas, availableReplicas: f.ready, createdAt: new Date(0).toISOString(),
    };
  }

  async list(): Promise<FunctionStatus[]> {
    return Promise.all([...this.fns.keys()].map((n) => this.status(n)));
  }

  async scale(name: string, replicas: number): Promise<void> {
    if (this.failScale) throw this.failScale;
    const f = this.get(name);
    this.scaleCalls.push([name, replicas]);
    f.replicas = replicas;
    if (this.readyOnScale || replicas < f.ready) f.ready = replicas;
  }

  /** Makes scaled replicas ready (when readyOnScale is false). */
  makeReady(name: string): void {
    const f = this.get(name);
    f.ready = f.replicas;
  }

  async resolve(name: string): Promise<Endpoint[]> {
    const f = this.get(name);
    return Array.from({ length: f.ready }, (_, i) => ({ id: `${name}-${i}`, url: `http://127.0.0.1:${9000 + i}` }));
  }
}
