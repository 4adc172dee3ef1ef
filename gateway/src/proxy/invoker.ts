/** The invocation pipeline behind `/function/<name>[/path]`: pick a ready replica, forward, report events. */
import { getEventListeners } from 'node:events';
import { Agent, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NotFoundError, SkepError, UnavailableError } from '../errors';
import { sendError, toSkepError } from '../http/error-handler';
import type { Endpoint, Provider } from '../providers/provider';
import { Balancer } from './balancer';
import type { Call, CallSink, ForwardOptions, Forwarder } from './call';
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
  // Plain listener lists (replaced, never mutated, so an emit runs over a stable snapshot): cheaper than an EventEmitter per call.
  private readonly listeners: { [K in keyof InvocationEvents]: ((e: InvocationEvents[K]) => void)[] } = { started: [], completed: [] };
  /** Never-aborted controllers whose signals have no listener left, reused so a call does not build an AbortSignal. */
  private readonly controllers: AbortController[] = [];
  private readonly inFlightByFn = new Map<string, number>();
  private pickEndpoint: PickEndpoint;

  constructor(private readonly opts: InvokerOptions) {
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
    this.listeners[event] = [...this.listeners[event], fn] as never;
    return () => {
      this.listeners[event] = (this.listeners[event] as unknown[]).filter((f) => f !== fn) as never;
    };
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
  handle(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    const parsed = parseInvokeUrl(req.url ?? '/');
    if (!parsed) return sendError(res, new NotFoundError(`no function at ${req.url}`));
    const inv = new Invocation(this, req, res, parsed.name, parsed.path, t0, this.controllers.pop() ?? new AbortController());
    // One listener for the whole call: it aborts the endpoint choice, or tells the forwarded call.
    res.on('close', () => inv.closed());
    this.begin(inv.fn);
    let ep: Promise<Endpoint>;
    try {
      ep = this.pickEndpoint(inv.fn, inv.controller!.signal);
    } catch (err) {
      return inv.failed(toSkepError(err));
    }
    ep.then((e) => inv.picked(e), (err: unknown) => inv.failed(toSkepError(err)));
  }

  /** Forwards a call whose endpoint was chosen (Invocation calls it). */
  forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, path: string, startNs: string, sink: CallSink): Call | null {
    const clientCallId = req.headers['x-call-id'];
    const callId = typeof clientCallId === 'string' && clientCallId ? clientCallId : randomUUID();
    const opts: ForwardOptions = { timeoutMs: this.opts.upstreamTimeoutMs, maxBodyBytes: this.opts.maxBodyBytes, path, call: { callId, startNs }, echoCallId: callId !== clientCallId };
    return this.forwarder.forward(req, res, ep, opts, sink);
  }

  /** Takes back a controller whose signal was not aborted and has no listener left, so no one can observe its reuse. */
  recycle(c: AbortController): void {
    if (c.signal.aborted || this.controllers.length >= 256 || getEventListeners(c.signal, 'abort').length > 0) return;
    this.controllers.push(c);
  }

  /** Counts a call to `fn` as started (the WebSocket path uses it as well). */
  begin(fn: string): void {
    this.inFlightByFn.set(fn, (this.inFlightByFn.get(fn) ?? 0) + 1);
    const list = this.listeners.started;
    if (list.length === 0) return;
    const e = { fn };
    for (let i = 0; i < list.length; i++) list[i](e);
  }

  /** Counts a call to `fn` as finished. */
  end(fn: string): void {
    const n = (this.inFlightByFn.get(fn) ?? 1) - 1;
    if (n <= 0) this.inFlightByFn.delete(fn);
    else this.inFlightByFn.set(fn, n);
  }

  /** Emits a `completed` event (for paths that do not go through handle). */
  emitCompleted(e: InvocationEvents['completed']): void {
    const list = this.listeners.completed;
    for (let i = 0; i < list.length; i++) list[i](e);
  }

  /** Drops pooled upstream connections. */
  close(): void {
    this.forwarder.close();
    this.agent.destroy();
  }
}

/** One call through handle(): endpoint choice, forward, then `completed` exactly once. */
class Invocation implements CallSink {
  /** Set while the endpoint is being chosen; a client leaving then aborts it. */
  controller: AbortController | null;
  private call: Call | null = null;
  private ep: Endpoint | null = null;
  private overheadMs = 0;
  private over = false;
  private readonly startNs = nowNs();

  constructor(private readonly invoker: Invoker, private readonly req: IncomingMessage, private readonly res: ServerResponse, readonly fn: string, private readonly path: string, private readonly t0: number, controller: AbortController) {
    this.controller = controller;
  }

  /** The response closed: abort a pending endpoint choice (only if the client left), else tell the call. */
  closed(): void {
    if (this.call) this.call.closed();
    // Abort only a call the client left: aborting builds a DOMException with a stack, too dear for every call.
    else if (this.controller && !this.res.writableFinished) this.controller.abort();
  }

  picked(ep: Endpoint): void {
    const controller = this.controller!;
    this.controller = null;
    this.overheadMs = performance.now() - this.t0;
    if (controller.signal.aborted) return this.complete(CLIENT_GONE); // the caller left while a replica was being found (e.g. scale from zero)
    this.invoker.recycle(controller);
    this.ep = ep;
    this.invoker.balancer.acquire(ep.url);
    try {
      this.call = this.invoker.forward(this.req, this.res, ep, this.path, this.startNs, this);
    } catch (err) {
      this.failed(toSkepError(err));
    }
  }

  done(status: number): void {
    this.release();
    this.complete(status);
  }

  failed(e: SkepError): void {
    if (this.over) return;
    this.release();
    this.overheadMs ||= performance.now() - this.t0;
    sendError(this.res, e);
    this.complete(e.statusCode, e.code);
  }

  private release(): void {
    if (this.ep) this.invoker.balancer.release(this.ep.url);
    this.ep = null;
  }

  private complete(status: number, error?: string): void {
    if (this.over) return;
    this.over = true;
    this.invoker.end(this.fn);
    const durationMs = performance.now() - this.t0;
    this.invoker.emitCompleted(error === undefined ? { fn: this.fn, durationMs, status, overheadMs: this.overheadMs } : { fn: this.fn, durationMs, status, overheadMs: this.overheadMs, error });
  }
}
