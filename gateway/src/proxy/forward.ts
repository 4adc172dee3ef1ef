/** Streams one call to one replica over a pooled keep-alive connection; no redirects followed, nothing buffered. */
import { Agent, IncomingMessage, ServerResponse, request } from 'node:http';
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
    let failure: SkepError | null = null;
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(status);
    };
    const fail = (err: SkepError) => {
      failure ??= err;
      up.destroy();
      if (settled) return;
      if (res.headersSent) {
        res.destroy();
        return finish(res.statusCode);
      }
      settled = true;
      clearTimeout(timer);
      reject(failure);
    };
    const timer = setTimeout(() => fail(new TimeoutError(`function did not answer within upstream_timeout (${opts.timeoutMs} ms)`)), opts.timeoutMs);
    up.on('error', (err: NodeJS.ErrnoException) => fail(failure ?? new UnreachableError(`cannot reach the function: ${err.code ?? err.message}`)));
    up.on('response', (upRes: IncomingMessage) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, clientResponseHeaders(upRes.rawHeaders, opts.call, opts.echoCallId) as unknown as Record<string, string>);
      upRes.on('error', () => fail(new UnreachableError('the function closed the connection mid-answer')));
      upRes.on('aborted', () => fail(new UnreachableError('the function closed the connection mid-answer')));
      upRes.pipe(res);
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
      finish(res.statusCode);
    });
    if (!req.headers['content-length']) limitChunked(req, opts.maxBodyBytes, () => fail(new PayloadTooLargeError(opts.maxBodyBytes)));
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
