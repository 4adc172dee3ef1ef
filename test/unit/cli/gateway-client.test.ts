import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayClient, GatewayError, UnreachableGatewayError } from '../../../cli/src/gateway-client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny stand-in for the gateway: records requests and answers with the handler's reply. */
async function stub(handler: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

describe('GatewayClient.deploy', () => {
  it('updates with PUT and reports it was not created', async () => {
    const s = await stub((_req, res) => json(res, 202, {}));
    server = s.server;
    await expect(new GatewayClient(s.url).deploy({ service: 'a', image: 'i' })).resolves.toEqual({ status: 202, created: false });
    expect(s.seen.map((r) => r.method)).toEqual(['PUT']);
  });

  it('falls back to POST when PUT answers 404', async () => {
    const s = await stub((req, res) => (req.method === 'PUT' ? json(res, 404, { code: 'not_found', message: 'no a' }) : json(res, 202, {})));
    server = s.server;
    await expect(new GatewayClient(s.url).deploy({ service: 'a', image: 'i' })).resolves.toEqual({ status: 202, created: true });
    expect(s.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['PUT /system/functions', 'POST /system/functions']);
    expect(JSON.parse(s.seen[1].body)).toEqual({ service: 'a', image: 'i' });
    expect(s.seen[1].headers['content-type']).toBe('application/json');
  });

  it('surfaces the gateway code, message and status on other errors', async () => {
    const s = await stub((_req, res) => json(res, 400, { code: 'invalid_request', message: 'image is required' }));
    server = s.server;
    const err = await new GatewayClient(s.url).deploy({ service: 'a', image: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', message: 'image is required' });
  });
});

describe('GatewayClient errors', () => {
  it('keeps a plain-text error body as the message', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Restricted"' });
      res.end('invalid credentials');
    });
    server = s.server;
    await expect(new GatewayClient(s.url).list()).rejects.toMatchObject({ status: 401, code: 'http_401', message: 'invalid credentials' });
  });

  it('says the gateway is unreachable when nothing listens', async () => {
    const s = await stub(() => undefined);
    await new Promise((r) => s.server.close(r));
    const err = await new GatewayClient(s.url).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableGatewayError);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });
});

describe('GatewayClient requests', () => {
  it('sends basic auth, and the OpenFaaS bodies for remove, scale and secrets', async () => {
    const s = await stub((_req, res) => json(res, 200, []));
    server = s.server;
    const c = new GatewayClient(`${s.url}/`, { user: 'admin', password: 'pw' });
    await c.remove('a');
    await c.scale('a', 3);
    await c.createSecret('k', 'v');
    await c.updateSecret('k', 'w');
    await c.removeSecret('k');
    await c.listSecrets();
    await c.namespaces();
    expect(s.seen.map((r) => [r.method, r.url, r.body ? JSON.parse(r.body) : null])).toEqual([
      ['DELETE', '/system/functions', { functionName: 'a' }],
      ['POST', '/system/scale-function/a', { serviceName: 'a', replicas: 3 }],
      ['POST', '/system/secrets', { name: 'k', value: 'v' }],
      ['PUT', '/system/secrets', { name: 'k', value: 'w' }],
      ['DELETE', '/system/secrets', { name: 'k' }],
      ['GET', '/system/secrets', null],
      ['GET', '/system/namespaces', null],
    ]);
    for (const r of s.seen) expect(r.headers.authorization).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
  });

  it('invokes with method, query, headers and body, returning any status untouched', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    });
    server = s.server;
    const r = await new GatewayClient(s.url).invoke('echo', { method: 'put', query: [['a', '1'], ['b', 'x y']], headers: { 'x-k': 'v' }, body: Buffer.from('hi') });
    expect(r.status).toBe(500);
    expect(r.body.toString()).toBe('boom');
    expect(s.seen[0]).toMatchObject({ method: 'PUT', url: '/function/echo?a=1&b=x+y', body: 'hi' });
    expect(s.seen[0].headers['x-k']).toBe('v');
  });

  it('queues async calls on /async-function/', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    server = s.server;
    const r = await new GatewayClient(s.url).invoke('echo', { async: true, body: Buffer.from('x') });
    expect(r.status).toBe(202);
    expect(s.seen[0]).toMatchObject({ method: 'POST', url: '/async-function/echo' });
  });
});

describe('GatewayClient.logs', () => {
  it('parses NDJSON lines split across chunks', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"name":"a","namespace":"","instance":"1","timestamp":"t1","text":"one"}\n{"name":"a","names');
      setTimeout(() => res.end('pace":"","instance":"1","timestamp":"t2","text":"two"}\n'), 20);
    });
    server = s.server;
    const lines: string[] = [];
    for await (const m of new GatewayClient(s.url).logs('a', { follow: false, tail: 5, since: '2020-01-01T00:00:00.000Z' })) lines.push(m.text);
    expect(lines).toEqual(['one', 'two']);
    expect(s.seen[0].url).toBe('/system/logs?name=a&follow=false&since=2020-01-01T00%3A00%3A00.000Z&tail=5');
  });
});

describe('GatewayClient.ready', () => {
  it('polls until a replica is available', async () => {
    let calls = 0;
    const s = await stub((_req, res) => json(res, 200, { name: 'a', replicas: 1, availableReplicas: ++calls >= 3 ? 1 : 0 }));
    server = s.server;
    const st = await new GatewayClient(s.url).ready('a', { timeoutMs: 10_000, intervalMs: 1, sleep: async () => undefined });
    expect(st.availableReplicas).toBe(1);
    expect(calls).toBe(3);
  });

  it('gives up at the deadline with the last status', async () => {
    const s = await stub((_req, res) => json(res, 200, { name: 'a', replicas: 2, availableReplicas: 0 }));
    server = s.server;
    let t = 0;
    const err = await new GatewayClient(s.url)
      .ready('a', { timeoutMs: 1000, intervalMs: 400, now: () => t, sleep: async (ms) => void (t += ms) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_ready', message: expect.stringContaining('replicas 2, available 0') });
  });
});
