/**
 * The JetStream backend, shared by gateway replicas. Three KV buckets and one work-queue stream:
 * - jobs   `<fn>.<id>` → the job (CAS on revision makes every transition atomic),
 * - idem   `<fn>.<sha256(key)>` → id (create-if-absent makes idempotency race-free),
 * - leases `<fn>.<id>` → `{ owner, until }` only while a job runs; a holder renews it, anyone reclaims it once lapsed,
 * - stream `skep.async.ready.<fn>` → one message per "job became runnable"; duplicates are harmless (acked on sight).
 */
import { createHash } from 'node:crypto';
import { UnavailableError } from '../errors';
import { AckPolicy, connect, JetStreamClient, JetStreamManager, JsMsg, KV, NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';
import {
  AsyncRequest, Clock, DEFAULT_LEASE_MS, EnqueueResult, Job, JobFilter, JobQueue, LeaseLostError, Outcome, QueueOptions, systemClock,
} from './queue';

const STREAM = 'SKEP_ASYNC_READY';
const SUBJECT = 'skep.async.ready';
type StoredJob = Omit<Job, 'body'> & { body: string };
interface LeaseEntry { owner: string; until: number }

/** Options of the NATS backend. */
export interface NatsQueueOptions extends QueueOptions {
  servers: string;
  /** Longest real wait before a scheduled retry is looked at again (default 1 s). */
  recheckMs?: number;
  /** Prefix of bucket and stream names, so tests can share one server. */
  prefix?: string;
  /** Told of each failed connection attempt before the next (the queue keeps trying until it connects or closes). */
  onConnectError?: (err: Error, attempt: number) => void;
  /** How long a new request waits for an unreachable NATS before it gets a 503 (default 5 s); the worker waits on. */
  connectWaitMs?: number;
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const toJob = (s: StoredJob): Job => ({ ...s, body: Buffer.from(s.body, 'base64') });
const fromJob = (j: Job): StoredJob => ({ ...j, body: j.body.toString('base64') });

/** The JetStream queue; connects lazily, every operation waits for the connection. */
export class NatsQueue implements JobQueue {
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly ready: Promise<{ nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager; jobs: KV; idem: KV; leases: KV }>;
  private readonly consumers = new Set<string>();
  private readonly lastReclaim = new Map<string, number>();
  /** Function of each job this instance holds, so heartbeats and completions skip the key lookup. */
  private readonly held = new Map<string, string>();
  private leaseFns: { at: number; fns: string[] } = { at: -Infinity, fns: [] };
  private readonly stream: string;
  private readonly subject: string;

  constructor(private readonly opts: NatsQueueOptions) {
    this.clock = opts.clock ?? systemClock;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    const p = opts.prefix ?? '';
    const stream = `${p.toUpperCase()}${STREAM}`;
    const subject = `${p}${SUBJECT}`;
    this.stream = stream;
    this.subject = subject;
    const setup = async () => {
      const nc = await connect({ servers: opts.servers.split(','), maxReconnectAttempts: -1, name: 'skep-gateway' });
      try {
        const js = nc.jetstream();
        const jsm = await nc.jetstreamManager();
        await jsm.streams.add({ name: stream, subjects: [`${subject}.*`], retention: RetentionPolicy.Workqueue, storage: StorageType.File })
          .catch(async (err: Error) => { if (!/already in use|exists/i.test(err.message)) throw err; });
        const kv = (name: string) => js.views.kv(`${p}skep_async_${name}`, { history: 1, storage: StorageType.File });
        return { nc, js, jsm, jobs: await kv('jobs'), idem: await kv('idem'), leases: await kv('leases') };
      } catch (err) {
        await nc.close().catch(() => undefined);
        throw err;
      }
    };
    // NATS may start after the gateway (a Swarm stack starts its services in no order): keep trying, with back-off.
    this.ready = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await setup();
        } catch (err) {
          if (this.closing) throw err;
          opts.onConnectError?.(err as Error, attempt);
          await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 5000)));
          if (this.closing) throw err;
        }
      }
    })();
    this.ready.catch(() => undefined);
  }

  private closing = false;

  /** Waits for the connection and the stream/buckets (retried until NATS answers; rejects only once closed). */
  async connected(): Promise<void> {
    await this.ready;
  }

  /** The connection, or a 503 once `connectWaitMs` has passed without one, so a caller is not held open indefinitely. */
  private async readyWithin(): Promise<Awaited<NatsQueue['ready']>> {
    let timer: NodeJS.Timeout | undefined;
    const waitMs = this.opts.connectWaitMs ?? 5000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(`the async queue (NATS at ${this.opts.servers}) is not reachable`, 'queue_unavailable', 5)), waitMs);
    });
    try {
      return await Promise.race([this.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async enqueue(req: AsyncRequest, opts: { id: string; idempotencyKey?: string }): Promise<EnqueueResult> {
    const { idem, jobs } = await this.readyWithin();
    let id = opts.id;
    if (opts.idempotencyKey !== undefined) {
      const key = `${req.fn}.${createHash('sha256').update(opts.idempotencyKey).digest('hex')}`;
      try {
        await idem.create(key, new TextEncoder().encode(id));
      } catch {
        const prior = await idem.get(key);
        if (prior && prior.operation === 'PUT') id = prior.string();
        const job = await this.read(req.fn, id);
        if (job) {
          // Same msgID as the first publish: deduplicated, unless that publish never happened (a crash before the 202).
          if (job.value.state === 'queued') await this.publish(req.fn, id, id);
          return { job: job.value, created: false };
        }
      }
    }
    const now = this.clock.now();
    const job: Job = { ...req, id, idempotencyKey: opts.idempotencyKey, state: 'queued', attempts: 0, createdAt: now, enqueuedAt: now, updatedAt: now, runAt: now, interrupted: false };
    await jobs.create(`${req.fn}.${id}`, enc(fromJob(job)));
    await this.publish(req.fn, id, id);
    return { job, created: id === opts.id };
  }

  async lease(fn: string, owner: string): Promise<Job | null> {
    const reclaimed = await this.reclaim(fn, owner);
    if (reclaimed) return reclaimed;
    const { js } = await this.ready;
    const durable = await this.consumer(fn);
    for (let i = 0; i < 50; i++) {
      let m: JsMsg;
      try {
        m = await js.pull(this.stream, durable);
      } catch {
        return null; // 404 no messages (or 408): nothing runnable now
      }
      const job = await this.take(fn, new TextDecoder().decode(m.data), owner, m);
      if (job) return job;
    }
    return null;
  }

  /** Leases the job a ready message names, if it is queued and due; acks or delays the message. */
  private async take(fn: string, id: string, owner: string, m: JsMsg): Promise<Job | null> {
    const { leases } = await this.ready;
    const cur = await this.read(fn, id);
    if (!cur || cur.value.state !== 'queued') {
      await m.ackAck();
      return null;
    }
    const now = this.clock.now();
    if (cur.value.runAt > now) {
      m.nak(Math.min(cur.value.runAt - now, this.opts.recheckMs ?? 1000));
      return null;
    }
    const leaseKey = `${fn}.${id}`;
    try {
      await leases.create(leaseKey, enc({ owner, until: now + this.leaseMs }));
    } catch {
      m.nak(this.opts.recheckMs ?? 1000); // a lease entry left by a crash; reclaim() clears it when it lapses
      return null;
    }
    const next: Job = { ...cur.value, state: 'running', attempts: cur.value.attempts + 1, leaseOwner: owner, leaseUntil: now + this.leaseMs, interrupted: false, startedAt: cur.value.startedAt ?? now, updatedAt: now };
    if (!(await this.cas(fn, next, cur.revision))) {
      await leases.delete(leaseKey);
      m.nak(0);
      return null;
    }
    await m.ackAck();
    this.held.set(id, fn);
    return next;
  }

  /** Takes over jobs whose lease lapsed (holder gone); clears lease entries left without a running job. */
  private async reclaim(fn: string, owner: string): Promise<Job | null> {
    const now = this.clock.now();
    // Looking for lapsed leases lists keys, which costs the server a consumer: at most every quarter lease (≥ 1 s).
    if ((this.lastReclaim.get(fn) ?? -Infinity) + Math.max(this.leaseMs / 4, 1000) > now) return null;
    this.lastReclaim.set(fn, now);
    const { leases } = await this.ready;
    for (const key of await this.keys(leases, `${fn}.*`)) {
      const e = await leases.get(key);
      if (!e || e.operation !== 'PUT' || e.json<LeaseEntry>().until >= now) continue;
      const id = key.slice(fn.length + 1);
      const cur = await this.read(fn, id);
      if (!cur || cur.value.state !== 'running') {
        if (cur?.value.state === 'queued') await this.publish(fn, id, `${id}-${cur.revision}`);
        await leases.delete(key, { previousSeq: e.revision }).catch(() => undefined);
        continue;
      }
      try {
        await leases.update(key, enc({ owner, until: now + this.leaseMs }), e.revision);
      } catch {
        continue; // another gateway reclaimed it first
      }
      const next: Job = { ...cur.value, attempts: cur.value.attempts + 1, leaseOwner: owner, leaseUntil: now + this.leaseMs, interrupted: true, updatedAt: now };
      if (await this.cas(fn, next, cur.revision)) {
        this.held.set(id, fn);
        return next;
      }
    }
    return null;
  }

  async heartbeat(id: string, owner: string): Promise<boolean> {
    const { leases } = await this.ready;
    const fn = this.held.get(id) ?? (await this.fnOf(id));
    if (!fn) return false;
    const e = await leases.get(`${fn}.${id}`);
    if (!e || e.operation !== 'PUT' || e.json<LeaseEntry>().owner !== owner) return false;
    try {
      await leases.update(`${fn}.${id}`, enc({ owner, until: this.clock.now() + this.leaseMs }), e.revision);
      return true;
    } catch {
      return false;
    }
  }

  async complete(id: string, owner: string, state: 'succeeded' | 'failed', outcome: Outcome): Promise<void> {
    await this.finish(id, owner, { state, finishedAt: this.clock.now() }, outcome);
  }

  async retryAt(id: string, owner: string, runAt: number, outcome: Outcome): Promise<void> {
    const job = await this.finish(id, owner, { state: 'queued', runAt }, outcome, true);
    await this.publish(job.fn, id, `${id}-${job.attempts}`);
    await this.dropLease(job.fn, id);
  }

  async dead(id: string, owner: string, reason: string, outcome: Outcome): Promise<void> {
    await this.finish(id, owner, { state: 'dead', deadReason: reason, finishedAt: this.clock.now() }, outcome);
  }

  /** Ends a lease held by `owner` with one CAS write; the lease entry goes after (a lapsed one is cleared by reclaim). */
  private async finish(id: string, owner: string, set: Partial<Job>, outcome: Outcome, keepLease = false): Promise<Job> {
    const fn = this.held.get(id) ?? (await this.fnOf(id));
    this.held.delete(id);
    for (let i = 0; fn && i < 5; i++) {
      const cur = await this.read(fn, id);
      if (!cur || cur.value.state !== 'running' || cur.value.leaseOwner !== owner) break;
      const next: Job = { ...cur.value, ...set, lastStatus: outcome.status, lastError: outcome.error, leaseOwner: undefined, leaseUntil: undefined, updatedAt: this.clock.now() };
      if (await this.cas(fn, next, cur.revision)) {
        if (!keepLease) await this.dropLease(fn, id);
        return next;
      }
    }
    throw new LeaseLostError(id);
  }

  private async dropLease(fn: string, id: string): Promise<void> {
    const { leases } = await this.ready;
    await leases.purge(`${fn}.${id}`).catch(() => undefined);
  }

  async get(id: string): Promise<Job | null> {
    const fn = await this.fnOf(id);
    if (!fn) return null;
    const r = await this.read(fn, id);
    if (!r) return null;
    if (r.value.state === 'running') {
      const { leases } = await this.ready;
      const e = await leases.get(`${fn}.${id}`);
      if (e && e.operation === 'PUT') r.value.leaseUntil = e.json<LeaseEntry>().until;
    }
    return r.value;
  }

  async list(filter: JobFilter): Promise<Job[]> {
    const { jobs } = await this.ready;
    const out: Job[] = [];
    for (const key of await this.keys(jobs, filter.fn ? `${filter.fn}.*` : '>')) {
      const dot = key.indexOf('.');
      const r = await this.read(key.slice(0, dot), key.slice(dot + 1));
      if (r && (!filter.state || r.value.state === filter.state)) out.push(r.value);
    }
    out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return out.slice(0, filter.limit ?? 100);
  }

  async redrive(id: string): Promise<Job | null> {
    const fn = await this.fnOf(id);
    const cur = fn ? await this.read(fn, id) : null;
    if (!fn || !cur || cur.value.state !== 'dead') return null;
    const now = this.clock.now();
    const next: Job = { ...cur.value, state: 'queued', attempts: 0, runAt: now, enqueuedAt: now, updatedAt: now, deadReason: undefined, finishedAt: undefined, interrupted: false };
    if (!(await this.cas(fn, next, cur.revision))) return null;
    await this.publish(fn, id, `${id}-redrive-${cur.revision}`);
    return next;
  }

  async purge(target: { id?: string; fn?: string }): Promise<number> {
    const { jobs, idem } = await this.ready;
    const dead = target.id ? [await this.get(target.id)] : await this.list({ fn: target.fn, state: 'dead', limit: Number.MAX_SAFE_INTEGER });
    let n = 0;
    for (const j of dead) {
      if (!j || j.state !== 'dead' || (target.fn && j.fn !== target.fn)) continue;
      await jobs.purge(`${j.fn}.${j.id}`);
      if (j.idempotencyKey !== undefined) await idem.purge(`${j.fn}.${createHash('sha256').update(j.idempotencyKey).digest('hex')}`);
      n++;
    }
    return n;
  }

  async depth(): Promise<Record<string, number>> {
    const { jsm, leases } = await this.ready;
    const out: Record<string, number> = {};
    const info = await jsm.streams.info(this.stream, { subjects_filter: `${this.subject}.*` });
    for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
      const fn = subject.slice(this.subject.length + 1);
      if (n > 0) out[fn] = (out[fn] ?? 0) + n;
    }
    for (const key of await this.keys(leases, '>')) {
      const fn = key.slice(0, key.indexOf('.'));
      out[fn] = (out[fn] ?? 0) + 1;
    }
    return out;
  }

  /** Functions with ready messages, plus (listed at most every quarter lease) those with running jobs to reclaim. */
  async activeFunctions(): Promise<string[]> {
    const { jsm, leases } = await this.ready;
    const info = await jsm.streams.info(this.stream, { subjects_filter: `${this.subject}.*` });
    const fns = new Set(Object.entries(info.state.subjects ?? {}).filter(([, n]) => n > 0).map(([subj]) => subj.slice(this.subject.length + 1)));
    const now = this.clock.now();
    if (this.leaseFns.at + Math.max(this.leaseMs / 4, 1000) <= now) {
      this.leaseFns = { at: now, fns: [...new Set((await this.keys(leases, '>')).map((k) => k.slice(0, k.indexOf('.'))))] };
    }
    for (const fn of this.leaseFns.fns) fns.add(fn);
    return [...fns];
  }

  async close(): Promise<void> {
    this.closing = true;
    const r = await this.ready.catch(() => null);
    if (r && !r.nc.isClosed()) await r.nc.drain();
  }

  private async consumer(fn: string): Promise<string> {
    const durable = `skep-async-${fn}`;
    if (this.consumers.has(fn)) return durable;
    const { jsm } = await this.ready;
    await jsm.consumers.add(this.stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: `${this.subject}.${fn}`, ack_wait: nanos(30_000), max_deliver: -1 });
    this.consumers.add(fn);
    return durable;
  }

  private async publish(fn: string, id: string, msgID: string): Promise<void> {
    const { js } = await this.ready;
    await js.publish(`${this.subject}.${fn}`, new TextEncoder().encode(id), { msgID });
  }

  private async read(fn: string, id: string): Promise<{ value: Job; revision: number } | null> {
    const { jobs } = await this.ready;
    const e = await jobs.get(`${fn}.${id}`);
    return e && e.operation === 'PUT' ? { value: toJob(e.json<StoredJob>()), revision: e.revision } : null;
  }

  private async cas(fn: string, job: Job, revision: number): Promise<boolean> {
    const { jobs } = await this.ready;
    try {
      await jobs.update(`${fn}.${job.id}`, enc(fromJob(job)), revision);
      return true;
    } catch {
      return false;
    }
  }

  /** Finds the function a call id belongs to (keys are `<fn>.<id>`). */
  private async fnOf(id: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
    const { jobs } = await this.ready;
    const [key] = await this.keys(jobs, `*.${id}`);
    return key === undefined ? null : key.slice(0, key.length - id.length - 1);
  }

  /** Collects the keys matching `filter` before any other call (reading while iterating cut the listing short). */
  private async keys(kv: KV, filter: string): Promise<string[]> {
    const out: string[] = [];
    const it = await kv.keys(filter);
    // A listing that stalls (a lost message on an overloaded server) must not hang its caller forever.
    const timer = setTimeout(() => it.stop(new Error(`listing keys ${filter} timed out`)), 15_000);
    try {
      for await (const k of it) out.push(k);
    } finally {
      clearTimeout(timer);
    }
    return out;
  }
}
