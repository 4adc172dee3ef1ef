import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * The durable async queue: one interface, two backends (SQLite embedded, NATS JetStream), one contract suite
 * (test/support/queue-contract.ts). The queue stores jobs and makes state transitions atomic; the worker decides.
 */

/** Lifecycle of an async request. `failed` = the function answered with a final error; `dead` = in the dead-letter queue. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

/** Every state, for validating `?state=` filters. */
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'dead'];

/** What was submitted to `/async-function/:name[/*]`, stored before the 202 is sent. */
export interface AsyncRequest {
  fn: string;
  method: string;
  /** Sub-path after the function name, starting with `/` (or empty). */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  headers: Record<string, string>;
  body: Buffer;
  callbackUrl?: string;
}

/** A stored job. Times are epoch milliseconds from the queue's clock. */
export interface Job extends AsyncRequest {
  /** The call id returned as `X-Call-Id` and sent to the function. */
  id: string;
  idempotencyKey?: string;
  state: JobState;
  /** Executions started so far (a lease starts one). */
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  createdAt: number;
  /** When the job last entered the queue (submitted or redriven); its max age counts from here. */
  enqueuedAt: number;
  updatedAt: number;
  /** When the job becomes runnable (retries are scheduled by moving it). */
  runAt: number;
  /** When the first attempt started: `startedAt - createdAt` is the time spent in the queue. */
  startedAt?: number;
  finishedAt?: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** True when this lease follows one whose holder vanished mid-call (the function may have run already). */
  interrupted: boolean;
  /** Why the job was dead-lettered. */
  deadReason?: string;
}

/** Result of `enqueue`: `created` is false when an idempotency key matched an earlier job. */
export interface EnqueueResult {
  job: Job;
  created: boolean;
}

/** How a lease ends after the function answered. */
export interface Outcome {
  status?: number;
  error?: string;
}

/** A filter for `list`. */
export interface JobFilter {
  fn?: string;
  state?: JobState;
  /** Newest first, at most this many (default 100). */
  limit?: number;
}

/** Time as the queue sees it; tests inject a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()),
};

/** A lease owner id naming its process, `<host>:<pid>:<random>`, so a restarted SQLite gateway can tell dead holders. */
export function processOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Thrown when a lease holder acts on a job it no longer holds (its lease expired and was reclaimed). */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`lease on job ${id} was lost`);
    this.name = 'LeaseLostError';
  }
}

/** The operations every backend provides. */
export interface JobQueue {
  /** Stores a request durably; with an idempotency key, an earlier job of the same function and key is returned instead. */
  enqueue(req: AsyncRequest, opts: { id: string; idempotencyKey?: string }): Promise<EnqueueResult>;
  /**
   * Leases the next runnable job of `fn` to `owner` (state → running, attempts + 1), or returns null.
   * A running job is handed out again only after its lease expired without a heartbeat (its holder is gone).
   */
  lease(fn: string, owner: string): Promise<Job | null>;
  /** Extends the lease while the call runs; false when the lease was lost. */
  heartbeat(id: string, owner: string): Promise<boolean>;
  /** Ends a lease with a final state. Throws LeaseLostError when not the holder. */
  complete(id: string, owner: string, state: 'succeeded' | 'failed', outcome: Outcome): Promise<void>;
  /** Ends a lease by scheduling another attempt at `runAt`. */
  retryAt(id: string, owner: string, runAt: number, outcome: Outcome): Promise<void>;
  /** Ends a lease by moving the job to the dead-letter queue. */
  dead(id: string, owner: string, reason: string, outcome: Outcome): Promise<void>;
  get(id: string): Promise<Job | null>;
  list(filter: JobFilter): Promise<Job[]>;
  /** Moves a dead job back to the queue with its attempts reset; returns null when no dead job has that id. */
  redrive(id: string): Promise<Job | null>;
  /** Deletes dead jobs: one by id, those of one function, or all; returns how many. */
  purge(target: { id?: string; fn?: string }): Promise<number>;
  /** Jobs waiting or running, per function (functions with none are left out). */
  depth(): Promise<Record<string, number>>;
  /** Functions that have queued or running jobs, so the worker knows whom to poll. */
  activeFunctions(): Promise<string[]>;
  close(): Promise<void>;
}

/** Options every backend takes. */
export interface QueueOptions {
  clock?: Clock;
  /** How long a lease lasts without a heartbeat (default 30 s). */
  leaseMs?: number;
}

/** Default lease length: a holder heartbeats every third of it. */
export const DEFAULT_LEASE_MS = 30_000;
