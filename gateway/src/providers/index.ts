/** Chooses and builds the provider named by the `provider` setting. */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { Provider } from './provider';
import type * as SwarmConfig from './swarm/config';
import { loadCatalog } from './local/catalog';
import { LocalProvider } from './local/local-provider';

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
  // Loaded on demand: dockerode alone adds ~15 MB of RSS that a local gateway does not need.
  swarm: async (_config, logger) => (require('./swarm/config') as typeof SwarmConfig).createSwarmProvider(process.env, logger.child({ component: 'swarm-provider' })),
};

/** Builds the provider the config asks for. */
export function createProvider(config: Readonly<GatewayConfig>, logger: Logger): Promise<Provider> {
  return factories[config.provider](config, logger);
}
