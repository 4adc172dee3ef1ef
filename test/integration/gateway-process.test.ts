import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';

const MAIN = resolve(__dirname, '../../dist/gateway/src/main.js');
if (!existsSync(MAIN)) throw new Error('dist/gateway/src/main.js is missing: run `npm run build` first (npm test does)');

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const childrenOf = (pid: number): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts `npm start`'s program on a free port and waits for its "Try:" line. */
function startGateway(): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, HOME: process.env.HOME, port: '0', log_level: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /Skep gateway on (\S+) with[\s\S]*Try: /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1], out: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${out}`)));
  });
}

/** Posts `total` bytes to echoit without holding them, and counts the bytes echoed back. */
function stream(url: string, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 97);
  let sent = 0;
  const body = new Readable({ read() { sent += chunk.length; this.push(sent > total ? null : chunk); } });
  return new Promise<number>((res, rej) => {
    const req = httpRequest(`${url}/function/echoit`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' } }, (r) => {
      let n = 0;
      r.on('data', (c: Buffer) => (n += c.length));
      r.on('end', () => res(n));
    });
    req.on('error', rej);
    body.pipe(req);
  });
}

describe('npm start (the gateway process with the local provider)', () => {
  let gw: Awaited<ReturnType<typeof startGateway>> | undefined;
  // SIGTERM, not SIGKILL: a killed gateway would leave its replicas running.
  afterEach(async () => {
    if (!gw || gw.child.exitCode !== null || gw.child.signalCode !== null) return;
    const exited = new Promise((r) => gw!.child.once('exit', r));
    gw.child.kill('SIGTERM');
    await exited;
  }, 30_000);

  it('deploys the sample functions, streams 50 MB with flat memory, and leaves nothing running after SIGTERM', async () => {
    gw = await startGateway();
    const pid = gw.child.pid!;
    const hello = await fetch(`${gw.url}/function/echoit`, { method: 'POST', body: 'hello', headers: { 'Content-Type': 'text/plain' } });
    expect(await hello.text()).toBe('hello');

    await stream(gw.url, 20 * 1024 * 1024); // warm-up: the first large call grows the heap once
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    const received = await stream(gw.url, 50 * 1024 * 1024);
    clearInterval(sampler);
    expect(received).toBe(50 * 1024 * 1024);
    // 50 MB went in and 50 MB came back; the gateway holds only socket buffers and not-yet-collected chunks.
    expect(peak - before).toBeLessThan(25 * 1024 * 1024);

    const replicas = childrenOf(pid);
    expect(replicas.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => gw!.child.once('exit', (code) => r(code)));
    gw.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(replicas.filter(alive)).toEqual([]);
  }, 120_000);

  // Regression: tsc dropped the parentheses of `new (require(...) as T).X()`, so the compiled gateway crashed at start.
  it('builds the http-proxy-3 engine from the compiled code', () => {
    const { Invoker } = require(resolve(__dirname, '../../dist/gateway/src/proxy/invoker.js')) as typeof import('../../gateway/src/proxy/invoker');
    const invoker = new Invoker({ provider: {} as never, upstreamTimeoutMs: 1000, maxBodyBytes: 1, engine: 'http-proxy-3' });
    invoker.close();
  });

  it('stops its replicas even when the gateway itself is killed with SIGKILL', async () => {
    gw = await startGateway();
    const replicas = childrenOf(gw.child.pid!);
    expect(replicas.length).toBeGreaterThan(0);
    const exited = new Promise((r) => gw!.child.once('exit', r));
    gw.child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 20_000;
    while (replicas.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(replicas.filter(alive)).toEqual([]);
  }, 90_000);
});
