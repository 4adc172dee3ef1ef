/**
 * Watchdog benchmark on loopback: requests/s and p50/p99 at concurrency 1, 10 and 50 for a bare Node echo server (the
 * limit), the echoit function in inproc mode, the echo server behind http mode, and fork mode running `cat`; then idle RSS.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { FIXTURES, freePort, get, rssBytes, startWatchdog, waitFor, WatchdogProcess } from '../support/watchdog-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const LEVELS = [1, 10, 50];
const BODY = 'hello, watchdog benchmark';

interface Row { target: string; c: number; rps: number; p50: number; p99: number; errors: number }

async function measure(port: number, c: number): Promise<Omit<Row, 'target' | 'c'>> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: c, duration: SECONDS, method: 'POST', body: BODY, headers: { 'content-type': 'text/plain' } });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function bareServer(): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(FIXTURES, 'echo-server.js')], { env: { PATH: process.env.PATH, UP_PORT: String(port) }, stdio: 'ignore' });
  await waitFor(async () => (await get(port, '/')).status === 200, 'bare echo server');
  return { port, proc };
}

async function echoBehindHttp(): Promise<WatchdogProcess> {
  const up = await freePort();
  const fprocess = `${process.execPath} ${join(FIXTURES, 'echo-server.js')}`;
  return startWatchdog({ mode: 'http', fprocess, upstream_url: `http://127.0.0.1:${up}`, UP_PORT: String(up), prefix_logs: 'false' });
}

const echoit = join(FIXTURES, '..', '..', '..', 'functions', 'echoit', 'handler.js');

/** Runs every target at every concurrency, prints the table with ratios to the bare server, then idle RSS. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  const bare = await bareServer();
  const targets: [string, () => Promise<{ port: number; stop(): Promise<unknown> }>][] = [
    ['bare node echo', async () => ({ port: bare.port, stop: async () => bare.proc.kill() })],
    ['inproc (node template echoit)', () => startWatchdog({ mode: 'inproc', handler_path: echoit })],
    ['http mode -> echo server', echoBehindHttp],
    ['fork mode: cat', () => startWatchdog({ mode: 'fork', fprocess: 'cat' })],
  ];
  for (const [target, start] of targets) {
    const t = await start();
    try {
      await measure(t.port, 10); // warm-up, not counted
      for (const c of LEVELS) rows.push({ target, c, ...(await measure(t.port, c)) });
    } finally {
      await t.stop();
    }
  }
  printTable(rows);
  await idleRss();
}

function printTable(rows: Row[]): void {
  const bareAt = new Map(rows.filter((r) => r.target === 'bare node echo').map((r) => [r.c, r.rps]));
  console.log(`POST ${BODY.length}-byte body, ${SECONDS} s per cell (autocannon), loopback; ratio = req/s vs the bare server at the same c`);
  console.log(`${'target'.padEnd(32)}${'c'.padStart(4)}${'req/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'ratio'.padStart(8)}${'errors'.padStart(8)}`);
  for (const r of rows) {
    const ratio = `${Math.round((100 * r.rps) / (bareAt.get(r.c) || 1))}%`;
    console.log(`${r.target.padEnd(32)}${String(r.c).padStart(4)}${r.rps.toFixed(0).padStart(10)}${String(r.p50).padStart(8)}${String(r.p99).padStart(8)}${ratio.padStart(8)}${String(r.errors).padStart(8)}`);
  }
}

async function idleRss(): Promise<void> {
  for (const [mode, env] of [['inproc', { mode: 'inproc', handler_path: echoit }], ['fork', { mode: 'fork', fprocess: 'cat' }]] as const) {
    const wd = await startWatchdog({ ...env });
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`idle watchdog RSS (${mode} mode): ${(rssBytes(wd.pid) / 1048576).toFixed(1)} MB (goal < 60 MB)`);
    await wd.stop();
  }
}
