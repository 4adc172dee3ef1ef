import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, FIXTURES, freePort, get, processGone, startWatchdog, waitFor, WatchdogProcess } from '../support/watchdog-process';

async function startHttp(extra: Record<string, string> = {}, waitReady = true): Promise<WatchdogProcess> {
  const upPort = await freePort();
  return startWatchdog({
    mode: 'http',
    fprocess: `${process.execPath} ${join(FIXTURES, 'upstream.js')}`,
    upstream_url: `http://127.0.0.1:${upPort}`,
    UP_PORT: String(upPort),
    ...extra,
  }, waitReady);
}

describe('watchdog http mode', () => {
  let wd: WatchdogProcess;
  beforeAll(async () => {
    wd = await startHttp({ exec_timeout: '3s', prefix_logs: 'false' });
  });
  afterAll(async () => {
    await wd?.stop();
  });

  it('passes status, headers (repeated ones too), path and body through untouched', async () => {
    const r = await call(wd.port, 'PUT', '/some/path?q=1', 'the body', { 'x-status': '207', host: 'fn.example' });
    expect(r.status).toBe(207);
    expect(r.body).toBe('the body');
    expect(r.headers['x-upstream']).toBe('yes');
    expect(r.headers['x-seen-path']).toBe('/some/path?q=1');
    expect(r.headers['x-seen-host']).toBe('fn.example');
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(Number(r.headers['x-duration-seconds'])).toBeGreaterThanOrEqual(0);
    expect(r.headers['x-skep-internal']).toBeUndefined();
  });

  it("passes the function's own 500 through without the internal header", async () => {
    const r = await call(wd.port, 'POST', '/', 'oops', { 'x-status': '500' });
    expect([r.status, r.body, r.headers['x-skep-internal']]).toEqual([500, 'oops', undefined]);
  });

  it('aborts the upstream call and answers 504 after exec_timeout', async () => {
    const r = await get(wd.port, '/sleep?ms=20000');
    expect([r.status, r.headers['x-skep-internal']]).toEqual([504, 'watchdog']);
  });

  it("copies the function's output lines to stdout", async () => {
    await waitFor(() => wd.lines.some((l) => /^upstream up on \d+$/.test(l)), 'upstream log line');
  });
});

describe('watchdog http mode readiness', () => {
  it('says 503 on /_/ready until the upstream answers, then 200', async () => {
    const gate = join(mkdtempSync(join(tmpdir(), 'skep-gate-')), 'open');
    const wd = await startHttp({ UP_WAIT_FILE: gate }, false);
    try {
      expect((await get(wd.port, '/_/ready')).status).toBe(503);
      expect((await get(wd.port, '/_/health')).status).toBe(503);
      expect(existsSync(wd.lockPath)).toBe(false);
      writeFileSync(gate, '');
      await waitFor(async () => (await get(wd.port, '/_/ready')).status === 200, 'ready after upstream listens');
      expect(existsSync(wd.lockPath)).toBe(true);
    } finally {
      await wd.stop();
    }
  });
});

describe('watchdog http mode crash', () => {
  it('answers 502 when the function process dies, removes the lock and exits non-zero', async () => {
    const wd = await startHttp();
    const r = await get(wd.port, '/crash');
    expect([r.status, r.headers['x-skep-internal']]).toEqual([502, 'watchdog']);
    const exit = await wd.exited;
    expect(exit.code).toBe(1);
    expect(existsSync(wd.lockPath)).toBe(false);
    expect(wd.lines.join('\n')).toContain('function process crashed');
  });
});

describe('watchdog http mode lifecycle', () => {
  it('stops the function process on SIGTERM and exits 0', async () => {
    const wd = await startHttp();
    const started = wd.lines.map((l) => JSON.parse(l.startsWith('{') ? l : '{}') as { pid?: number; msg?: string }).find((l) => l.msg === 'started function process');
    expect(started?.pid).toBeGreaterThan(0);
    expect(await wd.stop()).toEqual({ code: 0, signal: null });
    await waitFor(() => processGone(started?.pid as number), 'function process gone');
  });

  it('exits 1 with the reason when fprocess cannot start', async () => {
    const wd = await startWatchdog({ mode: 'http', fprocess: '/nonexistent/server', upstream_url: 'http://127.0.0.1:9' }, false);
    expect((await wd.exited).code).toBe(1);
    expect(wd.lines.join('\n')).toContain('spawn /nonexistent/server ENOENT');
  });

  it('forwards a body sent with Expect: 100-continue', async () => {
    const wd = await startHttp();
    try {
      const r = await call(wd.port, 'POST', '/', 'x'.repeat(5000), { expect: '100-continue', 'content-length': '5000' });
      expect([r.status, r.body.length]).toEqual([200, 5000]);
    } finally {
      await wd.stop();
    }
  });
});
