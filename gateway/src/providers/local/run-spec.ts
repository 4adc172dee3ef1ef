/** Maps a FunctionDeployment to the watchdog process that runs it locally (pure, table-tested). */
import { ValidationError } from '../../errors';
import type { FunctionDeployment } from '../provider';
import type { Catalog } from './catalog';
import type { RunSpec } from './replica';

/** Variables of the gateway's own environment a replica inherits (nothing else leaks into functions). */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot'];

/**
 * Runs the watchdog in the replica process after arming a guard: the IPC channel to the gateway closes when the
 * gateway dies, even by SIGKILL, and the replica then stops itself instead of running on as an orphan.
 */
export const PARENT_GUARD = [
  "process.on('disconnect', () => {",
  "  setTimeout(() => process.exit(1), 10000).unref();",
  "  process.kill(process.pid, 'SIGTERM');",
  '});',
  'require(process.argv[1]);',
].join('\n');

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
  return { command: ctx.nodePath, args: ['-e', PARENT_GUARD, ctx.watchdogPath], env, cwd: entry?.handlerDir ?? ctx.workDir };
}
