import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import request from 'supertest';
import { deployment, fakeGateway, listen, upstream, Upstream } from '../../support/gateway-harness';

const echoHeaders: Parameters<typeof upstream>[0] = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
  });
};

async function withFunction(handler: Parameters<typeof upstream>[0], config = {}) {
  const up = await upstream(handler);
  const gw = fakeGateway({ proxyEngine: engine, ...config });
  await gw.provider.deploy(deployment('echo'));
  gw.provider.setEndpoints('echo', [{ id: 'echo-0', url: up.url }]);
  return { ...gw, up };
}

let engine: 'node' | 'http-proxy-3' = 'node';

describe.each(['node', 'http-proxy-3'] as const)('/function/:name (proxy_engine=%s)', (eng) => {
  beforeAll(() => {
    engine = eng;
  });
  let up: Upstream | undefined;
  afterEach(async () => up?.close());

  it('forwards method, sub-path, query and body, adding call headers', async () => {
    const f = await withFunction(echoHeaders);
    up = f.up;
    const res = await request(f.app).put('/function/echo.openfaas-fn/a/b?x=1&y=2').set('Host', 'gw.example').send('hello').expect(200);
    expect(res.body).toMatchObject({ method: 'PUT', url: '/a/b?x=1&y=2', body: 'hello' });
    const h = res.body.headers;
    expect(h['x-call-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h['x-start-time']).toMatch(/^\d{19}$/);
    expect(h['x-forwarded-host']).toBe('gw.example');
    expect(h['x-forwarded-for']).toBeDefined();
    expect(res.headers['x-call-id']).toBe(h['x-call-id']);
    expect(res.headers['x-start-time']).toBe(h['x-start-time']);
  });

  it.each([['/function/echo', '/'], ['/function/echo?q=1', '/?q=1'], ['/function/echo/', '/']])('maps %s to upstream path %s', async (path, want) => {
    const f = await withFunction(echoHeaders);
    up = f.up;
    expect((await request(f.app).get(path).expect(200)).body.url).toBe(want);
  });

  it('drops hop-by-hop headers and those named by Connection, keeps a client X-Call-Id without echoing it', async () => {
    const f = await withFunction(echoHeaders);
    up = f.up;
    const res = await request(f.app).post('/function/echo').set('Connection', 'X-Private').set('X-Private', '1').set('Proxy-Authorization', 'x').set('Te', 'trailers').set('X-Call-Id', 'mine').set('X-Other', 'kept').send('b');
    const h = res.body.headers;
    for (const k of ['x-private', 'proxy-authorization', 'te']) expect(h[k]).toBeUndefined();
    expect(h['x-other']).toBe('kept');
    expect(h['x-call-id']).toBe('mine');
    expect(res.headers['x-call-id']).toBeUndefined();
  });

  it('passes the function status, repeated headers and body through untouched, and never follows redirects', async () => {
    const f = await withFunction((req, res) => {
      if (req.url === '/go') return void res.writeHead(302, { Location: '/elsewhere' }).end();
      res.writeHead(418, [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Fn', 'yes'], ['Content-Type', 'text/x-teapot']] as unknown as Record<string, string>);
      res.end('short and stout');
    });
    up = f.up;
    const res = await request(f.app).get('/function/echo').expect(418);
    expect(res.text).toBe('short and stout');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['content-type']).toBe('text/x-teapot');
    expect(res.headers['x-skep-internal']).toBeUndefined();
    const redirect = await request(f.app).get('/function/echo/go').redirects(0).expect(302);
    expect(redirect.headers.location).toBe('/elsewhere');
  });

  it('returns 404 JSON for an unknown or invalid function name', async () => {
    const { app } = fakeGateway({ proxyEngine: engine });
    for (const path of ['/function/nope', '/function/Bad_Name', '/function/x.other-ns']) {
      const res = await request(app).get(path).expect(404);
      expect(res.body.code).toBe('not_found');
      expect(res.headers['x-skep-internal']).toBe('gateway');
    }
  });

  it('returns 503 when no replica is ready', async () => {
    const { app, provider } = fakeGateway({ proxyEngine: engine });
    await provider.deploy(deployment('echo'));
    const res = await request(app).get('/function/echo').expect(503);
    expect(res.body.code).toBe('no_replica');
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });

  it('returns 502 when the replica cannot be reached', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    const { app, provider } = fakeGateway({ proxyEngine: engine });
    await provider.deploy(deployment('echo'));
    provider.setEndpoints('echo', [{ id: 'x', url: `http://127.0.0.1:${port}` }]);
    const res = await request(app).post('/function/echo').send('x').expect(502);
    expect(res.body.code).toBe('function_unreachable');
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });

  it('returns 504 when the function exceeds upstream_timeout', async () => {
    const f = await withFunction((_req, res) => void setTimeout(() => res.end('late'), 2000).unref(), { upstreamTimeoutMs: 200 });
    up = f.up;
    const res = await request(f.app).get('/function/echo').expect(504);
    expect(res.body.code).toBe('timeout');
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });

  it('returns 413 when the body exceeds max_invoke_body_size', async () => {
    const f = await withFunction(echoHeaders, { maxInvokeBodyBytes: 10 });
    up = f.up;
    const res = await request(f.app).post('/function/echo').send('x'.repeat(100)).expect(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('returns 413 when a body without Content-Length grows past max_invoke_body_size', async () => {
    const f = await withFunction(echoHeaders, { maxInvokeBodyBytes: 10 });
    up = f.up;
    const gw = await listen(f.app);
    try {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${gw.url}/function/echo`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.write('x'.repeat(8));
        req.write('x'.repeat(8));
        req.end('x'.repeat(8));
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).code).toBe('payload_too_large');
    } finally {
      await gw.close();
    }
  });

  it('counts calls in metrics and in invocationCount, and emits started/completed', async () => {
    const f = await withFunction(echoHeaders);
    up = f.up;
    const seen: string[] = [];
    f.app.invoker.on('started', (e) => seen.push(`started ${e.fn}`));
    f.app.invoker.on('completed', (e) => seen.push(`completed ${e.fn} ${e.status}`));
    await request(f.app).get('/function/echo').expect(200);
    await request(f.app).get('/function/echo').expect(200);
    await request(f.app).get('/function/nope').expect(404);
    expect(seen).toEqual(['started echo', 'completed echo 200', 'started echo', 'completed echo 200', 'started nope', 'completed nope 404']);
    const metrics = (await request(f.app).get('/metrics')).text;
    expect(metrics).toContain('gateway_function_invocation_total{function_name="echo",code="200"} 2');
    expect(metrics).toContain('gateway_function_invocation_started{function_name="echo"} 2');
    expect(metrics).not.toContain('function_name="nope"');
    expect((await request(f.app).get('/system/functions')).body[0].invocationCount).toBe(2);
  });

  it('lets an extension wrap the endpoint choice', async () => {
    const up2 = await upstream((_req, res) => res.end('from the wrapper'));
    const { app, provider } = fakeGateway({ proxyEngine: engine }, {
      extensions: [{ name: 'test', wrapPick: (next) => async (name, signal) => (name === 'cold' ? { id: 'w', url: up2.url } : next(name, signal)) }],
    });
    await provider.deploy(deployment('cold'));
    expect((await request(app).get('/function/cold').expect(200)).text).toBe('from the wrapper');
    await up2.close();
  });

  it('does not forward a call whose client left while the endpoint was being chosen', async () => {
    let hits = 0;
    const up2 = await upstream((_req, res) => { hits++; res.end('late'); });
    const { app, provider } = fakeGateway({ proxyEngine: engine }, {
      extensions: [{ name: 'hold', wrapPick: () => (_name, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ id: 'w', url: up2.url }))) }],
    });
    await provider.deploy(deployment('cold'));
    const gw = await listen(app);
    const done = new Promise<number>((r) => app.invoker.on('completed', (e) => r(e.status)));
    const ac = new AbortController();
    const call = fetch(`${gw.url}/function/cold`, { signal: ac.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    expect(await call).toBe('aborted');
    expect(await done).toBe(499);
    expect(hits).toBe(0);
    expect(app.invoker.inFlight('cold')).toBe(0);
    await gw.close();
    await up2.close();
  });
});
