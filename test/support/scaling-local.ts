/** A gateway with the scaling extension on the local provider (real watchdog replicas), for scaling tests and benches. */
import { Agent, request as httpRequest } from 'node:http';
import pino from 'pino';
import { buildApp, GatewayApp } from '../../gateway/src/app';
import { GatewayConfig, testConfig } from '../../gateway/src/config';
import type { Credentials } from '../../gateway/src/http/basic-auth';
import type { LocalProvider } from '../../gateway/src/providers/local/local-provider';
import { scalingExtension, ScalingExtension } from '../../gateway/src/scaling/extension';
import { listen } from './gateway-harness';
import { localProvider } from './local-harness';

/** The test image of test/support/local-harness.ts's catalog. */
export const PID_IMAGE = 'test/pid:latest';

/** A listening gateway with scaling, and how to stop it. */
export interface ScalingGateway {
  provider: LocalProvider;
  app: GatewayApp;
  ext: ScalingExtension;
  url: string;
  close(): Promise<void>;
}

/** Starts the gateway on 127.0.0.1 port 0 with the test catalog (`test/pid:latest`). */
export async function scalingGateway(over: Partial<GatewayConfig> = {}, credentials?: Credentials, given?: LocalProvider): Promise<ScalingGateway> {
  const provider = given ?? (await localProvider());
  const config = testConfig({ logLevel: 'silent', ...over });
  const ext = scalingExtension(config);
  const app = buildApp({ config, provider, logger: pino({ level: 'silent' }), extensions: [ext], credentials });
  const up = await listen(app);
  return {
    provider, app, ext, url: up.url,
    close: async () => {
      await up.close();
      await app.close();
      await provider.close();
    },
  };
}

/** One HTTP call's outcome. */
export interface CallResult {
  status: number;
  body: string;
  ms: number;
}

/** Sends one request and reads the whole answer (status 0 when the connection failed); a body is sent as JSON with its length (Node sends a DELETE body unframed otherwise). */
export function call(url: string, opts: { method?: string; body?: string; agent?: Agent; auth?: string } = {}): Promise<CallResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', agent: opts.agent, auth: opts.auth, headers: opts.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - t0 }));
      res.on('error', () => resolve({ status: 0, body, ms: performance.now() - t0 }));
    });
    req.on('error', (e) => resolve({ status: 0, body: e.message, ms: performance.now() - t0 }));
    req.end(opts.body);
  });
}

/** Fires `n` concurrent requests at `url` and returns every outcome. */
export async function burst(url: string, n: number): Promise<CallResult[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  try {
    return await Promise.all(Array.from({ length: n }, () => call(url, { agent })));
  } finally {
    agent.destroy();
  }
}

/** Deploys `test/pid:latest` (answers its pid, sleeps on `?sleep=ms`) as `name` with `labels` through the gateway API. */
export async function deployPid(gw: ScalingGateway, name: string, labels: Record<string, string>, auth?: string): Promise<void> {
  const r = await call(`${gw.url}/system/functions`, { method: 'POST', auth, body: JSON.stringify({ service: name, image: PID_IMAGE, labels }) });
  if (r.status !== 202) throw new Error(`deploy ${name} failed: ${r.status} ${r.body}`);
}

/** Polls `check` every `pollMs` until it is truthy or `timeoutMs` passes; returns its last value. */
export async function until<T>(check: () => Promise<T> | T, timeoutMs: number, pollMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await check();
  while (!last && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pollMs));
    last = await check();
  }
  return last;
}
