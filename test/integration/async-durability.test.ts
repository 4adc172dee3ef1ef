/**
 * Durability: 1,000 async requests to a function that records each call id it runs, the gateway killed with SIGKILL
 * mid-processing, then started again on the same SQLite file. Nothing accepted may be lost. A call cut off by the kill
 * may have reached the function already; what happens next is the function's `com.skep.async.on-interrupt` choice:
 * `retry` (default) runs it again (at least once: duplicates bounded by the calls in flight at the kill, i.e. the
 * concurrency), `dead-letter` parks it for a redrive (at most once: zero duplicates, guaranteed).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/gateway/src/main.js');
const TOTAL = 1000;
const CONCURRENCY = 4;

interface Gateway { child: ChildProcess; url: string; exited: Promise<void> }

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

async function startGateway(dir: string, n: number): Promise<Gateway> {
  const log = join(dir, `gateway-${n}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    stdio: ['ignore', fd, fd],
    env: {
      PATH: process.env.PATH, HOME: dir, port: '0', host: '127.0.0.1', provider: 'local', log_level: 'info',
      stack_file: join(dir, 'stack.yml'), deploy_stack: 'true', data_dir: join(dir, 'data'), async_db: join(dir, 'async.db'),
      async_retry_base: '100ms', async_retry_max: '1s', async_max_attempts: '20', async_lease: '5s', scale_from_zero: 'false',
    },
  });
  closeSync(fd);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"gateway listening"|"msg":"gateway listening"[^\n]*"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(readFileSync(log, 'utf8'));
    if (m) return { child, url: m[1] ?? m[2], exited };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function call(url: string, method = 'GET', body = ''): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, { method, agent, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 240_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const recorded = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function jobs(url: string, state: string): Promise<{ callId: string; deadReason?: string; interrupted: boolean }[]> {
  const r = await call(`${url}/system/async?function=recorder&state=${state}&limit=10000`);
  return JSON.parse(r.body);
}

describe('async durability across a gateway SIGKILL', () => {
  const dirs: string[] = [];
  const pids: number[] = [];

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  });
  afterAll(() => {
    agent.destroy();
    for (const pid of pids) try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(['retry', 'dead-letter'])('loses no request and (on-interrupt=%s) runs each one as promised', async (onInterrupt) => {
    const dir = mkdtempSync(join(tmpdir(), 'skep-async-durability-'));
    dirs.push(dir);
    const record = join(dir, 'calls.log');
    writeFileSync(join(dir, 'stack.yml'), [
      'version: 1.0', 'provider:', '  name: openfaas', 'functions:', '  recorder:', '    lang: node',
      `    handler: ${join(ROOT, 'test/fixtures/async/recorder')}`, '    image: test/recorder:latest',
      '    environment:', `      RECORD_FILE: ${record}`, '    labels:',
      `      com.skep.async.concurrency: "${CONCURRENCY}"`, `      com.skep.async.on-interrupt: ${onInterrupt}`, '',
    ].join('\n'));

    let gw = await startGateway(dir, 1);
    pids.push(gw.child.pid as number);
    await until('recorder deployed', async () => (await call(`${gw.url}/function/recorder`, 'POST', 'warm')).status === 200, 30_000);
    writeFileSync(record, '');

    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < TOTAL; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => call(`${gw.url}/async-function/recorder`, 'POST', `req ${i + j}`)));
      for (const r of batch) {
        expect(r.status).toBe(202);
        ids.push(r.headers['x-call-id'] as string);
      }
    }
    const acceptedMs = Date.now() - t0;
    // Kill the gateway hard while the queue is being worked through.
    await until('processing under way', () => recorded(record).length >= TOTAL / 4);
    const orphans = childrenOf(gw.child.pid as number);
    gw.child.kill('SIGKILL');
    await gw.exited;
    pids.push(...orphans);
    for (const pid of orphans) try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ }
    const beforeRestart = recorded(record).length;
    expect(beforeRestart).toBeLessThan(TOTAL);

    const t1 = Date.now();
    gw = await startGateway(dir, 2);
    pids.push(gw.child.pid as number);
    await until('every request settled', async () => (await jobs(gw.url, 'succeeded')).length + (await jobs(gw.url, 'dead')).length >= TOTAL);
    const settledMs = Date.now() - t1;

    const succeeded = new Set((await jobs(gw.url, 'succeeded')).map((j) => j.callId));
    const dead = await jobs(gw.url, 'dead');
    const runs = new Map<string, number>();
    for (const id of recorded(record)) runs.set(id, (runs.get(id) ?? 0) + 1);
    const twice = [...runs.values()].filter((n) => n > 1).length;
    console.log(`on-interrupt=${onInterrupt}: ${TOTAL} accepted, ${beforeRestart} runs before SIGKILL, ${succeeded.size} succeeded, ${dead.length} dead-lettered, ${twice} ran twice (accepted in ${acceptedMs} ms; restart to all settled ${settledMs} ms)`);

    for (const id of ids) expect(succeeded.has(id) || dead.some((d) => d.callId === id)).toBe(true);
    expect(succeeded.size + dead.length).toBe(TOTAL);
    for (const id of succeeded) expect(runs.get(id)).toBeGreaterThanOrEqual(1);
    expect(dead.every((d) => d.interrupted)).toBe(true);
    if (onInterrupt === 'dead-letter') {
      expect(twice).toBe(0);
      expect(dead.length).toBeLessThanOrEqual(CONCURRENCY);
      for (const d of dead) expect(runs.get(d.callId) ?? 0).toBeLessThanOrEqual(1);
    } else {
      // At least once: only calls in flight at the kill can have run twice.
      expect(dead).toHaveLength(0);
      expect(twice).toBeLessThanOrEqual(CONCURRENCY);
    }
    const done = (await call(`${gw.url}/metrics`)).body;
    expect(done).toContain('skep_async_queue_depth');
    gw.child.kill('SIGTERM');
    await gw.exited;
  }, 300_000);
});
