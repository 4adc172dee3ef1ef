/**
 * The async queue contract: every backend's test file calls `queueContract` with a way to open its queue.
 * Time is a fake clock the suite steps; a backend may take up to a few real seconds to notice a change (polling).
 */
import { randomUUID } from 'node:crypto';
import { AsyncRequest, Clock, JobQueue, LeaseLostError } from '../../gateway/src/async/queue';
import { backoffMs, decide, RetryPolicy } from '../../gateway/src/async/policy';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number { return this.t; }
  async sleep(ms: number): Promise<void> { this.t += ms; }
  advance(ms: number): void { this.t += ms; }
}

/** Opens the backend under test on the same storage each time (reopen = a gateway restart). */
export interface QueueHarness {
  open(clock: Clock): Promise<JobQueue>;
  cleanup(): Promise<void>;
}

/** The lease length every backend is opened with by `open`: the suite relies on it. */
export const CONTRACT_LEASE_MS = 10_000;

const policy: RetryPolicy = { maxAttempts: 3, maxAgeMs: 3_600_000, baseDelayMs: 1000, maxDelayMs: 60_000, retryStatuses: new Set([408, 429, 500, 502, 503, 504]) };

function req(fn: string, extra: Partial<AsyncRequest> = {}): AsyncRequest {
  return { fn, method: 'POST', path: '', query: '', headers: { 'content-type': 'text/plain' }, body: Buffer.from('hi'), ...extra };
}

