import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteQueue } from '../../../gateway/src/async/sqlite-queue';
import { CONTRACT_LEASE_MS, FakeClock, queueContract } from '../../support/queue-contract';

queueContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skep-sqlite-queue-'));
  return {
    open: async (clock) => new SqliteQueue(join(dir, 'async.db'), { clock, leaseMs: CONTRACT_LEASE_MS }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteQueue after a restart', () => {
  const req = { fn: 'f', method: 'POST', path: '', query: '', headers: {}, body: Buffer.from('x') };
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'skep-sqlite-restart-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a process that is gone', () => spawnSync('true').pid, true],
    ['a process that is alive (another gateway on the file)', () => process.ppid, false],
  ])('re-leases at once only the jobs held by %s', async (_label, pid, atOnce) => {
    const clock = new FakeClock();
    let q = new SqliteQueue(join(dir, 'q.db'), { clock, leaseMs: CONTRACT_LEASE_MS });
    await q.enqueue(req, { id: 'j' });
    await q.lease('f', `${hostname()}:${pid()}:abcdef12`);
    await q.close();
    q = new SqliteQueue(join(dir, 'q.db'), { clock, leaseMs: CONTRACT_LEASE_MS });
    const job = await q.lease('f', 'new');
    if (atOnce) expect(job).toMatchObject({ id: 'j', interrupted: true });
    else {
      expect(job).toBeNull();
      clock.advance(CONTRACT_LEASE_MS + 1);
      expect(await q.lease('f', 'new')).toMatchObject({ id: 'j', interrupted: true });
    }
    await q.close();
  });
});
