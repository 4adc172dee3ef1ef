import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { functionSettings, loadAsyncConfig } from '../../../gateway/src/async/config';
import { SqliteQueue } from '../../../gateway/src/async/sqlite-queue';
import { AsyncWorker } from '../../../gateway/src/async/worker';
import type { Job, JobQueue } from '../../../gateway/src/async/queue';
import { NatsQueue } from '../../../gateway/src/async/nats-queue';
import { NatsServer, startNatsServer } from '../../support/nats-server';

interface Seen { fn: string; method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** A stand-in for the gateway's `/function/<name>`: each function's behaviour is a small script. */
function fakeGateway() {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  let running = 0;
  let maxRunning = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fn = (req.url ?? '').split('/')[2].split('?')[0];
      const n = (counts.get(fn) ?? 0) + 1;
      counts.set(fn, n);
      seen.push({ fn, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      running++;
      maxRunning = Math.max(maxRunning, running);
      const answer = (status: number, body = `${fn}:${n}`, headers: Record<string, string> = {}) => {
        running--;
        res.writeHead(status, { 'content-type': 'text/plain', 'x-fn-header': 'yes', 'x-duration-seconds': '0.123000', ...headers }).end(body);
      };
      if (fn === 'flaky') answer(n < 3 ? 503 : 200);
      else if (fn === 'broken') answer(500);
      else if (fn === 'bad') answer(400);
      else if (fn === 'busy') answer(n < 2 ? 429 : 200, undefined, n < 2 ? { 'retry-after': '1' } : {});
      else if (fn === 'slow') setTimeout(() => answer(200), 2000);
      else if (fn === 'par') setTimeout(() => answer(200), 100);
      else answer(200, `echo:${Buffer.concat(chunks).toString()}`);
    });
  });
  return { server, seen, counts, maxRunning: () => maxRunning };
}

function callbackServer(failFirst = 0) {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      if (calls <= failFirst) return void res.writeHead(503).end();
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200).end();
    });
  });
  return { server, got };
}

