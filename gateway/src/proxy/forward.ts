/** Streams one call to one replica over a pooled keep-alive connection; no redirects followed, nothing buffered. */
import { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders, ServerResponse, request } from 'node:http';
import { PayloadTooLargeError, SkepError, TimeoutError, UnreachableError } from '../errors';
import type { Endpoint } from '../providers/provider';
import { CallHeaders, clientResponseHeaders, upstreamRequestHeaders } from './headers';

/** How a call is forwarded. */
export interface ForwardOptions {
  agent: Agent;
  timeoutMs: number;
  maxBodyBytes: number;
  /** The sub-path after `/function/<name>`, with its query string (`/` at least). */
  path: string;
  call: CallHeaders;
  /** Whether the gateway generated X-Call-Id (then it is echoed to the client). */
  echoCallId: boolean;
}

const targets = new Map<string, { hostname: string; port: number }>();

function target(url: string): { hostname: string; port: number } {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    t = { hostname: u.hostname, port: Number(u.port) || 80 };
    if (targets.size > 10_000) targets.clear();
    targets.set(url, t);
  }
  return t;
}

/** One call in flight: settles once, whether the answer completed, the client left, or the upstream failed. */
class Call {
  private settled = false;
  private failure: SkepError | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly up: ClientRequest,
    private readonly res: ServerResponse,
    timeoutMs: number,
    private readonly done: (status: number) => void,
    private readonly failed: (err: SkepError) => void,
  ) {
    this.timer = setTimeout(() => this.fail(new TimeoutError(`function did not answer within upstream_timeout (${timeoutMs} ms)`)), timeoutMs);
  }

  /** The answer went out (or the client left): report the status the client got. */
  finish(status: number): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.done(status);
  }

  /** The upstream failed: answer with the error if nothing was written yet, else cut the response. */
  fail(err: SkepError): void {
    this.failure ??= err;
    this.up.destroy();
    if (this.settled) return;
    if (this.res.headersSent) {
      this.res.destroy();
      return this.finish(this.res.statusCode);
    }
    this.settled = true;
    clearTimeout(this.timer);
    this.failed(this.failure);
  }
}

/**
 * Forwards `req` to `ep` and pipes the answer to `res`; resolves with the status the client got.
 * Rejects with a SkepError (502, 504, 413) only while nothing has been written, so the caller can answer with it.
 */
export function forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, opts: ForwardOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > opts.maxBodyBytes) return reject(new PayloadTooLargeError(opts.maxBodyBytes));
    const { hostname, port } = target(ep.url);
    const headers = upstreamRequestHeaders(req, opts.call);
    const up = request({ hostname, port, method: req.method, path: opts.path, headers, agent: opts.agent });
    const call = new Call(up, res, opts.timeoutMs, resolve, reject);
    const cut = () => call.fail(new UnreachableError('the function closed the connection mid-answer'));
    up.on('error', (err: NodeJS.ErrnoException) => call.fail(new UnreachableError(`cannot reach the function: ${err.code ?? err.message}`)));
    up.on('response', (upRes: IncomingMessage) => {
      const raw = clientResponseHeaders(upRes.rawHeaders, opts.call, opts.echoCallId);
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, raw as unknown as OutgoingHttpHeaders);
      upRes.on('error', cut);
      upRes.on('aborted', cut);
      upRes.pipe(res);
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
      call.finish(res.statusCode);
    });
    if (!req.headers['content-length']) limitChunked(req, opts.maxBodyBytes, () => call.fail(new PayloadTooLargeError(opts.maxBodyBytes)));
    req.pipe(up);
  });
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
