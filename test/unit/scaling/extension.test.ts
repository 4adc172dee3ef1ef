import request from 'supertest';
import { testConfig } from '../../../gateway/src/config';
import { scalingExtension } from '../../../gateway/src/scaling/extension';
import { deployment, fakeGateway, upstream, type Upstream } from '../../support/gateway-harness';

describe('scaling extension', () => {
  let fn: Upstream;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    fn = await upstream((_req, res) => void setTimeout(() => res.end('hi'), 5));
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
  afterAll(() => fn.close());

  function gateway(over: Parameters<typeof testConfig>[0] = {}) {
    const config = testConfig({ logLevel: 'silent', ...over });
    const ext = scalingExtension(config);
    const gw = fakeGateway(config, { extensions: [ext] });
    closers.push(() => gw.app.close());
    return { ...gw, ext };
  }

  describe('GET /function/:name at zero', () => {
    it('answers every concurrent call with 200 after one scale-up', async () => {
      const { app, provider } = gateway();
      await request(app).post('/system/functions').send(deployment('sleepy', { labels: { 'com.openfaas.scale.min': '0' } })).expect(202);
      provider.setEndpoints('sleepy', [{ id: 'a', url: fn.url }]);
      expect((await provider.status('sleepy')).replicas).toBe(0);
      const results = await Promise.all(Array.from({ length: 30 }, () => request(app).get('/function/sleepy')));
      expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
      expect(results.every((r) => r.text === 'hi')).toBe(true);
      const events = (await request(app).get('/system/scale-events').expect(200)).body;
      expect(events).toEqual([expect.objectContaining({ function: 'sleepy', from: 0, to: 1, reason: 'zero' })]);
    });

    it('answers 503 at once when scale_from_zero is off', async () => {
      const { app } = gateway({ scaleFromZero: false });
      await request(app).post('/system/functions').send(deployment('sleepy', { labels: { 'com.openfaas.scale.min': '0' } })).expect(202);
      const res = await request(app).get('/function/sleepy').expect(503);
      expect(res.headers['retry-after']).toBeDefined();
    });
  });

  describe('POST /system/scale-function/:name', () => {
    it('returns 400 for 0 replicas when the function does not allow zero', async () => {
      const { app } = gateway();
      await request(app).post('/system/functions').send(deployment('echo')).expect(202);
      const res = await request(app).post('/system/scale-function/echo').send({ replicas: 0 }).expect(400);
      expect(res.body.message).toContain('com.openfaas.scale.zero=true');
    });

    it.each([
      [{ 'com.openfaas.scale.zero': 'true' }],
      [{ 'com.openfaas.scale.min': '0' }],
    ])('scales to 0 a function labelled %j and records a manual event', async (labels) => {
      const { app } = gateway();
      await request(app).post('/system/functions').send(deployment('echo', { labels })).expect(202);
      await request(app).post('/system/scale-function/echo').send({ replicas: 3 }).expect(202);
      await request(app).post('/system/scale-function/echo').send({ replicas: 0 }).expect(202);
      const events = (await request(app).get('/system/scale-events?function=echo').expect(200)).body;
      expect(events.map((e: { from: number; to: number; reason: string }) => [e.from, e.to, e.reason]).slice(0, 2)).toEqual([[3, 0, 'manual'], [expect.any(Number), 3, 'manual']]);
    });
  });

  describe('GET /system/scale-events', () => {
    it('rejects a bad limit', async () => {
      const { app } = gateway();
      await request(app).get('/system/scale-events?limit=0').expect(400);
    });
  });

  describe('POST /system/alert', () => {
    const credentials = { user: 'admin', password: 'secret' };
    it('is behind basic auth like every /system route', async () => {
      const gw = fakeGateway(testConfig({ logLevel: 'silent', basicAuth: true }), { credentials, extensions: [scalingExtension(testConfig({ logLevel: 'silent' }))] });
      closers.push(() => gw.app.close());
      await request(gw.app).post('/system/alert').send({ status: 'firing', alerts: [] }).expect(401);
      await request(gw.app).post('/system/alert').auth('admin', 'secret').send({ status: 'firing', alerts: [] }).expect(200);
    });

    it('scales through the app and exports the decision metric', async () => {
      const { app } = gateway();
      await request(app).post('/system/functions').send(deployment('echo')).expect(202);
      const res = await request(app).post('/system/alert').send({ status: 'firing', alerts: [{ status: 'firing', labels: { function_name: 'echo' } }] }).expect(200);
      expect(res.body.results[0]).toMatchObject({ action: 'scaled', from: 1, to: 5 });
      const metrics = (await request(app).get('/metrics')).text;
      expect(metrics).toContain('skep_scale_decisions_total{function_name="echo",reason="alert"} 1');
      expect(metrics).toContain('skep_function_desired_replicas{function_name="echo"} 5');
    });
  });
});
