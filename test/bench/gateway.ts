/**
 * Gateway bench: the echoit function called directly (its watchdog), through the gateway with each proxy engine
 * (`node`, `http-proxy-3`) and through a bare http-proxy-3 server, at concurrency 1, 10 and 50 on loopback;
 * plus the gateway's idle RSS.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = __dirname.split(/[\\/]/).includes('dist') ? resolve(__dirname, '../../..') : resolve(__dirname, '../..');
const BODY = 'hello from the bench';

function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`not started: ${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); res({ child, match: m }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`exited with ${code}: ${out}`)); });
  });
}

/** The loopback port of the gateway child replica that runs `handler` (read from /proc: the bench's own children). */
function replicaPort(gatewayPid: number, handler: string): number {
  for (const pid of readFileSync(`/proc/${gatewayPid}/task/${gatewayPid}/children`, 'utf8').trim().split(/\s+/)) {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    if (env.some((e) => e.startsWith('handler_path=') && e.includes(handler))) return Number(env.find((e) => e.startsWith('port='))!.slice(5));
  }
  throw new Error(`no replica runs ${handler}`);
}

/** CPU time (user + system) a process has used, in ms (from /proc, 10 ms ticks). */
const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

const rss = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Sequential keep-alive calls timed with hrtime: sub-millisecond p50/p99 at concurrency 1. */
async function serialLatency(url: string, n: number): Promise<{ rps: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await new Promise<void>((res, rej) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'text/plain' } }, (r) => { r.resume(); r.on('end', () => res()); });
      req.on('error', rej);
      req.end(BODY);
    });
    times.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { rps: (n / total) * 1000, p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}

async function cannon(url: string, connections: number, seconds: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const r = await autocannon({ url, connections, duration: seconds, method: 'POST', body: BODY, headers: { 'content-type': 'text/plain' } });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const fmt = (x: number, d = 2) => x.toFixed(d).padStart(8);

/** A stack file holding only echoit, so the second gateway starts one replica. */
function echoStack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skep-bench-'));
  writeFileSync(join(dir, 'stack.yml'), `functions:\n  echoit:\n    lang: node\n    handler: ${resolve(ROOT, 'functions/echoit')}\n    image: skep/echoit:latest\n`);
  return join(dir, 'stack.yml');
}

async function compare(targets: [string, string, number | undefined][]): Promise<void> {
  console.log('target          conc      req/s   p50 ms   p99 ms   vs direct');
  for (const [, url] of targets) await cannon(url, 10, 1); // warm-up
  let base = 0;
  for (const [name, url] of targets) {
    const r = await serialLatency(url, 2000);
    if (name === 'direct') base = r.p50;
    console.log(`${name.padEnd(15)} ${'1'.padStart(4)} ${fmt(r.rps, 0)} ${fmt(r.p50, 3)} ${fmt(r.p99, 3)}   +${((r.p50 - base) * 1000).toFixed(0)} µs at p50`);
  }
  for (const c of [10, 50]) {
    for (const [name, url, pid] of targets) {
      const cpu0 = pid ? cpuMs(pid) : 0;
      const r = await cannon(url, c, 3);
      const cpu = pid ? `, proxy CPU ${(((cpuMs(pid) - cpu0) * 1000) / (r.rps * 3)).toFixed(0)} µs/call` : '';
      if (name === 'direct') base = r.rps;
      console.log(`${name.padEnd(15)} ${String(c).padStart(4)} ${fmt(r.rps, 0)} ${fmt(r.p50, 0)} ${fmt(r.p99, 0)}   ${((r.rps / base) * 100).toFixed(0)}% of direct throughput${cpu}${r.errors ? ` (${r.errors} errors)` : ''}`);
    }
  }
}

/** Runs the bench and prints a table. */
export async function run(): Promise<void> {
  const main = resolve(ROOT, 'dist/gateway/src/main.js');
  const stack = echoStack();
  const children: ChildProcess[] = [];
  try {
    const gw = await startProcess([main], { port: '0', log_level: 'warn', stack_file: resolve(ROOT, 'functions/stack.yml') }, /Skep gateway on (\S+) with/);
    children.push(gw.child);
    await new Promise((r) => setTimeout(r, 1500));
    console.log(`gateway idle RSS with the 7 sample functions deployed: ${rss(gw.child.pid!).toFixed(1)} MB (goal < 80 MB)`);
    const gwHp3 = await startProcess([main], { port: '0', log_level: 'warn', stack_file: stack, proxy_engine: 'http-proxy-3', scale_from_zero: 'false' }, /Skep gateway on (\S+) with/);
    children.push(gwHp3.child);
    const direct = `http://127.0.0.1:${replicaPort(gw.child.pid!, 'echoit')}`;
    const hp3 = await startProcess([resolve(ROOT, 'dist/test/bench/_http-proxy-3.js')], { TARGET: direct }, /listening on (\d+)/);
    children.push(hp3.child);
    await compare([
      ['direct', `${direct}/`, undefined],
      ['gateway', `${gw.match[1]}/function/echoit`, gw.child.pid],
      ['gateway (hp3)', `${gwHp3.match[1]}/function/echoit`, gwHp3.child.pid],
      ['bare hp3', `http://127.0.0.1:${hp3.match[1]}/function/echoit`, hp3.child.pid],
    ]);
    console.log(`gateway RSS after the load: ${rss(gw.child.pid!).toFixed(1)} MB; load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  } finally {
    for (const c of children.reverse()) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
    }
    rmSync(resolve(stack, '..'), { recursive: true, force: true });
  }
}

if (require.main === module) void run();
