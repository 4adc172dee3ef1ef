/**
 * `/async-function/:name[/*]` (any method) stores the request and answers 202 + `X-Call-Id` once it is durable;
 * `/system/async*` shows, lists, redrives and purges jobs (behind basic auth with every `/system` route).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, Response, Router } from 'express';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../errors';
import { HOP_BY_HOP } from './http-client';
import type { AsyncMetrics } from './metrics';
import { Job, JOB_STATES, JobQueue, JobState } from './queue';

/** What the routes need. */
export interface AsyncRouteDeps {
  queue: JobQueue;
  /** Resolves `name` or `name.openfaas-fn` to a bare name, or throws NotFoundError. */
  functionName: (ref: string) => string;
  /** Throws NotFoundError when the function does not exist. */
  assertExists: (fn: string) => Promise<void>;
  onEnqueued?: (fn: string) => void;
  metrics?: AsyncMetrics;
  maxBodyBytes: number;
}

const NOT_STORED = new Set([...HOP_BY_HOP, 'x-callback-url', 'x-idempotency-key', 'x-call-id', 'expect']);
const ASYNC_URL = /^\/async-function\/([^/?]+)(\/[^?]*)?(?:\?(.*))?$/;

/** The JSON shape of a job in `/system/async` answers; `full` adds headers and the base64 body. */
export function jobView(j: Job, full = false): Record<string, unknown> {
  const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());
  const view: Record<string, unknown> = {
    callId: j.id, function: j.fn, state: j.state, attempts: j.attempts, lastStatus: j.lastStatus, lastError: j.lastError,
    deadReason: j.deadReason, method: j.method, path: j.path, query: j.query, callbackUrl: j.callbackUrl,
    idempotencyKey: j.idempotencyKey, interrupted: j.interrupted, bodyBytes: j.body.length,
    createdAt: iso(j.createdAt), enqueuedAt: iso(j.enqueuedAt), startedAt: iso(j.startedAt), finishedAt: iso(j.finishedAt),
    nextAttemptAt: j.state === 'queued' ? iso(j.runAt) : undefined,
  };
  if (full) Object.assign(view, { headers: j.headers, body: j.body.toString('base64') });
  return view;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError(limit));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function callbackUrl(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let u: URL | undefined;
  try {
    u = new URL(String(raw));
  } catch { /* reported below */ }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new ValidationError(`X-Callback-Url "${String(raw)}" is not an http(s) URL`);
  return u.toString();
}

/** Adds `/async-function/:name[/*]` for every method. */
export function asyncInvokeRoutes(router: Router, deps: AsyncRouteDeps): void {
  router.use('/async-function', async (req: Request, res: Response) => {
    const m = ASYNC_URL.exec(req.originalUrl);
    if (!m) throw new NotFoundError('use /async-function/<name>[/<path>]');
    const fn = deps.functionName(decodeURIComponent(m[1]));
    await deps.assertExists(fn);
    const cb = callbackUrl(req.headers['x-callback-url']);
    const key = req.headers['x-idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 256)) throw new ValidationError('X-Idempotency-Key must be 1 to 256 characters');
    const body = await readBody(req, deps.maxBodyBytes);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !NOT_STORED.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const { job, created } = await deps.queue.enqueue(
      { fn, method: req.method, path: m[2] ?? '', query: m[3] ?? '', headers, body, callbackUrl: cb },
      { id: randomUUID(), idempotencyKey: key },
    );
    if (created) {
      deps.metrics?.accepted.inc({ function_name: fn });
      deps.onEnqueued?.(fn);
    } else res.setHeader('X-Skep-Idempotent-Replay', 'true');
    res.status(202).setHeader('X-Call-Id', job.id).end();
  });
}

function stateParam(raw: unknown): JobState | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!JOB_STATES.includes(raw as JobState)) throw new ValidationError(`state must be one of ${JOB_STATES.join(', ')}`);
  return raw as JobState;
}

function limitParam(raw: unknown): number {
  if (raw === undefined || raw === '') return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new ValidationError('limit must be a whole number from 1 to 10000');
  return n;
}

const fnParam = (raw: unknown): string | undefined => (typeof raw === 'string' && raw !== '' ? raw : undefined);

/** Adds the `/system/async` status, list and dead-letter routes. */
export function asyncSystemRoutes(router: Router, deps: AsyncRouteDeps): void {
  const { queue } = deps;
  const deadJob = async (id: string) => {
    const j = await queue.get(id);
    if (!j || j.state !== 'dead') throw new NotFoundError(`no dead-lettered request ${id}`);
    return j;
  };
  router.get('/system/async', async (req, res) => {
    const jobs = await queue.list({ fn: fnParam(req.query.function), state: stateParam(req.query.state), limit: limitParam(req.query.limit) });
    res.json(jobs.map((j) => jobView(j)));
  });
  router.get('/system/async/dead', async (req, res) => {
    const jobs = await queue.list({ fn: fnParam(req.query.function), state: 'dead', limit: limitParam(req.query.limit) });
    res.json(jobs.map((j) => jobView(j)));
  });
  router.delete('/system/async/dead', async (req, res) => {
    res.json({ purged: await queue.purge({ fn: fnParam(req.query.function) }) });
  });
  router.get('/system/async/dead/:callId', async (req, res) => {
    res.json(jobView(await deadJob(req.params.callId), true));
  });
  router.delete('/system/async/dead/:callId', async (req, res) => {
    await deadJob(req.params.callId);
    res.json({ purged: await queue.purge({ id: req.params.callId }) });
  });
  router.post('/system/async/dead/:callId/redrive', async (req, res) => {
    const j = await queue.redrive(req.params.callId);
    if (!j) throw new NotFoundError(`no dead-lettered request ${req.params.callId}`);
    deps.onEnqueued?.(j.fn);
    res.status(202).setHeader('X-Call-Id', j.id).json(jobView(j));
  });
  router.get('/system/async/:callId', async (req, res) => {
    const j = await queue.get(req.params.callId);
    if (!j) throw new NotFoundError(`no async request ${req.params.callId}`);
    res.json(jobView(j, true));
  });
}
