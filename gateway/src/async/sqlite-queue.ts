import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import {
  AsyncRequest, Clock, DEFAULT_LEASE_MS, EnqueueResult, Job, JobFilter, JobQueue, JobState, LeaseLostError, Outcome,
  QueueOptions, systemClock,
} from './queue';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, fn TEXT NOT NULL, idem TEXT, state TEXT NOT NULL,
  method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL,
  callback_url TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_status INTEGER, last_error TEXT, dead_reason TEXT,
  created_at INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, run_at INTEGER NOT NULL,
  started_at INTEGER, finished_at INTEGER, lease_owner TEXT, lease_until INTEGER, interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idem ON jobs(fn, idem) WHERE idem IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_runnable ON jobs(fn, state, run_at);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, fn);
`;

type Row = Record<string, unknown>;

function ownerIsGone(owner: string): boolean {
  const m = /^(.*):(\d+):[0-9a-f]{8}$/.exec(owner);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function toJob(r: Row): Job {
  const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));
  return {
    id: r.id as string, fn: r.fn as string, idempotencyKey: opt(r.idem), state: r.state as JobState,
    method: r.method as string, path: r.path as string, query: r.query as string,
    headers: JSON.parse(r.headers as string) as Record<string, string>, body: r.body as Buffer,
    callbackUrl: opt(r.callback_url), attempts: r.attempts as number, lastStatus: opt(r.last_status),
    lastError: opt(r.last_error), deadReason: opt(r.dead_reason), createdAt: r.created_at as number,
    enqueuedAt: r.enqueued_at as number, updatedAt: r.updated_at as number, runAt: r.run_at as number, startedAt: opt(r.started_at),
    finishedAt: opt(r.finished_at), leaseOwner: opt(r.lease_owner), leaseUntil: opt(r.lease_until),
    interrupted: r.interrupted === 1,
  };
}

/**
 * The embedded backend: one SQLite file in WAL mode with synchronous=FULL, so a job is on disk before the 202.
 * One gateway owns the file; jobs it left running when it died are reclaimed (flagged interrupted) on open.
 */
export class SqliteQueue implements JobQueue {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly statements = new Map<string, Database.Statement>();
  private pending: { run: () => unknown; ok: (v: never) => void; fail: (e: unknown) => void }[] = [];

  constructor(file: string, opts: QueueOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.clock = opts.clock ?? systemClock;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.reclaimFromDeadProcesses();
  }

  /**
   * Jobs left running by a gateway process that is gone (same host, PID not alive, or our own PID from a previous life
   * in a restarted container) may be leased again at once; other holders keep their lease until it lapses.
   */
  private reclaimFromDeadProcesses(): void {
    const owners = this.stmt(`SELECT DISTINCT lease_owner AS o FROM jobs WHERE state = 'running'`).all() as { o: string | null }[];
    for (const { o } of owners) {
      if (o !== null && ownerIsGone(o)) this.stmt(`UPDATE jobs SET lease_until = 0 WHERE state = 'running' AND lease_owner = ?`).run(o);
    }
  }

  /** A prepared statement, compiled once. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /**
   * Group commit: writes asked for in the same tick share one transaction, so one fsync makes a whole burst durable
   * (better-sqlite3 is synchronous; an fsync per request would serialise every caller behind the disk).
   */
  private write<T>(run: () => T): Promise<T> {
    return new Promise<T>((ok, fail) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ run, ok: ok as (v: never) => void, fail });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const w of batch) {
          this.db.exec('SAVEPOINT w');
          try {
            results.push({ ok: true, value: w.run() });
            this.db.exec('RELEASE w');
          } catch (err) {
            this.db.exec('ROLLBACK TO w');
            this.db.exec('RELEASE w');
            results.push({ ok: false, value: err });
          }
        }
      }).immediate();
    } catch (err) {
      for (const w of batch) w.fail(err);
      return;
    }
    batch.forEach((w, i) => (results[i].ok ? w.ok(results[i].value as never) : w.fail(results[i].value)));
  }

  async enqueue(req: AsyncRequest, opts: { id: string; idempotencyKey?: string }): Promise<EnqueueResult> {
    return this.write((): EnqueueResult => {
      const now = this.clock.now();
      if (opts.idempotencyKey !== undefined) {
        const prior = this.stmt('SELECT * FROM jobs WHERE fn = ? AND idem = ?').get(req.fn, opts.idempotencyKey) as Row | undefined;
        if (prior) return { job: toJob(prior), created: false };
      }
      this.stmt(`INSERT INTO jobs (id, fn, idem, state, method, path, query, headers, body, callback_url,
        created_at, enqueued_at, updated_at, run_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        opts.id, req.fn, opts.idempotencyKey ?? null, req.method, req.path, req.query, JSON.stringify(req.headers),
        req.body, req.callbackUrl ?? null, now, now, now, now);
      return { job: toJob(this.stmt('SELECT * FROM jobs WHERE id = ?').get(opts.id) as Row), created: true };
    });
  }

  async lease(fn: string, owner: string): Promise<Job | null> {
    return this.write((): Job | null => {
      const now = this.clock.now();
      // Two indexed look-ups (an OR would scan and sort every queued row): lapsed leases first, then the oldest due job.
      const row = (this.stmt(`SELECT id, state FROM jobs WHERE fn = ? AND state = 'running' AND lease_until < ? LIMIT 1`).get(fn, now)
        ?? this.stmt(`SELECT id, state FROM jobs WHERE fn = ? AND state = 'queued' AND run_at <= ? ORDER BY run_at LIMIT 1`).get(fn, now)) as
        { id: string; state: string } | undefined;
      if (!row) return null;
      this.stmt(`UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?,
        interrupted = ?, started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?`).run(
        owner, now + this.leaseMs, row.state === 'running' ? 1 : 0, now, now, row.id);
      return toJob(this.stmt('SELECT * FROM jobs WHERE id = ?').get(row.id) as Row);
    });
  }

  async heartbeat(id: string, owner: string): Promise<boolean> {
    return this.write(() => this.stmt(`UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`)
      .run(this.clock.now() + this.leaseMs, id, owner).changes === 1);
  }

  async complete(id: string, owner: string, state: 'succeeded' | 'failed', outcome: Outcome): Promise<void> {
    return this.write(() => this.finish(id, owner, { state, finished_at: this.clock.now() }, outcome));
  }

  async retryAt(id: string, owner: string, runAt: number, outcome: Outcome): Promise<void> {
    return this.write(() => this.finish(id, owner, { state: 'queued', run_at: runAt }, outcome));
  }

  async dead(id: string, owner: string, reason: string, outcome: Outcome): Promise<void> {
    return this.write(() => this.finish(id, owner, { state: 'dead', dead_reason: reason, finished_at: this.clock.now() }, outcome));
  }

  /** Ends a lease held by `owner` in one UPDATE, so the final state is written exactly once. */
  private finish(id: string, owner: string, set: Record<string, unknown>, outcome: Outcome): void {
    const fields = { ...set, last_status: outcome.status ?? null, last_error: outcome.error ?? null, lease_owner: null,
      lease_until: null, updated_at: this.clock.now() };
    const cols = Object.keys(fields).map((k) => `${k} = @${k}`).join(', ');
    const r = this.stmt(`UPDATE jobs SET ${cols} WHERE id = @id AND state = 'running' AND lease_owner = @owner`)
      .run({ ...fields, id, owner });
    if (r.changes !== 1) throw new LeaseLostError(id);
  }

  async get(id: string): Promise<Job | null> {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? toJob(row) : null;
  }

  async list(filter: JobFilter): Promise<Job[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.fn) { where.push('fn = ?'); args.push(filter.fn); }
    if (filter.state) { where.push('state = ?'); args.push(filter.state); }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.stmt(sql).all(...args, filter.limit ?? 100) as Row[]).map(toJob);
  }

  async redrive(id: string): Promise<Job | null> {
    const now = this.clock.now();
    const r = await this.write(() => this.stmt(`UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, updated_at = ?,
      enqueued_at = ?, dead_reason = NULL, finished_at = NULL, interrupted = 0 WHERE id = ? AND state = 'dead'`).run(now, now, now, id));
    return r.changes === 1 ? this.get(id) : null;
  }

  async purge(target: { id?: string; fn?: string }): Promise<number> {
    const where = ["state = 'dead'"];
    const args: string[] = [];
    if (target.id) { where.push('id = ?'); args.push(target.id); }
    if (target.fn) { where.push('fn = ?'); args.push(target.fn); }
    return this.write(() => this.stmt(`DELETE FROM jobs WHERE ${where.join(' AND ')}`).run(...args).changes);
  }

  async depth(): Promise<Record<string, number>> {
    const rows = this.stmt(`SELECT fn, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running') GROUP BY fn`)
      .all() as { fn: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.fn, r.n]));
  }

  async activeFunctions(): Promise<string[]> {
    return Object.keys(await this.depth());
  }

  async close(): Promise<void> {
    if (this.pending.length) await new Promise((r) => setImmediate(r));
    if (this.db.open) this.db.close();
  }
}
