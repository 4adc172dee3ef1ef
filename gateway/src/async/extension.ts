/** Plugs async invocations into the gateway: the queue, the routes, the metrics, and a worker started once it listens. */
import type { Logger } from 'pino';
import type { GatewayExtension } from '../app';
import { NotFoundError } from '../errors';
import type { Provider } from '../providers/provider';
import { functionName } from '../routes/context';
import { AsyncConfig, FunctionAsyncSettings, functionSettings, sqlitePath } from './config';
import { AsyncMetrics } from './metrics';
import { NatsQueue } from './nats-queue';
import type { JobQueue } from './queue';
import { asyncInvokeRoutes, asyncSystemRoutes } from './routes';
import { SqliteQueue } from './sqlite-queue';
import { AsyncWorker } from './worker';

/** The async extension, with the hook main calls once the server listens. */
export interface AsyncExtension extends GatewayExtension {
  queue: JobQueue;
  worker(): AsyncWorker | null;
  /** Starts the worker, which calls functions through this gateway at `url`. */
  listening(url: string): void;
}

/** Opens the configured queue backend. */
export function createQueue(cfg: AsyncConfig, dataDir = '', log?: Logger): JobQueue {
  const onConnectError = (err: Error, attempt: number) => {
    if (attempt === 1 || attempt % 12 === 0) log?.warn({ err: err.message, attempt, url: cfg.asyncNatsUrl }, 'async queue: NATS not reachable yet, retrying');
  };
  return cfg.asyncBackend === 'nats'
    ? new NatsQueue({ servers: cfg.asyncNatsUrl, leaseMs: cfg.asyncLeaseMs, onConnectError })
    : new SqliteQueue(sqlitePath(cfg, dataDir), { leaseMs: cfg.asyncLeaseMs });
}

/** Remembers each function's labels for a few seconds, so a burst of async calls costs one provider lookup. */
function settingsCache(cfg: AsyncConfig, provider: Provider, ttlMs = 5000) {
  const cache = new Map<string, { at: number; exists: boolean; settings: FunctionAsyncSettings }>();
  const look = async (fn: string) => {
    const hit = cache.get(fn);
    // A missing function is looked up again soon: it may be (re)deploying, as after a gateway restart.
    if (hit && Date.now() - hit.at < (hit.exists ? ttlMs : 500)) return hit;
    let entry;
    try {
      entry = { at: Date.now(), exists: true, settings: functionSettings(cfg, (await provider.status(fn)).labels) };
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      entry = { at: Date.now(), exists: false, settings: functionSettings(cfg) };
    }
    cache.set(fn, entry);
    return entry;
  };
  return {
    /** Null while the function does not exist (its labels, such as on-interrupt, are unknown). */
    settings: async (fn: string) => {
      const e = await look(fn).catch(() => ({ exists: true, settings: functionSettings(cfg) }));
      return e.exists ? e.settings : null;
    },
    defaults: () => functionSettings(cfg),
    assertExists: async (fn: string) => {
      if (!(await look(fn)).exists) throw new NotFoundError(`function ${fn} not found`);
    },
  };
}

/** Builds the async extension; `queue` may be given (tests), else it is opened from `cfg`. */
export function asyncExtension(cfg: AsyncConfig & { dataDir?: string }, provider: Provider, logger: Logger, queue: JobQueue = createQueue(cfg, cfg.dataDir, logger)): AsyncExtension {
  const lookups = settingsCache(cfg, provider);
  const log = logger.child({ component: 'async' });
  let metrics: AsyncMetrics | undefined;
  let worker: AsyncWorker | null = null;
  return {
    name: 'async',
    queue,
    worker: () => worker,
    routes(router, ctx) {
      metrics = new AsyncMetrics(ctx.metrics.registry, queue);
      const deps = { queue, functionName: (ref: string) => functionName(ref), assertExists: lookups.assertExists,
        onEnqueued: (fn: string) => worker?.notify(fn), metrics, maxBodyBytes: cfg.asyncMaxBodyBytes };
      asyncInvokeRoutes(router, deps);
      asyncSystemRoutes(router, deps);
    },
    listening(url) {
      if (worker) return;
      const gatewayUrl = url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:');
      worker = new AsyncWorker({ queue, gatewayUrl, settings: lookups.settings, defaults: lookups.defaults, leaseMs: cfg.asyncLeaseMs, callTimeoutMs: cfg.asyncCallTimeoutMs,
        callbackAttempts: cfg.asyncCallbackAttempts, callbackTimeoutMs: cfg.asyncCallbackTimeoutMs, log, metrics });
      worker.start();
      log.info({ backend: cfg.asyncBackend, owner: worker.owner }, 'async worker started');
    },
    async close() {
      await worker?.stop(10_000);
      await queue.close();
    },
  };
}
