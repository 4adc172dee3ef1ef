/** Pure retry decisions for async jobs: exponential back-off with jitter, max attempts, max age. */
import type { Job } from './queue';

/** How a function's async jobs are retried (from config, overridden by labels). */
export interface RetryPolicy {
  maxAttempts: number;
  maxAgeMs: number;
  /** First retry delay; doubles with each attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  retryStatuses: ReadonlySet<number>;
}

/** What a call produced: a status, or an error when no status came back (connection refused, reset, timeout). */
export interface CallResult {
  status?: number;
  error?: string;
  /** Seconds from a `Retry-After` header on a 429 or 503. */
  retryAfterSeconds?: number;
  /** The gateway made this answer itself (`X-Skep-Internal`), not the function. */
  internal?: boolean;
}

/** The worker's next step for a finished attempt. */
export type Decision =
  | { action: 'complete'; state: 'succeeded' | 'failed' }
  | { action: 'retry'; at: number }
  | { action: 'dead'; reason: string };

/** Delay before the next attempt: `base * 2^(attempt-1)` capped at max, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * True when a result should be tried again: a retryable status, no status at all (a connection error), or the gateway's
 * own 404 (the function was accepted but is missing right now, e.g. being redeployed after a restart).
 */
export function isRetryable(result: CallResult, policy: RetryPolicy): boolean {
  if (result.status === 404 && result.internal) return true;
  return result.status === undefined || policy.retryStatuses.has(result.status);
}

/** Decides what happens to `job` after an attempt ended with `result` at time `now`. */
export function decide(job: Job, result: CallResult, policy: RetryPolicy, now: number, random: () => number = Math.random): Decision {
  if (!isRetryable(result, policy)) {
    return { action: 'complete', state: (result.status as number) < 400 ? 'succeeded' : 'failed' };
  }
  const last = result.status !== undefined ? `status ${result.status}` : (result.error ?? 'connection error');
  if (job.attempts >= policy.maxAttempts) return { action: 'dead', reason: `gave up after ${job.attempts} attempts (last: ${last})` };
  let at = now + backoffMs(job.attempts, policy, random);
  if (result.retryAfterSeconds !== undefined) at = Math.max(at, now + result.retryAfterSeconds * 1000);
  if (at - job.enqueuedAt > policy.maxAgeMs) return { action: 'dead', reason: `max age exceeded after ${job.attempts} attempts (last: ${last})` };
  return { action: 'retry', at };
}

/** True when a job has waited past its max age before it could run; it goes to the dead-letter queue unrun. */
export function tooOld(job: Job, policy: RetryPolicy, now: number): boolean {
  return now - job.enqueuedAt > policy.maxAgeMs;
}
