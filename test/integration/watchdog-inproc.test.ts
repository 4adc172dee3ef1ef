import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, FIXTURES, get, startWatchdog, waitFor, WatchdogProcess } from '../support/watchdog-process';

const handler = join(FIXTURES, 'handler.js');
/** A path for /hold requests: they answer once a file is written there. */
const releaseFile = (): string => join(mkdtempSync(join(tmpdir(), 'skep-hold-')), 'release');

describe('watchdog inproc mode', () => {
  let wd: WatchdogProcess;
  beforeAll(async () => {
    wd = await startWatchdog({ mode: 'inproc', handler_path: handler, exec_timeout: '3s' });
  });
  afterAll(async () => {
    await wd?.stop();
  });

  it('passes a structured result through with its status, headers and body', async () => {
    const r = await call(wd.port, 'POST', '/structured?a=1&b=2', '{"x":1}', { 'content-type': 'application/json' });
    expect(r.status).toBe(201);
    expect(r.headers['x-fn']).toBe('yes');
    expect(r.headers['content-type']).toBe('application/vnd.test+json');
    expect(JSON.parse(r.body)).toEqual({ body: { x: 1 }, query: { a: '1', b: '2' }, method: 'POST' });
    expect(Number(r.headers['x-duration-seconds'])).toBeGreaterThanOrEqual(0);
    expect(r.headers['x-skep-internal']).toBeUndefined();
  });

  it.each([
    ['/text', 200, 'hello', 'text/plain; charset=utf-8'],
    ['/context', 418, 'teapot', 'text/plain; charset=utf-8'],
  ])('answers %s with %d', async (path, status, body, type) => {
    const r = await get(wd.port, path);
    expect([r.status, r.body, r.headers['content-type']]).toEqual([status, body, type]);
  });

  it('echoes a binary body byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const r = await call(wd.port, 'POST', '/', bytes, { 'content-type': 'application/octet-stream' });
    expect(r.status).toBe(200);
    expect(r.raw.equals(bytes)).toBe(true);
    expect(r.headers['content-type']).toBe('application/octet-stream');
  });

  it('answers 500 with the message and the internal header when the handler throws', async () => {
    const r = await get(wd.port, '/throw');
    expect(r.status).toBe(500);
    expect(r.headers['x-skep-internal']).toBe('watchdog');
    expect(JSON.parse(r.body)).toEqual({ code: 'function_error', message: 'the handler failed: boom from handler' });
  });

  it('answers 400 when a JSON body does not parse', async () => {
    const r = await call(wd.port, 'POST', '/', '{nope', { 'content-type': 'application/json' });
    expect([r.status, r.headers['x-skep-internal']]).toEqual([400, 'watchdog']);
  });

  it('answers 504 after exec_timeout and aborts the handler signal', async () => {
    const r = await get(wd.port, '/sleep?ms=20000');
    expect(r.status).toBe(504);
    expect(r.headers['x-skep-internal']).toBe('watchdog');
    expect(JSON.parse(r.body).code).toBe('timeout');
  });

  it('writes the lock file once ready', () => {
    expect(existsSync(wd.lockPath)).toBe(true);
  });

  it('exposes the OpenFaaS watchdog metrics and process metrics', async () => {
    await get(wd.port, '/text');
    const m = await get(wd.metricsPort, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/http_requests_total\{code="200",method="get"\} \d+/);
    expect(m.body).toMatch(/http_request_duration_seconds_bucket\{le="0.005",code="200",method="get"\} \d+/);
    expect(m.body).toContain('http_requests_total{code="504",method="get"} 1');
    expect(m.body).toMatch(/http_requests_in_flight \d+/);
    expect(m.body).toContain('process_resident_memory_bytes');
  });

  it('answers 405 to a POST on /_/health', async () => {
    const r = await call(wd.port, 'POST', '/_/health');
    expect([r.status, r.headers['x-skep-internal']]).toEqual([405, 'watchdog']);
  });
});

describe('watchdog max_inflight', () => {
  it('answers 429 at once above the limit, and /_/ready says 429 too', async () => {
    const wd = await startWatchdog({ mode: 'inproc', handler_path: handler, max_inflight: '1' });
    try {
      const release = releaseFile();
      const slow = get(wd.port, `/hold?file=${release}`);
      await waitFor(async () => (await get(wd.port, '/_/ready')).status === 429, 'one request in flight');
      const r = await get(wd.port, '/text');
      expect(r.status).toBe(429);
      expect(r.headers['x-skep-internal']).toBe('watchdog');
      expect(JSON.parse(r.body)).toEqual({ code: 'busy', message: 'Concurrent request limit exceeded. Max concurrent requests: 1' });
      writeFileSync(release, '');
      expect((await slow).status).toBe(200);
      expect((await get(wd.port, '/text')).status).toBe(200);
    } finally {
      await wd.stop();
    }
  });
});

describe('watchdog SIGTERM', () => {
  it('finishes every in-flight request, removes the lock file and exits 0', async () => {
    const wd = await startWatchdog({ mode: 'inproc', handler_path: handler, max_inflight: '5' });
    const release = releaseFile();
    const pending = Array.from({ length: 5 }, () => get(wd.port, `/hold?file=${release}`));
    await waitFor(async () => (await get(wd.port, '/_/ready')).status === 429, 'five requests in flight');
    wd.proc.kill('SIGTERM');
    await waitFor(() => !existsSync(wd.lockPath), 'lock file removed');
    writeFileSync(release, '');
    const replies = await Promise.all(pending);
    expect(replies.map((r) => `${r.status} ${r.body}`)).toEqual(Array(5).fill('200 released'));
    expect(await wd.exited).toEqual({ code: 0, signal: null });
  });
});

describe('watchdog SIGTERM with healthcheck_interval', () => {
  it('keeps serving during the interval while /_/health says 503', async () => {
    const wd = await startWatchdog({ mode: 'inproc', handler_path: handler, healthcheck_interval: '30s', write_timeout: '40s' });
    const release = releaseFile();
    const held = get(wd.port, `/hold?file=${release}`);
    await waitFor(async () => (await get(wd.metricsPort, '/metrics')).body.includes('http_requests_in_flight 1'), 'one request in flight');
    wd.proc.kill('SIGTERM');
    await waitFor(async () => (await get(wd.port, '/_/health')).status === 503, 'health 503 while draining');
    expect((await get(wd.port, '/text')).body).toBe('hello');
    writeFileSync(release, '');
    expect((await held).status).toBe(200);
    wd.proc.kill('SIGKILL'); // the 30 s interval is not worth waiting for here
    await wd.exited;
  });
});

describe('watchdog inproc crash', () => {
  it('exits 1 when the handler throws outside any request, after logging why', async () => {
    const wd = await startWatchdog({ mode: 'inproc', handler_path: handler });
    expect((await get(wd.port, '/stray')).status).toBe(200);
    expect((await wd.exited).code).toBe(1);
    expect(wd.lines.join('\n')).toContain('uncaught exception: stray async error');
    expect(existsSync(wd.lockPath)).toBe(false);
  });
});
