/** The NATS backend when the server is not up yet (a Swarm stack starts its services in no order). */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsQueue } from '../../../gateway/src/async/nats-queue';
import type { AsyncRequest } from '../../../gateway/src/async/queue';
import { freePort } from '../../../gateway/src/providers/local/ports';
import { assertNatsServerInstalled } from '../../support/nats-server';


const until = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const request: AsyncRequest = { fn: 'echo', method: 'POST', path: '/', query: '', headers: {}, body: Buffer.from('hi') };

describe('NatsQueue before NATS is up', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  beforeAll(() => assertNatsServerInstalled());
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    child = undefined;
    dir = undefined;
  });

  it('keeps retrying and serves requests once the server starts', async () => {
    const port = await freePort();
    const errors: number[] = [];
    const q = new NatsQueue({ servers: `nats://127.0.0.1:${port}`, onConnectError: (_e, attempt) => errors.push(attempt) });
    await until('a failed attempt', () => errors.length >= 2);
    dir = mkdtempSync(join(tmpdir(), 'skep-nats-retry-'));
    child = spawn('nats-server', ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await q.connected();
    const { job, created } = await q.enqueue(request, { id: 'call-1' });
    expect({ id: job.id, state: job.state, created }).toEqual({ id: 'call-1', state: 'queued', created: true });
    await q.close();
  }, 60_000);

  it('answers a new request with a 503 error while NATS stays unreachable, instead of holding it', async () => {
    const q = new NatsQueue({ servers: `nats://127.0.0.1:${await freePort()}`, connectWaitMs: 300 });
    await expect(q.enqueue(request, { id: 'call-2' })).rejects.toMatchObject({ statusCode: 503, code: 'queue_unavailable' });
    await q.close();
  }, 30_000);

  it('stops retrying when closed', async () => {
    const q = new NatsQueue({ servers: `nats://127.0.0.1:${await freePort()}` });
    await q.close();
    await expect(q.connected()).rejects.toThrow();
  }, 30_000);
});
