/** Chooses and builds the provider named by the `provider` setting. */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { Provider } from './provider';
import { loadCatalog } from './local/catalog';
import { LocalProvider } from './local/local-provider';
import { createSwarmProvider } from './swarm/config';

/** Builds one provider from the config; the Swarm provider registers itself in `factories.swarm`. */
export type ProviderFactory = (config: Readonly<GatewayConfig>, logger: Logger) => Promise<Provider>;

/** Provider factories by `provider` value; the swarm engineer replaces the `swarm` entry. */
export const factories: Record<GatewayConfig['provider'], ProviderFactory> = {
  local: async (config, logger) => LocalProvider.create({
    watchdogPath: config.watchdogPath,
    dataDir: config.dataDir,
    catalog: await loadCatalog(config.stackFile),
    logger: logger.child({ component: 'local-provider' }),
  }),
  swarm: async (_config, logger) => createSwarmProvider(process.env, logger.child({ component: 'swarm-provider' })),
};

/** Builds the provider the config asks for. */
export function createProvider(config: Readonly<GatewayConfig>, logger: Logger): Promise<Provider> {
  return factories[config.provider](config, logger);
}
