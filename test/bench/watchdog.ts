/**
 * Watchdog benchmark on loopback: requests/s and p50/p99 at concurrency 1, 10 and 50 for a bare Node echo server (the
 * limit), the echoit function in inproc mode, the echo server behind http mode, and fork mode running `cat`; then idle RSS.
 * On a shared machine req/s swings with the neighbours' load, so each row also shows the CPU time the serving processes
 * spent per request (from /proc), which moves much less.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { FIXTURES, freePort, get, rssBytes, startWatchdog, waitFor } from '../support/watchdog-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const LEVELS = [1, 10, 50];
const BODY = 'hello, watchdog benchmark';
const echoit = join(FIXTURES, '..', '..', '..', 'functions', 'echoit', 'handler.js');

interface Row { target: string; c: number; rps: number; p50: number; p99: number; errors: number; cpuUs: number }
interface Target { port: number; pids: number[]; stop(): Promise<unknown> }

/** CPU time (user + system) of pid in milliseconds, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function measure(t: Target, c: number, duration = SECONDS): Promise<Omit<Row, 'target' | 'c'>> {
  const cpu0 = t.pids.reduce((a, p) => a + cpuMs(p), 0);
  const r = await autocannon({ url: `http://127.0.0.1:${t.port}/`, connections: c, duration, method: 'POST', body: BODY, headers: { 'content-type': 'text/plain' } });
  const cpu = t.pids.reduce((a, p) => a + cpuMs(p), 0) - cpu0;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs: (1000 * cpu) / Math.max(1, r.requests.total) };
}

async function bareServer(): Promise<Target> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(FIXTURES, 'echo-server.js')], { env: { PATH: process.env.PATH, UP_PORT: String(port) }, stdio: 'ignore' });
  await waitFor(async () => (await get(port, '/')).status === 200, 'bare echo server');
  return { port, pids: [proc.pid as number], stop: async () => proc.kill() };
}

async function watchdog(env: Record<string, string>): Promise<Target> {
  const wd = await startWatchdog(env);
  const child = wd.lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; pid?: number }) : {})).find((l) => l.msg === 'started function process');
  return { port: wd.port, pids: child?.pid ? [wd.pid, child.pid] : [wd.pid], stop: () => wd.stop() };
}

async function echoBehindHttp(): Promise<Target> {
  const up = await freePort();
  const fprocess = `${process.execPath} ${join(FIXTURES, 'echo-server.js')}`;
  return watchdog({ mode: 'http', fprocess, upstream_url: `http://127.0.0.1:${up}`, UP_PORT: String(up), prefix_logs: 'false' });
}

/** Runs every target at every concurrency, prints the table with ratios to the bare server, then idle RSS. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  const targets: [string, () => Promise<Target>][] = [
    ['bare node echo', bareServer],
    ['inproc (node template echoit)', () => watchdog({ mode: 'inproc', handler_path: echoit })],
    ['http mode -> echo server', echoBehindHttp],
    ['fork mode: cat', () => watchdog({ mode: 'fork', fprocess: 'cat' })],
  ];
  for (const [target, start] of targets) {
    const t = await start();
    try {
      await measure(t, 10, 1); // warm-up, not counted
      for (const c of LEVELS) rows.push({ target, c, ...(await measure(t, c)) });
    } finally {
      await t.stop();
    }
  }
  printTable(rows);
  await idleRss();
}

function printTable(rows: Row[]): void {
  const bareAt = new Map(rows.filter((r) => r.target === 'bare node echo').map((r) => [r.c, r]));
  console.log(`POST ${BODY.length}-byte body, ${SECONDS} s per cell (autocannon), loopback. ratio = req/s vs the bare server at the same c;`);
  console.log('cpu = CPU µs per request of the serving processes (watchdog + function process for http; fork children not counted)');
  const cols: [string, number][] = [['target', 32], ['c', 4], ['req/s', 9], ['p50 ms', 8], ['p99 ms', 8], ['ratio', 7], ['cpu µs', 8], ['vs bare', 8], ['errors', 7]];
  console.log(cols.map(([n, w], i) => (i === 0 ? n.padEnd(w) : n.padStart(w))).join(''));
  for (const r of rows) {
    const bare = bareAt.get(r.c);
    const cells = [r.target, r.c, r.rps.toFixed(0), r.p50, r.p99, `${Math.round((100 * r.rps) / (bare?.rps || 1))}%`, r.cpuUs.toFixed(0), `${((bare?.cpuUs || 1) / (r.cpuUs || 1) * 100).toFixed(0)}%`, r.errors];
    console.log(cells.map((v, i) => (i === 0 ? String(v).padEnd(cols[i][1]) : String(v).padStart(cols[i][1]))).join(''));
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
