/** Delivers an async result to `X-Callback-Url`, with its own retries. */
import type { Logger } from 'pino';
import { endToEndHeaders, HttpClient } from './http-client';
import { backoffMs } from './policy';
import { Clock, Job, systemClock } from './queue';
import type { CallAnswer } from './worker';

const RETRY_CALLBACK = new Set([408, 425, 429, 500, 502, 503, 504]);

/** POSTs the function's body and headers plus `X-Call-Id`, `X-Function-Status`, `X-Function-Name`, `X-Duration-Seconds`; true once delivered. */
export async function deliverCallback(
  http: HttpClient,
  job: Job,
  answer: CallAnswer,
  opts: { callbackAttempts: number; callbackTimeoutMs: number; clock?: Clock; log?: Logger; random?: () => number },
): Promise<boolean> {
  const clock = opts.clock ?? systemClock;
  const headers = {
    ...(answer.headers ? endToEndHeaders(answer.headers) : {}),
    'x-call-id': job.id,
    'x-function-status': String(answer.status ?? 503),
    'x-function-name': job.fn,
    'x-duration-seconds': answer.durationSeconds.toFixed(6),
  };
  const policy = { maxAttempts: opts.callbackAttempts, maxAgeMs: 0, baseDelayMs: 500, maxDelayMs: 30_000, retryStatuses: RETRY_CALLBACK };
  for (let attempt = 1; attempt <= opts.callbackAttempts; attempt++) {
    let problem: string;
    try {
      const res = await http.request(job.callbackUrl as string, { method: 'POST', headers, body: answer.body ?? Buffer.alloc(0), timeoutMs: opts.callbackTimeoutMs });
      if (!RETRY_CALLBACK.has(res.status)) {
        opts.log?.info({ fn: job.fn, callId: job.id, status: res.status, attempt }, 'async callback sent');
        return true;
      }
      problem = `status ${res.status}`;
    } catch (err) {
      problem = (err as Error).message;
    }
    opts.log?.warn({ fn: job.fn, callId: job.id, attempt, problem }, 'async callback failed');
    if (attempt < opts.callbackAttempts) await clock.sleep(backoffMs(attempt, policy, opts.random));
  }
  return false;
}
