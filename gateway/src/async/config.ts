/** Async invocation settings: env variables (rendered into the README) and the per-function labels that override them. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvSpec, loadFromEnv, parsers, showDuration } from '../../../common/src/env-config';
import { parseDuration } from '../../../common/src/duration';
import type { RetryPolicy } from './policy';

/** Which store holds async requests. */
export type AsyncBackend = 'sqlite' | 'nats';

/** What happens to a job whose previous attempt was cut off by a gateway crash (it may or may not have run). */
export type OnInterrupt = 'retry' | 'dead-letter';

/** Async configuration as loaded from the environment (frozen). */
export interface AsyncConfig {
  asyncEnabled: boolean;
  asyncBackend: AsyncBackend;
  asyncDbPath: string;
  asyncNatsUrl: string;
  asyncConcurrency: number;
  asyncMaxAttempts: number;
  asyncMaxAgeMs: number;
  asyncRetryBaseMs: number;
  asyncRetryMaxMs: number;
  asyncRetryStatuses: number[];
  asyncLeaseMs: number;
  asyncOnInterrupt: OnInterrupt;
  asyncCallbackAttempts: number;
  asyncCallbackTimeoutMs: number;
  asyncCallTimeoutMs: number;
  asyncMaxBodyBytes: number;
}

/** Labels a function may carry to change its async handling. */
export const ASYNC_LABELS = {
  concurrency: 'com.skep.async.concurrency',
  maxAttempts: 'com.skep.async.max-attempts',
  maxAge: 'com.skep.async.max-age',
  onInterrupt: 'com.skep.async.on-interrupt',
} as const;

const statusList = (raw: string): number[] | Error => {
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => !/^[1-5]\d\d$/.test(p));
  return bad.length ? new Error(`not HTTP statuses: ${bad.join(', ')}`) : parts.map(Number);
};

/** The table of async environment variables. */
export const asyncEnvSpec: EnvSpec<AsyncConfig> = {
  asyncEnabled: { name: 'async_enabled', description: 'Serve `/async-function/*` and run the async worker.', default: true, parse: parsers.bool },
  asyncBackend: { name: 'async_backend', description: 'Queue store: `sqlite` (embedded file, one gateway) or `nats` (JetStream, shared by gateway replicas).', default: 'sqlite', parse: parsers.oneOf<AsyncBackend>('sqlite', 'nats') },
  asyncDbPath: { name: 'async_db', description: 'SQLite file of the queue (its folder is created). Keep it on a lasting disk: it is what makes accepted requests survive a restart.', default: '', shownDefault: '`<data_dir>/async.db`, else `~/.skep/async.db`', parse: parsers.string },
  asyncNatsUrl: { name: 'async_nats_url', aliases: ['faas_nats_address'], description: 'NATS server(s) with JetStream, comma-separated, for `async_backend=nats`.', default: 'nats://127.0.0.1:4222', parse: parsers.string },
  asyncConcurrency: { name: 'async_concurrency', aliases: ['max_inflight'], description: `Calls in flight per function (label \`${ASYNC_LABELS.concurrency}\` overrides).`, default: 1, parse: parsers.int(1, 1000) },
  asyncMaxAttempts: { name: 'async_max_attempts', description: `Attempts before a request is dead-lettered (label \`${ASYNC_LABELS.maxAttempts}\`).`, default: 5, parse: parsers.int(1, 1000) },
  asyncMaxAgeMs: { name: 'async_max_age', description: `Age past which a request is dead-lettered instead of retried (label \`${ASYNC_LABELS.maxAge}\`).`, default: 86_400_000, shownDefault: showDuration(86_400_000), parse: parsers.duration },
  asyncRetryBaseMs: { name: 'async_retry_base', description: 'First retry delay; doubles per attempt, with jitter.', default: 1000, shownDefault: showDuration(1000), parse: parsers.duration },
  asyncRetryMaxMs: { name: 'async_retry_max', description: 'Longest retry delay.', default: 300_000, shownDefault: showDuration(300_000), parse: parsers.duration },
  asyncRetryStatuses: { name: 'async_retry_statuses', description: 'Function statuses that are retried (connection errors always are).', default: [408, 429, 500, 502, 503, 504], shownDefault: '`408,429,500,502,503,504`', parse: statusList },
  asyncLeaseMs: { name: 'async_lease', description: 'Lease of a running call, renewed every third of it while the call runs; another gateway takes the call over only after it lapses.', default: 30_000, shownDefault: showDuration(30_000), parse: parsers.duration },
  asyncOnInterrupt: { name: 'async_on_interrupt', description: `A call cut off by a gateway crash may have run: \`retry\` runs it again (at least once) or \`dead-letter\` parks it for a redrive (at most once). Label \`${ASYNC_LABELS.onInterrupt}\`.`, default: 'dead-letter', parse: parsers.oneOf<OnInterrupt>('retry', 'dead-letter') },
  asyncCallbackAttempts: { name: 'async_callback_attempts', description: 'Attempts to POST a result to `X-Callback-Url`.', default: 5, parse: parsers.int(1, 100) },
  asyncCallbackTimeoutMs: { name: 'async_callback_timeout', description: 'Deadline of one callback POST.', default: 10_000, shownDefault: showDuration(10_000), parse: parsers.duration },
  asyncCallTimeoutMs: { name: 'async_call_timeout', description: 'Deadline of one async call through `/function/<name>`.', default: 300_000, shownDefault: showDuration(300_000), parse: parsers.duration },
  asyncMaxBodyBytes: { name: 'async_max_body_size', description: 'Largest async request body in bytes (larger gets 413; NATS payloads must also fit the server\'s `max_payload`).', default: 10 * 1024 ** 2, shownDefault: '`10485760`', parse: parsers.int(0) },
};