/** Polls `lease` for a few real seconds, for backends that notice scheduled work by polling. */
async function leaseSoon(q: JobQueue, fn: string, owner: string, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const job = await q.lease(fn, owner);
    if (job || Date.now() > end) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Defines the shared suite for one backend. */
export function queueContract(name: string, makeHarness: () => Promise<QueueHarness>): void {
  describe(`${name} queue contract`, () => {
    let h: QueueHarness;
    let clock: FakeClock;
    let q: JobQueue;
    const fn = () => `f${expect.getState().currentTestName?.length ?? 0}x${Math.floor(Math.random() * 1e6)}`;

    beforeEach(async () => {
      h = await makeHarness();
      clock = new FakeClock();
      q = await h.open(clock);
    });
    afterEach(async () => {
      await q.close();
      await h.cleanup();
    });

    it('stores every part of the request before enqueue resolves', async () => {
      const f = fn();
      const body = Buffer.from([0, 1, 2, 255, 10]);
      const id = randomUUID();
      const { job, created } = await q.enqueue(req(f, { method: 'PUT', path: '/a/b', query: 'x=1&y=2', body, headers: { 'x-test': 'v' }, callbackUrl: 'http://127.0.0.1:9/cb' }), { id });
      expect(created).toBe(true);
      expect(job).toMatchObject({ id, fn: f, state: 'queued', attempts: 0, interrupted: false });
      await q.close();
      q = await h.open(clock);
      const got = await q.get(id);
      expect(got).toMatchObject({ id, fn: f, method: 'PUT', path: '/a/b', query: 'x=1&y=2', headers: { 'x-test': 'v' }, callbackUrl: 'http://127.0.0.1:9/cb', state: 'queued', createdAt: clock.now() });
      expect(Buffer.compare(got!.body, body)).toBe(0);
      expect(await q.get(randomUUID())).toBeNull();
    });

    it('returns the first job for a repeated idempotency key of the same function', async () => {
      const [f, g] = [fn(), fn()];
      const first = await q.enqueue(req(f), { id: 'a1', idempotencyKey: 'k' });
      const again = await q.enqueue(req(f), { id: 'a2', idempotencyKey: 'k' });
      expect(again).toMatchObject({ created: false, job: { id: 'a1' } });
      expect(first.created).toBe(true);
      expect((await q.enqueue(req(g), { id: 'a3', idempotencyKey: 'k' })).created).toBe(true);
      expect(await q.get('a2')).toBeNull();
      expect(await q.depth()).toMatchObject({ [f]: 1, [g]: 1 });
    });

    it('leases jobs oldest first, one holder each, and only for the function asked', async () => {
      const [f, g] = [fn(), fn()];
      await q.enqueue(req(f), { id: 'j1' });
      clock.advance(1);
      await q.enqueue(req(f), { id: 'j2' });
      await q.enqueue(req(g), { id: 'j3' });
      const a = await leaseSoon(q, f, 'w1');
      expect(a).toMatchObject({ id: 'j1', state: 'running', attempts: 1, leaseOwner: 'w1', startedAt: clock.now() });
      expect(await leaseSoon(q, f, 'w2')).toMatchObject({ id: 'j2' });
      expect(await q.lease(f, 'w3')).toBeNull();
      expect(await q.get('j1')).toMatchObject({ state: 'running' });
    });

    it('does not hand a running job to anyone else while its holder heartbeats, however long it runs', async () => {
      const f = fn();
      await q.enqueue(req(f), { id: 'long' });
      await leaseSoon(q, f, 'w1');
      for (let i = 0; i < 10; i++) {
        clock.advance(CONTRACT_LEASE_MS / 2);
        expect(await q.heartbeat('long', 'w1')).toBe(true);
        expect(await q.lease(f, 'w2')).toBeNull();
      }
      await q.complete('long', 'w1', 'succeeded', { status: 200 });
      expect(await q.get('long')).toMatchObject({ state: 'succeeded', attempts: 1, lastStatus: 200, finishedAt: clock.now() });
    });

    it('reclaims a job whose holder stopped heartbeating, flagged interrupted, and refuses the old holder', async () => {
      const f = fn();
      await q.enqueue(req(f), { id: 'lost' });
      await leaseSoon(q, f, 'dead-holder');
      clock.advance(CONTRACT_LEASE_MS + 1);
      const again = await leaseSoon(q, f, 'w2');
      expect(again).toMatchObject({ id: 'lost', attempts: 2, interrupted: true, leaseOwner: 'w2' });
      expect(await q.heartbeat('lost', 'dead-holder')).toBe(false);
      await expect(q.complete('lost', 'dead-holder', 'succeeded', { status: 200 })).rejects.toBeInstanceOf(LeaseLostError);
      await q.complete('lost', 'w2', 'failed', { status: 400 });
      expect(await q.get('lost')).toMatchObject({ state: 'failed', lastStatus: 400 });
    });

    it('makes jobs left running by a stopped gateway runnable again after a restart', async () => {
      const f = fn();
      await q.enqueue(req(f), { id: 'crash' });
      await leaseSoon(q, f, 'old-gateway');
      await q.close();
      q = await h.open(clock);
      clock.advance(CONTRACT_LEASE_MS + 1);
      expect(await leaseSoon(q, f, 'new-gateway')).toMatchObject({ id: 'crash', interrupted: true, attempts: 2 });
    });

    it('retries with exponential back-off and jitter, then dead-letters after max attempts', async () => {
      const f = fn();
      await q.enqueue(req(f), { id: 'flaky' });
      const delays: number[] = [];
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        const job = await leaseSoon(q, f, 'w');
        expect(job).toMatchObject({ id: 'flaky', attempts: attempt });
        const d = decide(job!, { status: 503 }, policy, clock.now(), () => 1);
        if (d.action === 'retry') {
          delays.push(d.at - clock.now());
          await q.retryAt('flaky', 'w', d.at, { status: 503 });
          clock.advance(d.at - clock.now() - 1);
          expect(await q.lease(f, 'w')).toBeNull();
          clock.advance(1);
        } else {
          expect(d).toMatchObject({ action: 'dead' });
          await q.dead('flaky', 'w', d.action === 'dead' ? d.reason : '', { status: 503 });
        }
      }
      expect(delays).toEqual([1000, 2000]);
      expect(await q.get('flaky')).toMatchObject({ state: 'dead', attempts: 3, lastStatus: 503, deadReason: expect.stringContaining('3 attempts') });
      expect(await q.depth()).not.toHaveProperty(f);
    });

    it.each([
      ['a connection error', 'retry', { error: 'ECONNREFUSED' }],
      ['a 500', 'retry', { status: 500 }],
      ['a 400', 'complete', { status: 400 }],
      ['the gateway\'s own 404 (function missing for now)', 'retry', { status: 404, internal: true }],
      ['the function\'s own 404', 'complete', { status: 404 }],
      ['a 200', 'complete', { status: 200 }],
    ])('decides that %s means %s', (_label, action, result) => {
      const job = { attempts: 1, enqueuedAt: 0 } as never;
      expect(decide(job, result, policy, 0).action).toBe(action);
    });

    it('spreads back-off between half and all of the doubled delay, capped at the maximum', () => {
      expect([1, 2, 3, 10].map((a) => backoffMs(a, policy, () => 0))).toEqual([500, 1000, 2000, 30_000]);
      expect([1, 2, 3, 10].map((a) => backoffMs(a, policy, () => 1))).toEqual([1000, 2000, 4000, 60_000]);
    });

    it('dead-letters a job whose next attempt would pass its max age', async () => {
      const f = fn();
      await q.enqueue(req(f), { id: 'old' });
      clock.advance(policy.maxAgeMs - 100);
      const job = await leaseSoon(q, f, 'w');
      const d = decide(job!, { status: 502 }, policy, clock.now(), () => 0);
      expect(d).toMatchObject({ action: 'dead', reason: expect.stringContaining('max age') });
    });

    it('lists, inspects, redrives and purges the dead-letter queue', async () => {
      const [f, g] = [fn(), fn()];
      for (const [id, fname] of [['d1', f], ['d2', f], ['d3', g], ['ok', f]] as const) {
        await q.enqueue(req(fname), { id });
        clock.advance(1);
        await leaseSoon(q, fname, 'w');
        if (id === 'ok') await q.complete(id, 'w', 'succeeded', { status: 200 });
        else await q.dead(id, 'w', 'gave up', { status: 500 });
      }
      expect((await q.list({ state: 'dead' })).map((j) => j.id).filter((id) => id.startsWith('d')).sort()).toEqual(['d1', 'd2', 'd3']);
      expect((await q.list({ fn: f, state: 'dead' })).map((j) => j.id)).toEqual(['d2', 'd1']);
      expect((await q.list({ fn: f })).map((j) => j.id)).toEqual(['ok', 'd2', 'd1']);
      expect((await q.list({ fn: f, limit: 1 })).map((j) => j.id)).toEqual(['ok']);
      expect(await q.redrive('ok')).toBeNull();
      expect(await q.redrive('d1')).toMatchObject({ id: 'd1', state: 'queued', attempts: 0 });
      expect(await leaseSoon(q, f, 'w')).toMatchObject({ id: 'd1', attempts: 1 });
      expect(await q.purge({ id: 'ok' })).toBe(0);
      expect(await q.purge({ fn: g })).toBe(1);
      expect(await q.purge({})).toBeGreaterThanOrEqual(1);
      expect(await q.get('d2')).toBeNull();
      expect(await q.get('ok')).toMatchObject({ state: 'succeeded' });
      expect(await q.get('d1')).toMatchObject({ state: 'running' });
    });

    it('reports depth (queued + running) per function and the functions with work', async () => {
      const [f, g] = [fn(), fn()];
      await q.enqueue(req(f), { id: 'p1' });
      await q.enqueue(req(f), { id: 'p2' });
      await q.enqueue(req(g), { id: 'p3' });
      await leaseSoon(q, f, 'w');
      expect(await q.depth()).toMatchObject({ [f]: 2, [g]: 1 });
      expect((await q.activeFunctions()).sort()).toEqual(expect.arrayContaining([f, g]));
      await q.complete('p1', 'w', 'succeeded', { status: 200 });
      expect((await q.depth())[f]).toBe(1);
    });
  });
}
