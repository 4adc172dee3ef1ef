/** The default forwarder: a lean node:http pipe to one replica over pooled keep-alive connections; no redirects followed. */
import { Agent, IncomingMessage, OutgoingHttpHeaders, RequestOptions, ServerResponse, request } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { UnreachableError } from '../errors';
import type { Endpoint } from '../providers/provider';
import { Call, CallSink, Deadlines, ForwardOptions, Forwarder, limitUndeclaredBody, refuseDeclaredOversize } from './call';
import { clientResponseHeaders, upstreamRequestHeaderList } from './headers';

/** Where a replica listens, and the Host header http.request would have written for it. */
interface Target {
  hostname: string;
  port: number;
  host: string;
}

/**
 * Pipes `src` into `dest` with the two listeners a proxied body needs (data with backpressure, end): pipe() adds
 * and later removes about eight listeners on both streams, which showed in the per-call CPU. Failures are the
 * Call's business: it destroys the upstream side, which ends both directions.
 */
function pump(src: Readable, dest: Writable): void {
  src.on('data', (chunk: Buffer) => {
    if (!dest.write(chunk)) {
      src.pause();
      dest.once('drain', () => src.resume());
    }
  });
  if (src.readableEnded) dest.end();
  else src.once('end', () => dest.end());
}

function hostHeader(hostname: string, port: number): string {
  // As http.request does: IPv6 literals in brackets, the port unless it is 80.
  const h = hostname.indexOf(':') !== hostname.lastIndexOf(':') && hostname[0] !== '[' ? `[${hostname}]` : hostname;
  return port === 80 ? h : `${h}:${port}`;
}

/** Forwards with `http.request` on one keep-alive agent (its pools are per host:port, so per replica). */
export class NodeForwarder implements Forwarder {
  private readonly targets = new Map<string, Target>();
  private readonly deadlines = new Deadlines();

  constructor(private readonly agent: Agent) {}

  private target(url: string): Target {
    let t = this.targets.get(url);
    if (!t) {
      const u = new URL(url);
      const port = Number(u.port) || 80;
      t = { hostname: u.hostname, port, host: hostHeader(u.hostname, port) };
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(url, t);
    }
    return t;
  }

  forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, opts: ForwardOptions, sink: CallSink): Call | null {
    if (refuseDeclaredOversize(req, opts, sink)) return null;
    const t = this.target(ep.url);
    // A flat header list: http.request writes it as is, skipping its per-header setHeader map.
    const headers = upstreamRequestHeaderList(req, opts.call, t.host) as unknown as RequestOptions['headers'];
    const up = request({ hostname: t.hostname, port: t.port, method: req.method, path: opts.path, headers, agent: this.agent });
    const call = new Call(opts, res, sink, true, this.deadlines);
    call.upstream = up;
    up.on('error', (err: NodeJS.ErrnoException) => call.fail(new UnreachableError(`cannot reach the function: ${err.code ?? err.message}`)));
    up.on('response', (upRes: IncomingMessage) => {
      const raw = clientResponseHeaders(upRes.rawHeaders, opts.call, opts.echoCallId);
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, raw as unknown as OutgoingHttpHeaders);
      const cut = () => call.fail(new UnreachableError('the function closed the connection mid-answer'));
      upRes.on('error', cut);
      upRes.on('aborted', cut);
      pump(upRes, res);
    });
    limitUndeclaredBody(req, call);
    pump(req, up);
    return call;
  }

  close(): void {
    this.targets.clear();
  }
}
