import Docker from 'dockerode';
import type { Logger } from 'pino';
import { EnvSpec, loadFromEnv, parsers, showDuration } from '../../../../common/src/env-config';
import { SwarmProvider } from './swarm-provider';

/** The Swarm provider's own settings (read only when `provider=swarm`). */
export interface SwarmConfig {
  dnsrr: boolean;
  functionsNetwork: string;
  resolveTtlMs: number;
  probeReady: boolean;
  dockerApiVersion: string;
  healthCheckIntervalMs: number;
  drainMs: number;
}

/** The Swarm provider's environment variables (OpenFaaS's `dnsrr` kept); the Docker socket comes from `DOCKER_HOST`. */
export const swarmEnvSpec: EnvSpec<SwarmConfig> = {
  dnsrr: { name: 'dnsrr', description: 'Swarm: create services with `endpoint_mode: dnsrr` and route to task addresses read from the tasks API (needed without IPVS); `false` uses the service VIP `http://<name>:8080`.', default: true, parse: parsers.bool },
  functionsNetwork: { name: 'functions_network', description: 'Swarm: overlay network functions attach to; empty means the network labelled `com.skep.functions=true` (or OpenFaaS\'s `openfaas=true`).', default: '', parse: parsers.string },
  resolveTtlMs: { name: 'swarm_resolve_ttl', description: 'Swarm: how long a function\'s task list is reused before the tasks API is asked again.', default: 500, shownDefault: showDuration(500), parse: parsers.duration },
  probeReady: { name: 'swarm_probe_ready', description: 'Swarm: probe a new task\'s `/_/ready` before routing to it (the gateway must be on the functions network).', default: true, parse: parsers.bool },
  healthCheckIntervalMs: { name: 'swarm_healthcheck_interval', description: 'Swarm: interval of the function image\'s HEALTHCHECK (Swarm routes to a task only once it passed); `0` keeps the image\'s own.', default: 3000, shownDefault: showDuration(3000), parse: parsers.duration },
  drainMs: { name: 'swarm_drain', description: 'Swarm: default `healthcheck_interval` of function watchdogs: how long a stopping task keeps serving while gateways stop routing to it.', default: 2000, shownDefault: showDuration(2000), parse: parsers.duration },
  dockerApiVersion: { name: 'DOCKER_API_VERSION', description: 'Docker Engine API version to speak (empty: the client default).', default: '', parse: parsers.string },
};

/** Builds the Swarm provider from the environment (the gateway's `factories.swarm`). */
export async function createSwarmProvider(env: NodeJS.ProcessEnv, logger?: Logger): Promise<SwarmProvider> {
  const cfg = loadFromEnv(swarmEnvSpec, env);
  const docker = new Docker(cfg.dockerApiVersion ? { version: `v${cfg.dockerApiVersion.replace(/^v/, '')}` } : undefined);
  const provider = new SwarmProvider({
    docker,
    network: cfg.functionsNetwork || undefined,
    endpointMode: cfg.dnsrr ? 'dnsrr' : 'vip',
    resolveTtlMs: cfg.resolveTtlMs,
    probe: cfg.probeReady ? undefined : false,
    healthCheckIntervalMs: cfg.healthCheckIntervalMs,
    drainMs: cfg.drainMs,
  });
  logger?.info({ endpointMode: cfg.dnsrr ? 'dnsrr' : 'vip', network: cfg.functionsNetwork || '(by label)' }, 'swarm provider ready');
  return provider;
}
