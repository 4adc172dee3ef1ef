/** Composition root: loadConfig → provider → buildApp → listen; SIGTERM/SIGINT close the server and the provider. */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { Logger } from 'pino';
import { buildApp, GatewayApp, GatewayExtension } from './app';
import { GatewayConfig, loadConfig } from './config';
import { createProvider } from './providers';
import type { Provider } from './providers/provider';
import { deployStack } from './providers/local/deploy-stack';
import { asyncExtension } from './async/extension';
import { consoleExtension } from '../ui/console';
import { scalingExtension } from './scaling/extension';

/** A running gateway. */
export interface RunningGateway {
  server: Server;
  app: GatewayApp;
  provider: Provider;
  url: string;
  /** Stops accepting, ends open connections, closes extensions and the provider (every replica). */
  close(): Promise<void>;
}

/** Extensions main plugs in (scaling, async, console add theirs here). */
export function extensions(config: Readonly<GatewayConfig>, provider: Provider, logger: Logger): GatewayExtension[] {
  return [scalingExtension(config), consoleExtension(), ...(config.asyncEnabled ? [asyncExtension(config, provider, logger)] : [])];
}

/** Starts a gateway from `env`; resolves once it listens. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningGateway> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel });
  const provider = await createProvider(config, logger);
  const exts = extensions(config, provider, logger);
  const app = buildApp({ config, provider, logger, extensions: exts });
  const server = createServer({ requestTimeout: config.readTimeoutMs, headersTimeout: Math.min(config.readTimeoutMs, 60_000) }, app);
  server.on('upgrade', app.upgrade);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, provider: config.provider }, 'gateway listening');
  for (const ext of exts) ext.listening?.(url);
  const close = async () => {
    server.close();
    // Extensions first: the async worker lets its running calls (through this server) finish before connections end.
    await app.close();
    server.closeAllConnections();
    await provider.close();
  };
  return { server, app, provider, url, close };
}

async function main(): Promise<void> {
  const gw = await start();
  const config = gw.app.context.config;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gw.app.context.logger.info({ signal }, 'stopping');
    gw.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (config.provider === 'local' && config.deployStack) await deployStack(gw, config.stackFile);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
