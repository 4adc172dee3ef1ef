/** The watchdog's configuration: OpenFaaS env names, parsed and checked in one table so the README cannot drift. */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvSpec, loadFromEnv, parsers, showDuration } from '../../common/src/env-config';

/** How the watchdog runs the function. */
export type WatchdogMode = 'http' | 'fork' | 'static' | 'inproc';

/** The watchdog's frozen configuration, durations in milliseconds. */
export interface WatchdogConfig {
  mode: WatchdogMode;
  fprocess: string;
  upstreamUrl: string;
  handlerPath: string;
  staticPath: string;
  port: number;
  metricsPort: number;
  readTimeout: number;
  writeTimeout: number;
  execTimeout: number;
  maxInflight: number;
  healthcheckInterval: number;
  contentType: string;
  combineOutput: boolean;
  prefixLogs: boolean;
  suppressLock: boolean;
  lockPath: string;
}

const httpUrl = (raw: string): string | Error => {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' ? raw : new Error(`"${raw}" must be an http:// URL`);
  } catch {
    return new Error(`"${raw}" is not a URL (e.g. http://127.0.0.1:5000)`);
  }
};

/** Every environment variable the watchdog reads, with its default and meaning. */
export const watchdogSpec: EnvSpec<WatchdogConfig> = {
  mode: { name: 'mode', description: '`http` (start `fprocess` once, proxy to `upstream_url`), `fork` (one process per request), `static` (serve `static_path`), `inproc` (load a Node handler in the watchdog)', default: 'fork', parse: parsers.oneOf<WatchdogMode>('http', 'fork', 'static', 'inproc') },
  fprocess: { name: 'fprocess', aliases: ['function_process'], description: 'Command to run, split on spaces, no shell (required in `http` and `fork` modes)', default: '', parse: parsers.string },
  upstreamUrl: { name: 'upstream_url', aliases: ['http_upstream_url'], description: 'Where `fprocess` listens in `http` mode, e.g. `http://127.0.0.1:5000`', default: '', parse: httpUrl },
  handlerPath: { name: 'handler_path', description: 'CommonJS module exporting `async (event, context) => response` (`inproc` mode)', default: '/home/app/function/handler.js', parse: parsers.string },
  staticPath: { name: 'static_path', description: 'Folder served in `static` mode', default: '/home/app/public', parse: parsers.string },
  port: { name: 'port', description: 'Port for function requests (`0` picks a free one, printed as `listening on <port>`)', default: 8080, parse: parsers.int(0, 65535) },
  metricsPort: { name: 'metrics_port', description: 'Port of the Prometheus `/metrics` server (`0` picks a free one)', default: 8081, parse: parsers.int(0, 65535) },
  readTimeout: { name: 'read_timeout', description: 'Longest time to receive a whole request (`0` = no limit)', default: 30_000, shownDefault: showDuration(30_000), parse: parsers.duration },
  writeTimeout: { name: 'write_timeout', description: 'Longest time to answer a request, and to drain in-flight requests on SIGTERM', default: 30_000, shownDefault: showDuration(30_000), parse: parsers.duration },
  execTimeout: { name: 'exec_timeout', description: 'Per-request limit: the process (group) is killed or the upstream call aborted, and the caller gets 504 (`0` = off)', default: 30_000, shownDefault: showDuration(30_000), parse: parsers.duration },
  maxInflight: { name: 'max_inflight', description: 'Concurrent requests allowed; more get 429 at once (`0` = no limit)', default: 0, parse: parsers.int(0) },
  healthcheckInterval: { name: 'healthcheck_interval', description: 'After SIGTERM, keep serving this long while `/_/health` says 503, so balancers stop routing (OpenFaaS default: `write_timeout`)', default: 0, shownDefault: showDuration(0), parse: parsers.duration },
  contentType: { name: 'content_type', description: 'Force the response Content-Type in `fork` and `inproc` modes (fork default: the request\'s)', default: '', parse: parsers.string },
  combineOutput: { name: 'combine_output', description: '`fork` mode: stderr goes into the response too; `false` sends it to the logs', default: true, parse: parsers.bool },
  prefixLogs: { name: 'prefix_logs', description: 'Prefix each function output line with the time and stream name', default: true, parse: parsers.bool },
  suppressLock: { name: 'suppress_lock', description: 'Do not write the lock file', default: false, parse: parsers.bool },
  lockPath: { name: 'lock_path', description: 'Lock file written when ready and removed on SIGTERM (Docker `HEALTHCHECK` tests it)', default: join(tmpdir(), '.lock'), shownDefault: '`$TMPDIR/.lock` (`/tmp/.lock`)', parse: parsers.string },
};

/** Reads the config from env and throws ConfigError listing every problem, including those between variables. */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<WatchdogConfig> {
  const problems: string[] = [];
  let cfg: Readonly<WatchdogConfig> | undefined;
  try {
    cfg = loadFromEnv(watchdogSpec, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  problems.push(...crossProblems(cfg ?? lenient(env)));
  if (problems.length) throw new ConfigError(problems);
  return cfg as Readonly<WatchdogConfig>;
}

/** Each variable on its own, a bad one left undefined, so the checks between variables still run. */
function lenient(env: NodeJS.ProcessEnv): Partial<WatchdogConfig> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(watchdogSpec) as (keyof WatchdogConfig)[]) {
    try {
      out[key] = loadFromEnv({ [key]: watchdogSpec[key] } as EnvSpec<Partial<WatchdogConfig>>, env)[key];
    } catch {
      out[key] = undefined;
    }
  }
  return out as Partial<WatchdogConfig>;
}

function crossProblems(c: Partial<WatchdogConfig>): string[] {
  const p: string[] = [];
  if ((c.mode === 'http' || c.mode === 'fork') && c.fprocess === '') p.push(`fprocess: required in ${c.mode} mode`);
  if (c.mode === 'http' && c.upstreamUrl === '') p.push('upstream_url: required in http mode (e.g. http://127.0.0.1:5000)');
  if (c.mode === 'inproc' && c.handlerPath !== undefined && !isFile(c.handlerPath)) p.push(`handler_path: ${c.handlerPath} is not a file`);
  if (c.mode === 'static' && c.staticPath !== undefined && !isDir(c.staticPath)) p.push(`static_path: ${c.staticPath} is not a folder`);
  if (c.writeTimeout === 0) p.push('write_timeout: must be more than 0');
  if (c.port !== undefined && c.port !== 0 && c.port === c.metricsPort) p.push(`metrics_port: ${c.port} is also the port`);
  return p;
}

const isFile = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
