/** A small buffered HTTP client for the worker: keep-alive agents, a deadline, an abort signal. */
import http from 'node:http';
import https from 'node:https';

/** A whole response, body included. */
export interface BufferedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Options of one request. */
export interface RequestOptions {
  method: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Headers that describe one hop, never copied from a stored request or a function's answer. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'content-length']);

/** Keep-alive agents shared by every call the worker makes. */
export class HttpClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  /** Sends one request and buffers the answer; rejects on connection errors, the deadline, or an abort. */
  request(url: string, opts: RequestOptions): Promise<BufferedResponse> {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const agent = u.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    const headers = { ...opts.headers, 'content-length': String(opts.body?.length ?? 0) };
    return new Promise((resolve, reject) => {
      const req = mod.request(u, { method: opts.method, headers, agent, signal: opts.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Copies a function's response headers for the callback, leaving out the per-hop ones. */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** Reads `Retry-After` as seconds (only the number form; a date is ignored). */
export function retryAfterSeconds(headers: http.IncomingHttpHeaders): number | undefined {
  const raw = headers['retry-after'];
  return typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}
