/** WebSocket (and any HTTP Upgrade) pass-through for `/function/<name>`: the two sockets are spliced once upgraded. */
import { IncomingMessage, request } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { toSkepError } from '../http/error-handler';
import { nowNs, upstreamRequestHeaders } from './headers';
import { parseInvokeUrl } from './invoke-url';
import type { Invoker } from './invoker';

function rawError(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  socket.end(`HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nX-Skep-Internal: gateway\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function head(status: number, message: string, raw: string[]): string {
  let text = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i < raw.length; i += 2) text += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return `${text}\r\n`;
}

/** Returns the server `upgrade` listener that forwards upgrades on `/function/*` through `invoker`'s endpoint choice. */
export function upgradeHandler(invoker: Invoker): (req: IncomingMessage, socket: Duplex, headBuf: Buffer) => void {
  return (req, socket, headBuf) => {
    socket.on('error', () => socket.destroy());
    const target = parseInvokeUrl(req.url ?? '');
    if (!target) return rawError(socket, 404, 'not_found', `no function at ${req.url}`);
    const abort = new AbortController();
    socket.once('close', () => abort.abort());
    const t0 = performance.now();
    invoker.begin(target.name);
    const done = (status: number, error?: string) => {
      invoker.end(target.name);
      invoker.emitCompleted({ fn: target.name, status, durationMs: performance.now() - t0, overheadMs: 0, error });
    };
    invoker.pick(target.name, abort.signal).then((ep) => {
      const u = new URL(ep.url);
      const headers = upstreamRequestHeaders(req, { callId: String(req.headers['x-call-id'] ?? randomUUID()), startNs: nowNs() });
      headers.connection = 'Upgrade';
      headers.upgrade = req.headers.upgrade;
      const up = request({ hostname: u.hostname, port: u.port, path: target.path, method: req.method, headers });
      up.on('upgrade', (upRes, upSocket, upHead) => {
        socket.write(head(101, upRes.statusMessage ?? 'Switching Protocols', upRes.rawHeaders));
        if (upHead.length) socket.write(upHead);
        if (headBuf.length) upSocket.write(headBuf);
        upSocket.on('error', () => socket.destroy());
        socket.once('close', () => { upSocket.destroy(); done(101); });
        upSocket.pipe(socket).pipe(upSocket);
      });
      up.on('response', (upRes) => {
        socket.write(head(upRes.statusCode ?? 502, upRes.statusMessage ?? '', upRes.rawHeaders));
        upRes.pipe(socket);
        done(upRes.statusCode ?? 502);
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        rawError(socket, 502, 'function_unreachable', `cannot reach the function: ${err.code ?? err.message}`);
        done(502, 'function_unreachable');
      });
      up.end();
    }, (err: unknown) => {
      const e = toSkepError(err);
      rawError(socket, e.statusCode, e.code, e.message);
      done(e.statusCode, e.code);
    });
  };
}
