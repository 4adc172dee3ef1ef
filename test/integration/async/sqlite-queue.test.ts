import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteQueue } from '../../../gateway/src/async/sqlite-queue';
import { CONTRACT_LEASE_MS, queueContract } from '../../support/queue-contract';

queueContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skep-sqlite-queue-'));
  return {
    open: async (clock) => new SqliteQueue(join(dir, 'async.db'), { clock, leaseMs: CONTRACT_LEASE_MS }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
