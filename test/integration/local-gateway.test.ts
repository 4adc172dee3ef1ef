import { Agent, request as httpRequest } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { buildApp, GatewayApp } from '../../gateway/src/app';
import { testConfig } from '../../gateway/src/config';
import type { LocalProvider } from '../../gateway/src/providers/local/local-provider';
import { eventually } from '../support/provider-contract';
import { listen } from '../support/gateway-harness';
import { localProvider, watchdogBuilt } from '../support/local-harness';

if (!watchdogBuilt()) throw new Error('dist/watchdog/src/main.js is missing: run `npm run build` first (npm test does)');

const get = (url: string, agent: Agent): Promise<string> => new Promise((resolve, reject) => {
  httpRequest(url, { agent }, (res) => {
    let t = '';
    res.on('data', (c) => (t += c));
    res.on('end', () => resolve(t));
  }).on('error', reject).end();
});

describe('gateway on the local provider (real watchdog replicas)', () => {
  let provider: LocalProvider;
  let app: GatewayApp;
  beforeEach(async () => {
    provider = await localProvider();
    app = buildApp({ config: testConfig({ upstreamTimeoutMs: 1500 }), provider, logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await app.close();
    await provider.close();
  });
  const deploy = (service: string, extra: object = {}) => request(app).post('/system/functions').send({ service, image: 'test/pid:latest', ...extra }).expect(202);
  const readyCount = (fn: string, n: number) => eventually(async () => (await provider.status(fn)).availableReplicas === n, 15_000);

  it('spreads one keep-alive client over 3 replicas', async () => {
    await deploy('pid', { labels: { 'com.openfaas.scale.min': '3' } });
    expect(await readyCount('pid', 3)).toBe(true);
    const gw = await listen(app);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const pids = new Map<number, number>();
      for (let i = 0; i < 30; i++) {
        const { pid } = JSON.parse(await get(`${gw.url}/function/pid`, agent)) as { pid: number };
        pids.set(pid, (pids.get(pid) ?? 0) + 1);
      }
      expect(pids.size).toBe(3);
      for (const n of pids.values()) expect(n).toBeGreaterThanOrEqual(5);
    } finally {
      agent.destroy();
      await gw.close();
    }
  }, 30_000);

  it('restarts a crashed replica, which serves again once ready', async () => {
    await deploy('pid');
    expect(await readyCount('pid', 1)).toBe(true);
    const [before] = provider.pids('pid');
    process.kill(before, 'SIGKILL');
    const restarted = await eventually(async () => {
      const [now] = provider.pids('pid');
      return now && now !== before && (await provider.status('pid')).availableReplicas === 1;
    }, 15_000);
    expect(restarted).toBe(true);
    const res = await request(app).get('/function/pid').expect(200);
    expect(res.body.pid).not.toBe(before);
    const logs = await request(app).get('/system/logs?name=pid').expect(200);
    expect(logs.text).toContain('restarting');
  }, 30_000);

  it('follows the logs of a function while it is called', async () => {
    await deploy('pid');
    expect(await readyCount('pid', 1)).toBe(true);
    const gw = await listen(app);
    try {
      const ac = new AbortController();
      const res = await fetch(`${gw.url}/system/logs?name=pid&follow=true&tail=1`, { signal: ac.signal });
      const reader = res.body!.getReader();
      let seen = '';
      await request(app).post('/function/pid').set('Content-Type', 'text/plain').send('marker-42').expect(200);
      for (let i = 0; i < 50 && !seen.includes('marker-42'); i++) seen += new TextDecoder().decode((await reader.read()).value);
      expect(seen).toContain('called with marker-42');
      ac.abort();
    } finally {
      await gw.close();
    }
  }, 30_000);

  it('gives a function its secrets as owner-only files', async () => {
    await request(app).post('/system/secrets').send({ name: 'api-key', value: 'open sesame' }).expect(201);
    await deploy('pid', { secrets: ['api-key'] });
    expect(await readyCount('pid', 1)).toBe(true);
    const res = await request(app).get('/function/pid?secret=api-key').expect(200);
    expect(res.body).toEqual({ value: 'open sesame', mode: '600', dirMode: '700' });
    await request(app).delete('/system/secrets').send({ name: 'api-key' }).expect(409);
    await request(app).delete('/system/functions').send({ functionName: 'pid' }).expect(202);
    await request(app).delete('/system/secrets').send({ name: 'api-key' }).expect(200);
  }, 30_000);

  it('answers 504 past upstream_timeout, 404 for an unknown function and 503 with no replica', async () => {
    await deploy('pid');
    expect(await readyCount('pid', 1)).toBe(true);
    expect((await request(app).get('/function/pid?sleep=4000').expect(504)).body.code).toBe('timeout');
    expect((await request(app).get('/function/nope').expect(404)).body.code).toBe('not_found');
    await provider.scale('pid', 0);
    expect((await request(app).get('/function/pid').expect(503)).body.code).toBe('no_replica');
  }, 30_000);

  it('refuses an image outside the catalog without envProcess, naming the catalog', async () => {
    const res = await request(app).post('/system/functions').send({ service: 'x', image: 'nope/nope' }).expect(400);
    expect(res.body.message).toContain('test/pid:latest');
  });
});
