/** Test helpers for the gateway: an app on the fake provider, and throwaway upstream servers on port 0. */
import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp, GatewayApp, AppDeps } from '../../gateway/src/app';
import { GatewayConfig, testConfig } from '../../gateway/src/config';
import { FakeProvider } from '../../gateway/src/providers/fake/fake-provider';

/** A gateway app on a FakeProvider. */
export function fakeGateway(config: Partial<GatewayConfig> = {}, deps: Partial<AppDeps> = {}): { app: GatewayApp; provider: FakeProvider } {
  const provider = new FakeProvider();
  const app = buildApp({ config: testConfig({ logLevel: 'silent', ...config }), provider, logger: pino({ level: 'silent' }), ...deps });
  return { app, provider };
}

/** A started HTTP server and its base URL. */
export interface Upstream {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 port 0. */
export async function upstream(handler: RequestListener<typeof IncomingMessage, typeof ServerResponse>): Promise<Upstream> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Starts the gateway app itself on port 0 (for keep-alive, WebSocket and streaming tests). */
export async function listen(app: GatewayApp): Promise<Upstream> {
  const up = await upstream(app);
  up.server.on('upgrade', app.upgrade);
  return up;
}

/** A minimal valid deployment body. */
export const deployment = (service: string, extra: Record<string, unknown> = {}) => ({ service, image: 'fake/echo:latest', ...extra });
