import request from 'supertest';
import { deployment, fakeGateway, listen } from '../../support/gateway-harness';

describe('/system/secrets', () => {
  it('creates (201), lists names only, updates (202) and deletes (200)', async () => {
    const { app, provider } = fakeGateway();
    await request(app).post('/system/secrets').send({ name: 'api-key', value: 's3cret' }).expect(201);
    expect((await request(app).get('/system/secrets').expect(200)).body).toEqual([{ name: 'api-key', namespace: 'openfaas-fn' }]);
    await request(app).put('/system/secrets').send({ name: 'api-key', rawValue: Buffer.from('two').toString('base64') }).expect(202);
    expect(provider.secrets.get('api-key')?.rawValue).toBe('dHdv');
    await request(app).delete('/system/secrets').send({ name: 'api-key' }).expect(200);
    expect((await request(app).get('/system/secrets')).body).toEqual([]);
  });

  it.each([
    ['POST', 'an existing secret', { name: 'k', value: 'v' }, 409],
    ['POST', 'a secret without a value', { name: 'x' }, 400],
    ['POST', 'a bad secret name', { name: '../etc', value: 'v' }, 400],
    ['PUT', 'an unknown secret', { name: 'nope', value: 'v' }, 404],
    ['DELETE', 'an unknown secret', { name: 'nope' }, 404],
  ])('%s of %s answers its status', async (method, _why, body, status) => {
    const { app } = fakeGateway();
    await request(app).post('/system/secrets').send({ name: 'k', value: 'v' }).expect(201);
    await request(app)[method.toLowerCase() as 'post'](`/system/secrets`).send(body).expect(status);
  });
});

describe('GET /system/info and /system/namespaces', () => {
  it('reports the provider wrapped in the gateway version', async () => {
    const { app } = fakeGateway();
    const res = await request(app).get('/system/info').expect(200);
    expect(res.body.provider).toMatchObject({ provider: 'fake', orchestration: 'memory' });
    expect(res.body.version.release).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof res.body.arch).toBe('string');
  });

  it('reports the one namespace openfaas-fn', async () => {
    const { app } = fakeGateway();
    expect((await request(app).get('/system/namespaces').expect(200)).body).toEqual(['openfaas-fn']);
  });
});

describe('GET /healthz and /metrics', () => {
  it('answers OK', async () => {
    const { app } = fakeGateway();
    expect((await request(app).get('/healthz').expect(200)).text).toBe('OK');
  });

  it('exposes OpenFaaS metric names with the service count from the provider', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo', { labels: { 'com.openfaas.scale.min': '3' } })).expect(202);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toContain('gateway_service_count{function_name="echo"} 3');
    for (const name of ['gateway_function_invocation_total', 'gateway_functions_seconds', 'gateway_function_invocation_started', 'skep_gateway_function_inflight', 'skep_gateway_overhead_seconds']) {
      expect(res.text).toContain(`# TYPE ${name}`);
    }
  });
});

describe('GET /system/logs', () => {
  it('streams NDJSON lines filtered by tail and instance', async () => {
    const { app, provider } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    for (const i of [1, 2, 3]) provider.pushLog('echo', `line ${i}`, i === 2 ? 'echo-b' : 'echo-a');
    const res = await request(app).get('/system/logs?name=echo&tail=2').expect(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.text)).toEqual(['line 2', 'line 3']);
    const inst = await request(app).get('/system/logs?name=echo.openfaas-fn&instance=echo-b').expect(200);
    expect(inst.text.trim().split('\n').map((l) => JSON.parse(l).text)).toEqual(['line 2']);
  });

  it('follows new lines until the client goes away', async () => {
    const { app, provider } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    const gw = await listen(app);
    try {
      const ac = new AbortController();
      const res = await fetch(`${gw.url}/system/logs?name=echo&follow=true&tail=1`, { signal: ac.signal });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(JSON.parse(first.trim().split('\n')[0]).text).toBe('deployed');
      provider.pushLog('echo', 'later');
      const next = new TextDecoder().decode((await reader.read()).value);
      expect(JSON.parse(next.trim()).text).toBe('later');
      ac.abort();
    } finally {
      await gw.close();
    }
  });

  it.each([
    ['no name', '/system/logs', 400],
    ['a bad tail', '/system/logs?name=echo&tail=x', 400],
    ['a bad since', '/system/logs?name=echo&since=yesterday', 400],
    ['an unknown function', '/system/logs?name=nope', 404],
  ])('answers %s with its status', async (_why, path, status) => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    await request(app).get(path).expect(status);
  });
});
