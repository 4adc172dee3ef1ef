/** A small client for the gateway published by the stack (`http://127.0.0.1:8080`), for the Swarm end-to-end suite. */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';

export const GATEWAY = process.env.SKEP_GATEWAY_URL ?? 'http://127.0.0.1:8080';

/** The admin password swarm:up stored (or SKEP_PASSWORD). */
export function password(): string {
  if (process.env.SKEP_PASSWORD) return process.env.SKEP_PASSWORD;
  const root = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../..' : '../..');
  const file = resolve(root, '.skep/swarm/basic-auth-password');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

const auth = () => `Basic ${Buffer.from(`admin:${password()}`).toString('base64')}`;

/** Calls a `/system/*` route with basic auth and a JSON body; returns status and text. */
export async function api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${GATEWAY}${path}`, {
    method,
    headers: { authorization: auth(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, text: await res.text() };
}

/** Invokes `/function/<name>` over `agent` (keep-alive when the caller passes one). */
export function invoke(name: string, body = '', agent?: http.Agent, query = ''): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = http.request(`${GATEWAY}/function/${name}${query}`, { method: 'POST', agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(body);
  });
}

/** Polls `check` every `pollMs` until it returns a value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 90_000, pollMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
}

/** True once the gateway answers /healthz. */
export async function gatewayUp(): Promise<boolean> {
  return fetch(`${GATEWAY}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
}
