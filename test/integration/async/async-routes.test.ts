import type { IncomingHttpHeaders } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { asyncExtension, AsyncExtension } from '../../../gateway/src/async/extension';
import { SqliteQueue } from '../../../gateway/src/async/sqlite-queue';
import { testConfig } from '../../../gateway/src/config';
import { deployment, listen, upstream, Upstream } from '../../support/gateway-harness';
import { FakeProvider } from '../../../gateway/src/providers/fake/fake-provider';
import { buildApp, GatewayApp } from '../../../gateway/src/app';

async function until<T>(f: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('async routes', () => {
  const auth = { user: 'admin', password: 's3cret' };
  let app: GatewayApp;
  let provider: FakeProvider;
  let ext: AsyncExtension;
  let gw: Upstream;
  let fnServer: Upstream;
  let cbServer: Upstream;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const callbacks: { headers: IncomingHttpHeaders; body: string }[] = [];
  let failing = true;
  let failHost = '';
  let failServer: Upstream;

  beforeEach(async () => {
    seen.length = 0;
    callbacks.length = 0;
    failing = true;
    const config = testConfig({ logLevel: 'silent', basicAuth: true, asyncRetryBaseMs: 10, asyncRetryMaxMs: 50 });
    const queue = new SqliteQueue(':memory:', { leaseMs: 1000 });
    provider = new FakeProvider();
    ext = asyncExtension(config, provider, pino({ level: 'silent' }), queue);
    app = buildApp({ config, provider, logger: pino({ level: 'silent' }), credentials: auth, extensions: [ext] });
    fnServer = await upstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.headers.host === failHost && failing) return void res.writeHead(500).end('boom');
        res.writeHead(200, { 'content-type': 'text/plain', 'x-from-fn': '1' }).end(`got:${Buffer.concat(chunks).toString()}`);
      });
    });
    cbServer = await upstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        callbacks.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    // The same handler serves both functions; calls reaching it by the second address fail while `failing` is set.
    failServer = await upstream((req, res) => fnServer.server.emit('request', req, res));
    failHost = new URL(failServer.url).host;
    for (const name of ['echo', 'fail']) {
      await provider.deploy(deployment(name, name === 'fail' ? { labels: { 'com.skep.async.max-attempts': '2' } } : {}));
      provider.setEndpoints(name, [{ id: `${name}-0`, url: name === 'fail' ? failServer.url : fnServer.url }]);
    }
    gw = await listen(app);
    ext.listening(gw.url);
  });

  afterEach(async () => {
    await app.close();
    await gw.close();
    await fnServer.close();
    await failServer.close();
    await cbServer.close();
  });

  const state = (id: string) => until(async () => {
    const r = await request(app).get(`/system/async/${id}`).auth(auth.user, auth.password);
    return ['succeeded', 'failed', 'dead'].includes(r.body.state) ? r.body : null;
  });

  describe('POST /async-function/:name', () => {
    it('answers 202 with X-Call-Id and an empty body, then runs the call through /function/<name>', async () => {
      const r = await request(app).post('/async-function/echo').set('content-type', 'text/plain').send('hello');
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
      const id = r.headers['x-call-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await state(id)).toMatchObject({ callId: id, function: 'echo', state: 'succeeded', attempts: 1, lastStatus: 200 });
      expect(seen[0]).toMatchObject({ method: 'POST', body: 'hello', headers: expect.objectContaining({ 'x-call-id': id }) });
    });

    it('keeps any method, the sub-path and the query', async () => {
      const r = await request(app).delete('/async-function/echo.openfaas-fn/a/b?x=1&y=2');
      expect(r.status).toBe(202);
      await state(r.headers['x-call-id']);
      expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/a/b?x=1&y=2' });
    });

    it('answers 404 at once for an unknown function', async () => {
      const r = await request(app).post('/async-function/nope').send('x');
      expect(r.status).toBe(404);
      expect(r.headers['x-skep-internal']).toBe('gateway');
      expect(r.body).toMatchObject({ code: 'not_found' });
    });

    it.each(['not a url', 'ftp://example.com/x'])('answers 400 for X-Callback-Url %p', async (url) => {
      const r = await request(app).post('/async-function/echo').set('X-Callback-Url', url).send('x');
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('X-Callback-Url');
    });

    it('returns the first call id for a repeated X-Idempotency-Key', async () => {
      const a = await request(app).post('/async-function/echo').set('X-Idempotency-Key', 'order-42').send('1');
      const b = await request(app).post('/async-function/echo').set('X-Idempotency-Key', 'order-42').send('2');
      expect(b.status).toBe(202);
      expect(b.headers['x-call-id']).toBe(a.headers['x-call-id']);
      expect(b.headers['x-skep-idempotent-replay']).toBe('true');
      await state(a.headers['x-call-id']);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toHaveLength(1);
    });

    it('POSTs the result to X-Callback-Url with the function headers and the call headers', async () => {
      const r = await request(app).post('/async-function/echo').set('X-Callback-Url', `${cbServer.url}/done`).send('cb');
      const id = r.headers['x-call-id'];
      await until(async () => callbacks.length === 1);
      expect(callbacks[0].body).toBe('got:cb');
      expect(callbacks[0].headers).toMatchObject({ 'x-call-id': id, 'x-function-status': '200', 'x-function-name': 'echo', 'x-from-fn': '1', 'x-duration-seconds': expect.stringMatching(/^\d+\.\d{6}$/) });
    });
  });

  describe('/system/async', () => {
    it('requires basic auth', async () => {
      expect((await request(app).get('/system/async')).status).toBe(401);
      expect((await request(app).get('/system/async/dead')).status).toBe(401);
    });

    it('lists by function and state and rejects an unknown state', async () => {
      const a = (await request(app).post('/async-function/echo').send('1')).headers['x-call-id'];
      await state(a);
      const list = await request(app).get('/system/async?function=echo&state=succeeded').auth(auth.user, auth.password);
      expect(list.body.map((j: { callId: string }) => j.callId)).toEqual([a]);
      expect((await request(app).get('/system/async?function=fail').auth(auth.user, auth.password)).body).toEqual([]);
      expect((await request(app).get('/system/async?state=lost').auth(auth.user, auth.password)).status).toBe(400);
      expect((await request(app).get('/system/async/no-such-id').auth(auth.user, auth.password)).status).toBe(404);
    });

    it('dead-letters after max attempts, then lists, inspects, redrives and purges', async () => {
      const id = (await request(app).post('/async-function/fail').set('x-mine', 'm').send('payload')).headers['x-call-id'];
      expect(await state(id)).toMatchObject({ state: 'dead', attempts: 2, lastStatus: 500, deadReason: expect.stringContaining('2 attempts') });
      const dead = await request(app).get('/system/async/dead?function=fail').auth(auth.user, auth.password);
      expect(dead.body.map((j: { callId: string }) => j.callId)).toEqual([id]);
      const one = await request(app).get(`/system/async/dead/${id}`).auth(auth.user, auth.password);
      expect(one.body).toMatchObject({ callId: id, headers: expect.objectContaining({ 'x-mine': 'm' }), body: Buffer.from('payload').toString('base64') });
      failing = false;
      const re = await request(app).post(`/system/async/dead/${id}/redrive`).auth(auth.user, auth.password);
      expect(re.status).toBe(202);
      expect(await state(id)).toMatchObject({ state: 'succeeded', attempts: 1 });
      expect((await request(app).post(`/system/async/dead/${id}/redrive`).auth(auth.user, auth.password)).status).toBe(404);
      failing = true;
      const id2 = (await request(app).post('/async-function/fail').send('again')).headers['x-call-id'];
      await state(id2);
      const purged = await request(app).delete('/system/async/dead?function=fail').auth(auth.user, auth.password);
      expect(purged.body).toEqual({ purged: 1 });
      expect((await request(app).get(`/system/async/${id2}`).auth(auth.user, auth.password)).status).toBe(404);
    });

    it('exports queue metrics', async () => {
      await state((await request(app).post('/async-function/echo').send('m')).headers['x-call-id']);
      const m = await request(app).get('/metrics');
      expect(m.text).toContain('skep_async_accepted_total{function_name="echo"} 1');
      expect(m.text).toContain('skep_async_attempts_total{function_name="echo",code="200"} 1');
      expect(m.text).toContain('skep_async_queue_seconds_count{function_name="echo"} 1');
      expect(m.text).toContain('# TYPE skep_async_queue_depth gauge');
    });
  });
});
