/** The gateway's Prometheus metrics, one Registry per app, with OpenFaaS's names and labels so its dashboards work. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Provider } from '../providers/provider';
import type { Invoker } from '../proxy/invoker';
import { DirectCounter, DirectHistogram } from './direct-series';

interface Series {
  invocations: { inc(): void };
  seconds: { observe(v: number): void };
  overhead: { observe(v: number): void };
}

/** Metrics of one gateway app; also keeps the invocation counts `/system/functions` reports. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly counts = new Map<string, number>();
  private readonly children = new Map<string, Series>();
  private readonly startedChildren = new Map<string, { inc(): void }>();
  readonly invocations: Counter<'function_name' | 'code'>;
  readonly seconds: Histogram<'function_name' | 'code'>;
  readonly started: Counter<'function_name'>;
  readonly inFlight: Gauge<'function_name'>;
  readonly overhead: Histogram<'function_name'>;
  readonly serviceCount: Gauge<'function_name'>;

  constructor(provider: Provider, invoker: Invoker, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.invocations = new Counter({ name: 'gateway_function_invocation_total', help: 'Function calls by status code', labelNames: ['function_name', 'code'], registers });
    this.seconds = new Histogram({ name: 'gateway_functions_seconds', help: 'Function call duration in seconds', labelNames: ['function_name', 'code'], registers });
    this.started = new Counter({ name: 'gateway_function_invocation_started', help: 'Function calls started', labelNames: ['function_name'], registers });
    this.inFlight = new Gauge({
      name: 'skep_gateway_function_inflight', help: 'Function calls in flight right now', labelNames: ['function_name'], registers,
      collect: () => this.collectInFlight(invoker),
    });
    this.overhead = new Histogram({ name: 'skep_gateway_overhead_seconds', help: 'Time the gateway spends on a call before forwarding it', labelNames: ['function_name'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5], registers });
    this.serviceCount = new Gauge({
      name: 'gateway_service_count', help: 'Desired replicas of each function', labelNames: ['function_name'], registers,
      collect: () => this.collectReplicas(provider),
    });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    invoker.on('started', ({ fn }) => this.startedOf(fn).inc());
    invoker.on('completed', (e) => this.record(e.fn, e.status, e.durationMs, e.overheadMs, e.error));
  }

  /** Calls completed for `fn` since the gateway started (the `invocationCount` of FunctionStatus). */
  invocationCount(fn: string): number {
    return this.counts.get(fn) ?? 0;
  }

  /** Forgets the counts of a removed function. */
  forget(fn: string): void {
    this.counts.delete(fn);
    for (const key of this.children.keys()) if (key.startsWith(`${fn} `)) this.children.delete(key);
  }

  private record(fn: string, status: number, durationMs: number, overheadMs: number, error?: string): void {
    // Calls to unknown names get no series, so a scan of random names cannot grow the registry.
    if (error === 'not_found') {
      if (!this.counts.has(fn)) {
        this.started.remove({ function_name: fn });
        this.startedChildren.delete(fn);
      }
      return;
    }
    this.counts.set(fn, (this.counts.get(fn) ?? 0) + 1);
    const s = this.series(fn, status);
    s.invocations.inc();
    s.seconds.observe(durationMs / 1000);
    s.overhead.observe(overheadMs / 1000);
  }

  private startedOf(fn: string): { inc(): void } {
    let c = this.startedChildren.get(fn);
    if (!c) {
      c = new DirectCounter(this.started, { function_name: fn });
      this.startedChildren.set(fn, c);
    }
    return c;
  }

  /** Labelled series, cached and updated in place: hashing label objects on every call showed in the per-call CPU cost. */
  private series(fn: string, status: number): Series {
    const key = `${fn} ${status}`;
    let s = this.children.get(key);
    if (!s) {
      const code = String(status);
      const labels = { function_name: fn, code };
      s = { invocations: new DirectCounter(this.invocations, labels), seconds: new DirectHistogram(this.seconds, labels), overhead: new DirectHistogram(this.overhead, { function_name: fn }) };
      this.children.set(key, s);
    }
    return s;
  }

  private collectInFlight(invoker: Invoker): void {
    this.inFlight.reset();
    for (const [fn, n] of invoker.inFlightAll()) this.inFlight.set({ function_name: fn }, n);
  }

  private async collectReplicas(provider: Provider): Promise<void> {
    this.serviceCount.reset();
    try {
      for (const f of await provider.list()) this.serviceCount.set({ function_name: f.name }, f.replicas);
    } catch {
      // The provider being down must not break the scrape; the gauge is simply empty.
    }
  }
}
