/** Maps a FunctionDeployment to the watchdog process that runs it locally (pure, table-tested). */
import { ValidationError } from '../../errors';
import type { FunctionDeployment } from '../provider';
import type { Catalog } from './catalog';
import type { RunSpec } from './replica';

/** Variables of the gateway's own environment a replica inherits (nothing else leaks into functions). */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot'];

/** Where the replica runs and with what; `port` and `metrics_port` are added per start. */
export interface RunContext {
  catalog: Catalog;
  watchdogPath: string;
  nodePath: string;
  secretDir: string;
  workDir: string;
  parentEnv: NodeJS.ProcessEnv;
}

/** Builds the run spec of a function, or throws 400 when its image is not in the catalog and it has no envProcess. */
export function runSpecFor(fn: FunctionDeployment, ctx: RunContext): RunSpec {
  const entry = ctx.catalog.get(fn.image);
  if (!entry && !fn.envProcess) {
    const images = [...ctx.catalog.keys()].join(', ') || 'none';
    throw new ValidationError(`image ${fn.image} is not in the local catalog (images: ${images}); deploy it with envProcess to run a command under the watchdog`);
  }
  const base: Record<string, string> = {};
  for (const k of INHERITED) if (ctx.parentEnv[k] !== undefined) base[k] = ctx.parentEnv[k] as string;
  const image: Record<string, string> = entry ? { ...entry.env } : { mode: fn.envVars?.mode ?? 'fork' };
  if (fn.envProcess && (!entry || image.mode !== 'inproc')) image.fprocess = fn.envProcess;
  const env = {
    ...base,
    ...image,
    ...(fn.envVars ?? {}),
    // Skep's own settings win over the function's: the provider owns ports, lock and secret paths.
    suppress_lock: 'true',
    secret_mount_path: ctx.secretDir,
  };
  return { command: ctx.nodePath, args: [ctx.watchdogPath], env, cwd: entry?.handlerDir ?? ctx.workDir };
}
