/** The invocation pipeline behind `/function/<name>[/path]`: pick a ready replica, forward, report events. */
import { EventEmitter } from 'node:events';
import { Agent, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NotFoundError, SkepError, UnavailableError } from '../errors';
import { sendError, toSkepError } from '../http/error-handler';
import type { Endpoint, Provider } from '../providers/provider';
import { Balancer } from './balancer';
import type { Forwarder } from './call';
import { NodeForwarder } from './forward';
import type * as Hp3 from './forward-http-proxy-3';
import { nowNs } from './headers';
import { parseInvokeUrl } from './invoke-url';

/** Status recorded for a call whose client went away before it was forwarded (nginx's convention). */
export const CLIENT_GONE = 499;

/** Chooses the endpoint for one call; scaling wraps it (scale from zero holds the call until a replica is ready). */
export type PickEndpoint = (name: string, signal: AbortSignal) => Promise<Endpoint>;

/** Events of the pipeline: metrics, scaling and logs subscribe; the proxy knows none of them. */
export interface InvocationEvents {
  started: { fn: string };
  /** `error` is the code of a gateway-made error (absent when the function answered); overheadMs is time spent before forwarding. */
  completed: { fn: string; status: number; durationMs: number; overheadMs: number; error?: string };
}

/** What a call ended with, for the `completed` event. */
interface Outcome {
  status: number;
  overheadMs: number;
  error?: string;
}

/** One call as dispatch sees it; startNs is when the gateway received it (X-Start-Time). */
interface CallInfo {
  fn: string;
  path: string;
  signal: AbortSignal;
  t0: number;
  startNs: string;
}

/** Options of the invoker. */
export interface InvokerOptions {
  provider: Provider;
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  /** `node` (default, the lean forwarder) or `http-proxy-3`. */
  engine?: 'node' | 'http-proxy-3';
}

/** Handles calls to functions; exposes in-flight counts and an injectable endpoint choice. */
export class Invoker {
  readonly balancer = new Balancer();
  readonly agent = new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' });
  private readonly forwarder: Forwarder;
  private readonly events = new EventEmitter();
  private readonly inFlightByFn = new Map<string, number>();
  private pickEndpoint: PickEndpoint;

  constructor(private readonly opts: InvokerOptions) {
    this.events.setMaxListeners(50);
    // http-proxy-3 is loaded only when chosen, so the default gateway does not carry it.
    if (opts.engine === 'http-proxy-3') {
      const { HttpProxy3Forwarder } = require('./forward-http-proxy-3') as typeof Hp3;
      this.forwarder = new HttpProxy3Forwarder(this.agent);
    } else {
      this.forwarder = new NodeForwarder(this.agent);
    }
    this.pickEndpoint = (name) => this.leastBusy(name);
  }

  /** The default choice: the least busy ready replica; 503 when none is ready. */
  async leastBusy(name: string): Promise<Endpoint> {
    const endpoints = await this.opts.provider.resolve(name);
    if (endpoints.length === 0) throw new UnavailableError(`no replica of ${name} is ready`, 'no_replica', 1);
    return this.balancer.pick(endpoints);
  }

  /** Replaces the endpoint choice with `wrap(current)` (scale from zero uses this). */
  wrapPick(wrap: (next: PickEndpoint) => PickEndpoint): void {
    this.pickEndpoint = wrap(this.pickEndpoint);
  }

  /** Subscribes to an invocation event. */
  on<K extends keyof InvocationEvents>(event: K, fn: (e: InvocationEvents[K]) => void): () => void {
    this.events.on(event, fn);
    return () => this.events.off(event, fn);
  }

  /** Calls in flight for `fn` right now. */
  inFlight(fn: string): number {
    return this.inFlightByFn.get(fn) ?? 0;
  }

  /** Calls in flight for every function with at least one. */
  inFlightAll(): ReadonlyMap<string, number> {
    return this.inFlightByFn;
  }

  /** Picks an endpoint for `name` through the (possibly wrapped) choice; used by the WebSocket path too. */
  pick(name: string, signal: AbortSignal): Promise<Endpoint> {
    return this.pickEndpoint(name, signal);
  }

  /** Serves one `/function/...` request on the raw Node request and response. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const parsed = parseInvokeUrl(req.url ?? '/');
    if (!parsed) return sendError(res, new NotFoundError(`no function at ${req.url}`));
    const fn = parsed.name;
    const abort = new AbortController();
    // Abort only a call the client left: aborting builds a DOMException with a stack, too dear for every call.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    this.begin(fn);
    const outcome: Outcome = { status: 0, overheadMs: 0 };
    try {
      await this.dispatch(req, res, { fn, path: parsed.path, signal: abort.signal, t0, startNs: nowNs() }, outcome);
    } catch (err) {
      const e: SkepError = toSkepError(err);
      outcome.status = e.statusCode;
      outcome.error = e.code;
      outcome.overheadMs ||= performance.now() - t0;
      sendError(res, e);
    } finally {
      this.end(fn);
      this.events.emit('completed', { fn, durationMs: performance.now() - t0, ...outcome });
    }
  }

  /** Chooses a replica and forwards to it, filling `outcome`; throws a SkepError the caller answers with. */
  private async dispatch(req: IncomingMessage, res: ServerResponse, c: CallInfo, outcome: Outcome): Promise<void> {
    const ep = await this.pickEndpoint(c.fn, c.signal);
    outcome.overheadMs = performance.now() - c.t0;
    if (c.signal.aborted) {
      outcome.status = CLIENT_GONE; // the caller left while a replica was being found (e.g. scale from zero)
      return;
    }
    const clientCallId = req.headers['x-call-id'];
    const call = { callId: typeof clientCallId === 'string' && clientCallId ? clientCallId : randomUUID(), startNs: c.startNs };
    this.balancer.acquire(ep.url);
    try {
      const opts = { timeoutMs: this.opts.upstreamTimeoutMs, maxBodyBytes: this.opts.maxBodyBytes, path: c.path, call, echoCallId: call.callId !== clientCallId };
      outcome.status = await this.forwarder.forward(req, res, ep, opts);
    } finally {
      this.balancer.release(ep.url);
    }
  }

  /** Counts a call to `fn` as started (the WebSocket path uses it as well). */
  begin(fn: string): void {
    this.inFlightByFn.set(fn, (this.inFlightByFn.get(fn) ?? 0) + 1);
    this.events.emit('started', { fn });
  }

  /** Counts a call to `fn` as finished. */
  end(fn: string): void {
    const n = (this.inFlightByFn.get(fn) ?? 1) - 1;
    if (n <= 0) this.inFlightByFn.delete(fn);
    else this.inFlightByFn.set(fn, n);
  }

  /** Emits a `completed` event (for paths that do not go through handle). */
  emitCompleted(e: InvocationEvents['completed']): void {
    this.events.emit('completed', e);
  }

  /** Drops pooled upstream connections. */
  close(): void {
    this.forwarder.close();
    this.agent.destroy();
  }
}
