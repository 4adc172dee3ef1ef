/** Header rules of the forwarding proxy: hop-by-hop headers dropped both ways, call headers added. */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus `host`, which is set for the upstream. */
const HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  if (!value) return null;
  // The usual values list no header: skip the split and the Set.
  if (typeof value === 'string' && (value.length === 10 || value.length === 5) && /^(keep-alive|close)$/i.test(value)) return null;
  const list = (Array.isArray(value) ? value.join(',') : value).toLowerCase().split(',').map((s) => s.trim());
  const set = new Set(list.filter((t) => t && t !== 'close' && t !== 'keep-alive'));
  return set.size ? set : null;
}

/** Values the gateway adds to a call. */
export interface CallHeaders {
  callId: string;
  startNs: string;
}

/** Builds the upstream request headers: client headers minus hop-by-hop, plus X-Call-Id, X-Start-Time, X-Forwarded-*. */
export function upstreamRequestHeaders(req: IncomingMessage, call: CallHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const listed = connectionTokens(req.headers.connection);
  for (const key in req.headers) {
    if (HOP.has(key) || listed?.has(key)) continue;
    out[key] = req.headers[key];
  }
  if (!out['x-call-id']) out['x-call-id'] = call.callId;
  out['x-start-time'] = call.startNs;
  if (!out['x-forwarded-for'] && req.socket.remoteAddress) out['x-forwarded-for'] = req.socket.remoteAddress;
  if (!out['x-forwarded-host'] && req.headers.host) out['x-forwarded-host'] = req.headers.host;
  return out;
}

/**
 * The same rules as upstreamRequestHeaders, as a flat `[name, value, …]` list built from the client's raw headers
 * (their case and repeats kept), with `Host` set to `host`: http.request then writes it as is, with no per-header map.
 */
export function upstreamRequestHeaderList(req: IncomingMessage, call: CallHeaders, host: string): string[] {
  const raw = req.rawHeaders;
  const out: string[] = ['Host', host];
  let connection: string | undefined;
  let clientHost: string | undefined;
  let hasFor = false;
  let hasHost = false;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 10 && raw[i].toLowerCase() === 'connection') connection = connection === undefined ? raw[i + 1] : `${connection},${raw[i + 1]}`;
  const listed = connectionTokens(connection);
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (key === 'host') clientHost ??= value;
    if (HOP.has(key) || key === 'x-call-id' || key === 'x-start-time' || listed?.has(key)) continue;
    if (key === 'x-forwarded-for') {
      if (!value) continue;
      hasFor = true;
    } else if (key === 'x-forwarded-host') {
      if (!value) continue;
      hasHost = true;
    }
    out.push(raw[i], value);
  }
  out.push('X-Call-Id', call.callId, 'X-Start-Time', call.startNs);
  if (!hasFor && req.socket.remoteAddress) out.push('X-Forwarded-For', req.socket.remoteAddress);
  if (!hasHost && clientHost) out.push('X-Forwarded-Host', clientHost);
  return out;
}

/** Filters the function's raw response headers (case and repeats kept) and appends the gateway's call headers. */
export function clientResponseHeaders(raw: string[], call: CallHeaders, echoCallId: boolean): string[] {
  const out: string[] = [];
  let hasCallId = false;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i].toLowerCase();
    if (HOP.has(key)) continue;
    if (key === 'x-call-id') hasCallId = true;
    out.push(raw[i], raw[i + 1]);
  }
  if (echoCallId && !hasCallId) out.push('X-Call-Id', call.callId);
  out.push('X-Start-Time', call.startNs);
  return out;
}

/** Removes hop-by-hop headers from a function's response headers (http-proxy-3 then copies the rest). */
export function stripHopByHop(headers: IncomingHttpHeaders): void {
  const listed = connectionTokens(headers.connection);
  for (const key of Object.keys(headers)) if ((HOP.has(key) && key !== 'host') || listed?.has(key)) delete headers[key];
}

/** Unix time in nanoseconds as a decimal string, as OpenFaaS's X-Start-Time. */
export function nowNs(): string {
  // Same digits as BigInt(Date.now()) * 1_000_000n, without a BigInt per call.
  return `${Date.now()}000000`;
}