/** Loads async settings from `env` (throws ConfigError listing every problem). */
export function loadAsyncConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AsyncConfig> {
  return loadFromEnv(asyncEnvSpec, env);
}

/** The SQLite file: `async_db`, else `<data_dir>/async.db`, else `~/.skep/async.db`. */
export function sqlitePath(cfg: AsyncConfig, dataDir = ''): string {
  return cfg.asyncDbPath || (dataDir ? join(dataDir, 'async.db') : join(homedir(), '.skep', 'async.db'));
}

/** One function's effective async settings: config defaults with its labels on top (bad labels are ignored). */
export interface FunctionAsyncSettings {
  concurrency: number;
  onInterrupt: OnInterrupt;
  policy: RetryPolicy;
}

/** Resolves a function's settings from its labels. */
export function functionSettings(cfg: AsyncConfig, labels: Record<string, string> = {}): FunctionAsyncSettings {
  const int = (raw: string | undefined, dflt: number, max: number) => {
    const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return n >= 1 && n <= max ? n : dflt;
  };
  const age = labels[ASYNC_LABELS.maxAge] !== undefined ? parseDuration(labels[ASYNC_LABELS.maxAge]) : cfg.asyncMaxAgeMs;
  const oi = labels[ASYNC_LABELS.onInterrupt];
  return {
    concurrency: int(labels[ASYNC_LABELS.concurrency], cfg.asyncConcurrency, 1000),
    onInterrupt: oi === 'retry' || oi === 'dead-letter' ? oi : cfg.asyncOnInterrupt,
    policy: {
      maxAttempts: int(labels[ASYNC_LABELS.maxAttempts], cfg.asyncMaxAttempts, 1000),
      maxAgeMs: age instanceof Error || age <= 0 ? cfg.asyncMaxAgeMs : age,
      baseDelayMs: cfg.asyncRetryBaseMs,
      maxDelayMs: cfg.asyncRetryMaxMs,
      retryStatuses: new Set(cfg.asyncRetryStatuses),
    },
  };
}
