/** The default forwarder: a lean node:http pipe to one replica over pooled keep-alive connections; no redirects followed. */
import { Agent, IncomingMessage, OutgoingHttpHeaders, ServerResponse, request } from 'node:http';
import { PayloadTooLargeError, UnreachableError } from '../errors';
import type { Endpoint } from '../providers/provider';
import { Call, ForwardOptions, Forwarder, limitChunked } from './call';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';

/** Forwards with `http.request` on one keep-alive agent (its pools are per host:port, so per replica). */
export class NodeForwarder implements Forwarder {
  private readonly targets = new Map<string, { hostname: string; port: number }>();

  constructor(private readonly agent: Agent) {}

  private target(url: string): { hostname: string; port: number } {
    let t = this.targets.get(url);
    if (!t) {
      const u = new URL(url);
      t = { hostname: u.hostname, port: Number(u.port) || 80 };
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(url, t);
    }
    return t;
  }

  forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, opts: ForwardOptions): Promise<number> {
    return new Promise((resolve, reject) => {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > opts.maxBodyBytes) return reject(new PayloadTooLargeError(opts.maxBodyBytes));
      const { hostname, port } = this.target(ep.url);
      const up = request({ hostname, port, method: req.method, path: opts.path, headers: upstreamRequestHeaders(req, opts.call), agent: this.agent });
      const call = new Call(opts, res, resolve, reject);
      call.upstream = up;
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

  close(): void {
    this.targets.clear();
  }
}
