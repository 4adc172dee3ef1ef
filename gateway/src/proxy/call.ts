/** What every forwarder shares: the options of a call, the Call that settles once, and the body limit for chunked bodies. */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { SkepError, TimeoutError } from '../errors';
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

/** One call in flight: settles once, whether the answer completed, the client left, or the upstream failed. */
export class Call {
  /** The upstream request, destroyed when the call fails. */
  upstream: ClientRequest | null = null;
  private settled = false;
  private failure: SkepError | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly opts: ForwardOptions, private readonly res: ServerResponse, private readonly sink: CallSink, private readonly destroyOnClose: boolean) {
    this.timer = setTimeout(() => this.fail(new TimeoutError(`function did not answer within upstream_timeout (${opts.timeoutMs} ms)`)), opts.timeoutMs);
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
    clearTimeout(this.timer);
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
    clearTimeout(this.timer);
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
export function limitChunked(req: IncomingMessage, max: number, over: () => void): void {
  if (req.headers['transfer-encoding'] === undefined) return;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) over();
  });
}
