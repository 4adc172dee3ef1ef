/** What every forwarder shares: the options of a call, the Call that settles once, and the body limit for chunked bodies. */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { PayloadTooLargeError, SkepError, TimeoutError } from '../errors';
import type { Endpoint } from '../providers/provider';
import type { CallHeaders } from './headers';

/** How a call is forwarded. */
export interface ForwardOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  /** The sub-path after `/function/<name>`, with its query string (`/` at least). */
  path: string;
  call: CallHeaders;
  /** Whether the gateway generated X-Call-Id (then it is echoed to the client). */
  echoCallId: boolean;
}

/** Where a Call reports its end: `done` once the answer went out or the client left, `failed` while nothing was written. */
export interface CallSink {
  done(status: number): void;
  failed(err: SkepError): void;
}

/**
 * The upstream deadlines of the calls in flight, kept in one list (ordered by deadline) under one timer: a Timeout
 * per call showed in the per-call CPU. A call past its deadline fails with a TimeoutError, as its own timer did.
 */
export class Deadlines {
  private head: Call | null = null;
  private tail: Call | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly fire = (): void => this.expire();

  /** Adds `c`, due at `at` (performance.now() time). */
  add(c: Call, at: number): void {
    c.deadline = at;
    let after = this.tail;
    while (after !== null && after.deadline > at) after = after.prev;
    c.prev = after;
    c.next = after ? after.next : this.head;
    if (c.next) c.next.prev = c;
    else this.tail = c;
    if (after) after.next = c;
    else this.head = c;
    if (this.timer === null || this.head === c) this.arm(at);
  }

  /** Removes `c` (a no-op when it is not listed); the timer stops with the last call. */
  remove(c: Call): void {
    if (c.deadline < 0) return;
    c.deadline = -1;
    if (c.prev) c.prev.next = c.next;
    else this.head = c.next;
    if (c.next) c.next.prev = c.prev;
    else this.tail = c.prev;
    c.prev = c.next = null;
    if (this.head === null && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private arm(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - performance.now())));
  }

  private expire(): void {
    this.timer = null;
    // Node may run a timer up to a millisecond before performance.now() shows the full delay.
    const now = performance.now() + 1;
    while (this.head !== null && this.head.deadline <= now) this.head.expired();
    if (this.head !== null && this.timer === null) this.arm(this.head.deadline);
  }
}

/** One call in flight: settles once, whether the answer completed, the client left, or the upstream failed. */
export class Call {
  /** The upstream request, destroyed when the call fails. */
  upstream: ClientRequest | null = null;
  private settled = false;
  private failure: SkepError | null = null;
  /** When the call times out (performance.now() time); -1 once it is off the Deadlines list. */
  deadline = -1;
  prev: Call | null = null;
  next: Call | null = null;

  constructor(readonly opts: ForwardOptions, private readonly res: ServerResponse, private readonly sink: CallSink, private readonly destroyOnClose: boolean, private readonly deadlines: Deadlines) {
    deadlines.add(this, performance.now() + opts.timeoutMs);
  }

  /** The deadline passed (Deadlines calls this). */
  expired(): void {
    this.deadlines.remove(this);
    this.fail(new TimeoutError(`function did not answer within upstream_timeout (${this.opts.timeoutMs} ms)`));
  }

  /** The client's response closed (answered, or the client left): the caller's one `close` listener calls this. */
  closed(): void {
    if (this.destroyOnClose && !this.res.writableFinished) this.upstream?.destroy();
    this.finish(this.res.statusCode);
  }

  /** The answer went out (or the client left): report the status the client got. */
  finish(status: number): void {
    if (this.settled) return;
    this.settled = true;
    this.deadlines.remove(this);
    this.sink.done(status);
  }

  /** The upstream failed: answer with the error if nothing was written yet, else cut the response. */
  fail(err: SkepError): void {
    this.failure ??= err;
    this.upstream?.destroy();
    if (this.settled) return;
    if (this.res.headersSent) {
      this.res.destroy();
      return this.finish(this.res.statusCode);
    }
    this.settled = true;
    this.deadlines.remove(this);
    this.sink.failed(this.failure);
  }
}

/** Sends one call to one endpoint and pipes the answer back (node:http or http-proxy-3). */
export interface Forwarder {
  /**
   * Starts forwarding; `sink.done` gets the status the client got, `sink.failed` a SkepError while nothing was written.
   * Returns the Call (null when refused at once), whose `closed()` the caller invokes when `res` closes.
   */
  forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, opts: ForwardOptions, sink: CallSink): Call | null;
  /** Drops listeners and state. */
  close(): void;
}

/** Counts a body without Content-Length and calls `over` once it passes `max`. */
function limitChunked(req: IncomingMessage, max: number, over: () => void): void {
  if (req.headers['transfer-encoding'] === undefined) return;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) over();
  });
}

/** Answers 413 through the sink, before anything is forwarded, when the declared Content-Length is over the limit. */
export function refuseDeclaredOversize(req: IncomingMessage, opts: ForwardOptions, sink: CallSink): boolean {
  if (Number(req.headers['content-length'] ?? 0) <= opts.maxBodyBytes) return false;
  sink.failed(new PayloadTooLargeError(opts.maxBodyBytes));
  return true;
}

/** Fails `call` with 413 once a body that declared no length grows past the limit. */
export function limitUndeclaredBody(req: IncomingMessage, call: Call): void {
  const max = call.opts.maxBodyBytes;
  if (!req.headers['content-length']) limitChunked(req, max, () => call.fail(new PayloadTooLargeError(max)));
}
