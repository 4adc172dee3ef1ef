/** The http-proxy-3 forwarder, kept selectable so the bench can compare it with the node:http one on the same gateway. */
import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { UnreachableError } from '../errors';
import type { Endpoint } from '../providers/provider';
import { Call, CallSink, Deadlines, ForwardOptions, Forwarder, limitUndeclaredBody, refuseDeclaredOversize } from './call';
import { stripHopByHop, upstreamRequestHeaders } from './headers';

/** Forwards calls with one http-proxy-3 server (`proxy_engine=http-proxy-3`); a call's state travels with its request. */
export class HttpProxy3Forwarder implements Forwarder {
  private readonly proxy;
  private readonly calls = new WeakMap<IncomingMessage, Call>();
  private readonly targets = new Map<string, URL>();
  private readonly deadlines = new Deadlines();

  constructor(agent: Agent) {
    this.proxy = createProxyServer({ agent, changeOrigin: true, xfwd: false, followRedirects: false });
    this.proxy.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => {
      const call = this.calls.get(req);
      if (call) call.upstream = proxyReq;
    });
    this.proxy.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
      const call = this.calls.get(req);
      if (!call) return;
      stripHopByHop(proxyRes.headers);
      if (call.opts.echoCallId && proxyRes.headers['x-call-id'] === undefined) res.setHeader('X-Call-Id', call.opts.call.callId);
      res.setHeader('X-Start-Time', call.opts.call.startNs);
      const cut = () => call.fail(new UnreachableError('the function closed the connection mid-answer'));
      proxyRes.on('error', cut);
      proxyRes.on('aborted', cut);
    });
    // Errors reach each call's callback; this listener only keeps an unhandled one from throwing.
    this.proxy.on('error', () => undefined);
  }

  private target(url: string): URL {
    let t = this.targets.get(url);
    if (!t) {
      if (this.targets.size > 10_000) this.targets.clear();
      t = new URL(url);
      this.targets.set(url, t);
    }
    return t;
  }

  /** Forwards `req` to `ep` and pipes the answer to `res`; a SkepError (502, 504, 413) goes to the sink only while nothing was written. */
  forward(req: IncomingMessage, res: ServerResponse, ep: Endpoint, opts: ForwardOptions, sink: CallSink): Call | null {
    if (refuseDeclaredOversize(req, opts, sink)) return null;
    const call = new Call(opts, res, sink, false, this.deadlines);
    this.calls.set(req, call);
    limitUndeclaredBody(req, call);
    req.headers = upstreamRequestHeaders(req, opts.call) as IncomingHttpHeaders;
    req.url = opts.path;
    this.proxy.web(req, res, { target: this.target(ep.url) }, (err: NodeJS.ErrnoException) => {
      call.fail(new UnreachableError(`cannot reach the function: ${err.code ?? err.message}`));
    });
    return call;
  }

  /** Stops the proxy server's listeners. */
  close(): void {
    this.proxy.removeAllListeners();
  }
}
