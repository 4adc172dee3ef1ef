/** The CGI-style environment the classic watchdog gives each forked process (`Http_Method`, `Http_X_Call_Id`, ...). */
import type { IncomingMessage } from 'node:http';

/** `x-call-id` → `X_Call_Id`, the way Go canonicalises header names before OpenFaaS swaps `-` for `_`. */
export function canonicalHeaderEnvName(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())
    .join('_');
}

/** Returns base plus one `Http_*` variable per request header and the request line's method, path and query. */
export function cgiEnv(req: IncomingMessage, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const h = req.headers;
  for (const name in h) {
    const v = h[name];
    if (v !== undefined) env[`Http_${canonicalHeaderEnvName(name)}`] = Array.isArray(v) ? v[0] : v;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  env.Http_Method = req.method;
  if (path) env.Http_Path = path;
  if (query) env.Http_Query = query;
  if (h['content-type']) env.Http_ContentType = h['content-type'];
  if (h['content-length']) env.Http_ContentLength = h['content-length'];
  return env;
}
