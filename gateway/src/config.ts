/** The gateway's whole configuration: every environment variable, its default and its validation, in one table. */
import { resolve } from 'node:path';
import { EnvSpec, loadFromEnv, parsers, showDuration } from '../../common/src/env-config';
import { ScalingConfig, scalingEnvSpec } from './scaling/config';
import { AsyncConfig, asyncEnvSpec } from './async/config';

/** Which orchestrator runs the functions. */
export type ProviderKind = 'local' | 'swarm';

/** The gateway's configuration as loaded from the environment (frozen). */
export interface GatewayConfig extends ScalingConfig, AsyncConfig {
  port: number;
  host: string;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  upstreamTimeoutMs: number;
  basicAuth: boolean;
  secretMountPath: string;
  provider: ProviderKind;
  maxBodyBytes: number;
  maxInvokeBodyBytes: number;
  dataDir: string;
  stackFile: string;
  deployStack: boolean;
  watchdogPath: string;
  scaleFromZero: boolean;
  logLevel: string;
  proxyEngine: 'node' | 'http-proxy-3';
}

/** Root of the package, whether running from sources (gateway/src) or from dist (dist/gateway/src). */
const ROOT = __dirname.split(/[\\/]/).includes('dist') ? resolve(__dirname, '../../..') : resolve(__dirname, '../..');

/** Parses a byte size: `1048576`, `512kb`, `10mb`, `1gb` (binary multiples). */
export function parseSize(raw: string): number | Error {
  const m = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(raw.trim());
  if (!m) return new Error(`"${raw}" is not a size (use 1048576, 512kb or 10mb)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}

/** The table of environment variables the gateway reads (OpenFaaS names where they exist). */
export const gatewayEnvSpec: EnvSpec<GatewayConfig> = {
  port: { name: 'port', description: 'TCP port of the gateway.', default: 8080, parse: parsers.int(0, 65535) },
  host: { name: 'host', description: 'Address to listen on (`0.0.0.0` inside a container).', default: '127.0.0.1', parse: parsers.string },
  readTimeoutMs: { name: 'read_timeout', description: 'Longest time to receive a whole request.', default: 60_000, shownDefault: showDuration(60_000), parse: parsers.duration },
  writeTimeoutMs: { name: 'write_timeout', description: 'Longest time a streamed answer (such as `/system/logs?follow=true`) stays open.', default: 60_000, shownDefault: showDuration(60_000), parse: parsers.duration },
  upstreamTimeoutMs: { name: 'upstream_timeout', description: 'Deadline of a proxied function call; past it the caller gets 504.', default: 60_000, shownDefault: showDuration(60_000), parse: parsers.duration },
  basicAuth: { name: 'basic_auth', description: 'Guard `/system/*` and `/ui/` with basic auth.', default: false, parse: parsers.bool },
  secretMountPath: { name: 'secret_mount_path', description: 'Folder holding the `basic-auth-user` and `basic-auth-password` files.', default: '/run/secrets/', parse: parsers.string },
  provider: { name: 'provider', description: 'Where functions run: `local` (child processes on this machine) or `swarm`.', default: 'local', parse: parsers.oneOf<ProviderKind>('local', 'swarm') },
  maxBodyBytes: { name: 'max_body_size', description: 'Largest JSON body accepted by `/system/*` routes (bytes, or `512kb`, `10mb`); larger gets 413.', default: 1024 ** 2, shownDefault: '`1mb`', parse: parseSize },
  maxInvokeBodyBytes: { name: 'max_invoke_body_size', description: 'Largest request body forwarded to a function; larger gets 413.', default: 256 * 1024 ** 2, shownDefault: '`256mb`', parse: parseSize },
  dataDir: { name: 'data_dir', description: 'Local provider: folder for secrets and replica files (default: a fresh temporary folder removed on exit).', default: '', parse: parsers.string },
  stackFile: { name: 'stack_file', description: 'Local provider: faas-cli stack file whose functions form the local image catalog.', default: resolve(ROOT, 'functions/stack.yml'), shownDefault: '`functions/stack.yml`', parse: parsers.string },
  deployStack: { name: 'deploy_stack', description: 'Local provider: deploy every function of `stack_file` at start.', default: true, parse: parsers.bool },
  watchdogPath: { name: 'watchdog_path', description: 'Local provider: the watchdog program each replica runs.', default: resolve(ROOT, 'dist/watchdog/src/main.js'), shownDefault: '`dist/watchdog/src/main.js`', parse: parsers.string },
  scaleFromZero: { name: 'scale_from_zero', description: 'Hold a call to a function with no ready replica while it is scaled up.', default: true, parse: parsers.bool },
  logLevel: { name: 'log_level', description: 'pino log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.', default: 'info', parse: parsers.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
  proxyEngine: { name: 'proxy_engine', description: 'Forwarder of `/function/*` calls: `node` (a lean `node:http` pipe) or `http-proxy-3` (slower in `npm run bench`; kept for comparison).', default: 'node', parse: parsers.oneOf<'node' | 'http-proxy-3'>('node', 'http-proxy-3') },
  ...scalingEnvSpec,
  ...asyncEnvSpec,
};

/** Loads the gateway configuration from `env`, reporting every bad variable at once (throws ConfigError). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  return loadFromEnv(gatewayEnvSpec, env);
}

/** A config for tests and embedders: the defaults, with `overrides` on top. */
export function testConfig(overrides: Partial<GatewayConfig> = {}): Readonly<GatewayConfig> {
  return Object.freeze({ ...loadFromEnv(gatewayEnvSpec, {}), ...overrides });
}
