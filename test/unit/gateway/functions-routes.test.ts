import request from 'supertest';
import { deployment, fakeGateway } from '../../support/gateway-harness';

describe('POST /system/functions', () => {
  it('returns 202 and the function appears in the list with full status fields', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo', { labels: { a: 'b' } })).expect(202);
    const res = await request(app).get('/system/functions').expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ name: 'echo', image: 'fake/echo:latest', namespace: 'openfaas-fn', replicas: 1, availableReplicas: 1, invocationCount: 0, labels: { a: 'b' }, annotations: {} });
    for (const k of ['envProcess', 'envVars', 'constraints', 'secrets', 'limits', 'requests', 'createdAt']) expect(res.body[0]).toHaveProperty(k);
  });

  it('returns 409 when the function exists', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    const res = await request(app).post('/system/functions').send(deployment('echo')).expect(409);
    expect(res.body.code).toBe('exists');
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });

  it('treats the null maps and lists Go clients send as absent', async () => {
    const { app } = fakeGateway();
    const body = { ...deployment('echo'), labels: null, annotations: null, constraints: null, secrets: null, envVars: null };
    await request(app).post('/system/functions').send(body).expect(202);
    const res = await request(app).get('/system/function/echo').expect(200);
    expect(res.body).toMatchObject({ labels: {}, annotations: {}, secrets: [], constraints: [], envVars: {} });
  });

  it('still refuses a null image or name', async () => {
    const { app } = fakeGateway();
    const res = await request(app).post('/system/functions').send({ service: null, image: null }).expect(400);
    expect(res.body.message).toContain('service');
    expect(res.body.message).toContain('image');
  });

  it('lists every validation problem at once', async () => {
    const { app } = fakeGateway();
    const res = await request(app).post('/system/functions').send({ service: 'Bad_Name', envVars: { a: 1 }, labels: 'x' }).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('image');
    expect(res.body.message).toContain('envVars.a');
    expect(res.body.message).toContain('labels');
    expect(res.body.message).toContain('DNS label');
  });

  it.each([
    ['uppercase', 'Echo'],
    ['underscore', 'my_fn'],
    ['leading dash', '-fn'],
    ['64 characters', 'a'.repeat(64)],
  ])('rejects a name with %s', async (_why, name) => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment(name)).expect(400);
  });

  it('accepts the namespace openfaas-fn and rejects another one', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('a', { namespace: 'openfaas-fn' })).expect(202);
    await request(app).post('/system/functions').send(deployment('b', { namespace: 'other' })).expect(400);
  });

  it('returns 400 for a body that is not JSON', async () => {
    const { app } = fakeGateway();
    const res = await request(app).post('/system/functions').set('Content-Type', 'application/json').send('{nope').expect(400);
    expect(res.body.code).toBe('invalid_request');
  });

  it('returns 413 for a body over max_body_size', async () => {
    const { app } = fakeGateway({ maxBodyBytes: 1024 });
    const res = await request(app).post('/system/functions').send(deployment('big', { envVars: { x: 'y'.repeat(4096) } })).expect(413);
    expect(res.body.code).toBe('payload_too_large');
  });
});

describe('PUT /system/functions', () => {
  it('returns 202 and applies the change', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    await request(app).put('/system/functions').send(deployment('echo', { image: 'fake/echo:2' })).expect(202);
    const res = await request(app).get('/system/function/echo').expect(200);
    expect(res.body.image).toBe('fake/echo:2');
  });

  it('returns 404 for an unknown function', async () => {
    const { app } = fakeGateway();
    await request(app).put('/system/functions').send(deployment('nope')).expect(404);
  });
});

describe('DELETE /system/functions', () => {
  it('returns 202 and removes the function', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    await request(app).delete('/system/functions').send({ functionName: 'echo.openfaas-fn' }).expect(202);
    await request(app).get('/system/function/echo').expect(404);
  });

  it.each([
    ['unknown function', { functionName: 'nope' }, 404],
    ['missing functionName', {}, 400],
  ])('answers a %s with its status', async (_why, body, status) => {
    const { app } = fakeGateway();
    await request(app).delete('/system/functions').send(body).expect(status);
  });
});

describe('GET /system/function/:name', () => {
  it('accepts name.openfaas-fn and reports availableReplicas', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo', { labels: { 'com.openfaas.scale.min': '2' } })).expect(202);
    const res = await request(app).get('/system/function/echo.openfaas-fn').expect(200);
    expect(res.body).toMatchObject({ name: 'echo', replicas: 2, availableReplicas: 2, labels: { 'com.openfaas.scale.min': '2' } });
  });

  it.each(['nope', 'echo.other-ns'])('returns 404 for %s', async (ref) => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    const res = await request(app).get(`/system/function/${ref}`).expect(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('POST /system/scale-function/:name', () => {
  it('returns 202 and sets the replicas, the URL name winning over the body', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    await request(app).post('/system/scale-function/echo').send({ serviceName: 'other', replicas: 3 }).expect(202);
    expect((await request(app).get('/system/function/echo')).body.replicas).toBe(3);
  });

  it.each([
    ['negative replicas', { replicas: -1 }, 400],
    ['missing replicas', {}, 400],
    ['fractional replicas', { replicas: 1.5 }, 400],
  ])('rejects %s', async (_why, body, status) => {
    const { app } = fakeGateway();
    await request(app).post('/system/functions').send(deployment('echo')).expect(202);
    await request(app).post('/system/scale-function/echo').send(body).expect(status);
  });

  it('returns 404 for an unknown function', async () => {
    const { app } = fakeGateway();
    await request(app).post('/system/scale-function/nope').send({ replicas: 1 }).expect(404);
  });
});

describe('wrong methods and unknown paths', () => {
  it.each([
    ['patch', '/system/functions', 'GET, POST, PUT, DELETE'],
    ['post', '/system/function/echo', 'GET'],
    ['get', '/system/scale-function/echo', 'POST'],
    ['post', '/system/info', 'GET'],
    ['delete', '/system/namespaces', 'GET'],
    ['post', '/system/logs', 'GET'],
    ['patch', '/system/secrets', 'GET, POST, PUT, DELETE'],
    ['post', '/healthz', 'GET'],
  ] as const)('%s %s returns 405 with Allow', async (method, path, allow) => {
    const { app } = fakeGateway();
    const res = await request(app)[method](path).expect(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.code).toBe('method_not_allowed');
  });

  it('returns a JSON 404 for an unknown path', async () => {
    const { app } = fakeGateway();
    const res = await request(app).get('/system/nothing').expect(404);
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });
});