const listen = (s: Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

async function until<T>(f: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.race([f(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

jest.setTimeout(60_000);

const cfg = loadAsyncConfig({ async_retry_base: '20ms', async_retry_max: '200ms', async_max_attempts: '3' });

let nats: NatsServer | undefined;
let prefixes = 0;
afterAll(async () => {
  await nats?.stop();
});

// Leases far shorter than the 2 s "slow" function, so a call outlives several of them.
const backends: [string, number, () => Promise<JobQueue>][] = [
  ['SQLite', 300, async () => new SqliteQueue(':memory:', { leaseMs: 300 })],
  ['NATS JetStream', 900, async () => {
    nats ??= await startNatsServer();
    const q = new NatsQueue({ servers: nats.url, leaseMs: 900, recheckMs: 20, prefix: `w${++prefixes}_` });
    await q.connected();
    return q;
  }],
];

describe.each(backends)('AsyncWorker on %s', (_name, leaseMs, openQueue) => {
  let gw: ReturnType<typeof fakeGateway>;
  let cb: ReturnType<typeof callbackServer>;
  let gwUrl: string;
  let cbUrl: string;
  let queue: JobQueue;
  const workers: AsyncWorker[] = [];
  const labels: Record<string, Record<string, string>> = {};

  const startWorker = (over: Partial<ConstructorParameters<typeof AsyncWorker>[0]> = {}) => {
    const w = new AsyncWorker({ queue, gatewayUrl: gwUrl, settings: async (fn) => functionSettings(cfg, labels[fn]), leaseMs,
      callTimeoutMs: 10_000, callbackAttempts: 3, callbackTimeoutMs: 2000, pollMs: 20, ...over });
    workers.push(w);
    w.start();
    return w;
  };
  const submit = async (fn: string, extra: Partial<Job> = {}) => (await queue.enqueue({ fn, method: 'POST', path: '', query: '', headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello'), ...extra }, { id: randomUUID() })).job.id;
  const finished = (id: string) => until(async () => { const j = await queue.get(id); return j && ['succeeded', 'failed', 'dead'].includes(j.state) ? j : null; });

  beforeEach(async () => {
    gw = fakeGateway();
    cb = callbackServer();
    gwUrl = await listen(gw.server);
    cbUrl = await listen(cb.server);
    queue = await openQueue();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop(2000)));
    await queue.close();
    await close(gw.server);
    await close(cb.server);
  });

  it('calls /function/<name> with the stored method, path, query, headers and body plus X-Call-Id, then POSTs the callback', async () => {
    startWorker();
    const id = await submit('echo', { method: 'PUT', path: '/sub/path', query: 'a=1', headers: { 'x-custom': 'c', 'content-type': 'text/plain' }, callbackUrl: `${cbUrl}/cb` });
    expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 1, lastStatus: 200 });
    expect(gw.seen[0]).toMatchObject({ method: 'PUT', url: '/function/echo/sub/path?a=1', body: 'hello', headers: expect.objectContaining({ 'x-call-id': id, 'x-custom': 'c', 'x-skep-attempt': '1' }) });
    await until(async () => cb.got.length === 1);
    expect(cb.got[0].body).toBe('echo:hello');
    expect(cb.got[0].headers).toMatchObject({ 'x-call-id': id, 'x-function-status': '200', 'x-function-name': 'echo', 'x-duration-seconds': '0.123000', 'x-fn-header': 'yes' });
  });

  it('retries a retryable status with back-off until it succeeds', async () => {
    startWorker();
    const id = await submit('flaky');
    expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 3, lastStatus: 200 });
  });

  it.each([
    ['a 500 every time', 'broken', { state: 'dead', attempts: 3, lastStatus: 500 }],
    ['a 400', 'bad', { state: 'failed', attempts: 1, lastStatus: 400 }],
  ])('settles a function answering %s (%s)', async (_l, fn, expected) => {
    startWorker();
    const id = await submit(fn, { callbackUrl: cbUrl });
    expect(await finished(id)).toMatchObject(expected);
    await until(async () => cb.got.length === 1);
    expect(cb.got[0].headers['x-function-status']).toBe(String(expected.lastStatus));
  });

  it('retries connection errors and dead-letters after max attempts', async () => {
    startWorker({ gatewayUrl: 'http://127.0.0.1:1' });
    const id = await submit('echo');
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'dead', attempts: 3, lastError: expect.any(String), deadReason: expect.stringContaining('3 attempts') });
    expect(job.lastStatus).toBeUndefined();
  });

  it('honours 429 and its Retry-After before trying again', async () => {
    startWorker();
    const id = await submit('busy');
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    const [first, second] = gw.seen.filter((s) => s.fn === 'busy');
    expect(first && second).toBeTruthy();
  });

  it.each([[undefined, 1], ['3', 3]])('runs at most concurrency=%p calls of a function at once', async (label, max) => {
    if (label) labels.par = { 'com.skep.async.concurrency': label };
    else delete labels.par;
    startWorker();
    const ids = await Promise.all(Array.from({ length: 7 }, () => submit('par')));
    for (const id of ids) await finished(id);
    expect(gw.maxRunning()).toBe(max);
  });

  it('never hands a call that outlives its lease to a second worker while the first is alive', async () => {
    startWorker();
    startWorker();
    const ids = await Promise.all(Array.from({ length: 3 }, () => submit('slow')));
    for (const id of ids) expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    const perId = ids.map((id) => gw.seen.filter((s) => s.headers['x-call-id'] === id).length);
    expect(perId).toEqual([1, 1, 1]);
  });

  it('dead-letters an interrupted call without running it by default (at most once)', async () => {
    const id = await submit('once');
    await queue.lease('once', 'crashed-gateway');
    await new Promise((r) => setTimeout(r, leaseMs + 50));
    startWorker();
    expect(await finished(id)).toMatchObject({ state: 'dead', deadReason: expect.stringContaining('may have run') });
    expect(gw.seen.filter((s) => s.fn === 'once')).toHaveLength(0);
  });

  it('runs an interrupted call again when the function asks for at-least-once, marked X-Skep-Redelivered', async () => {
    labels.echo = { ...labels.echo, 'com.skep.async.on-interrupt': 'retry' };
    const id = await submit('echo');
    await queue.lease('echo', 'crashed-gateway');
    await new Promise((r) => setTimeout(r, leaseMs + 50));
    startWorker();
    expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 2, interrupted: true });
    expect(gw.seen[0].headers['x-skep-redelivered']).toBe('true');
  });

  it('retries a failing callback', async () => {
    await close(cb.server);
    cb = callbackServer(2);
    cbUrl = await listen(cb.server);
    startWorker();
    const id = await submit('echo', { callbackUrl: cbUrl });
    await finished(id);
    await until(async () => cb.got.length === 1);
    expect(cb.got[0].headers['x-call-id']).toBe(id);
  });

  it('lets a running call finish when stopped', async () => {
    const w = startWorker();
    const id = await submit('slow');
    await until(async () => (await queue.get(id))?.state === 'running');
    await w.stop(5000);
    expect(await queue.get(id)).toMatchObject({ state: 'succeeded' });
  });
});
