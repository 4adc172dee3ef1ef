import { Agent, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { deployment, fakeGateway, listen, upstream, Upstream } from '../../support/gateway-harness';

function call(url: string, agent: Agent, body?: Readable, method = 'GET'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

describe.each(['node', 'http-proxy-3'] as const)('/function/:name streaming and balancing (proxy_engine=%s)', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  let upstreams: Upstream[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  async function setup(handlers: Parameters<typeof upstream>[0][]) {
    const ups: Upstream[] = [];
    for (const h of handlers) ups.push(await upstream(h));
    upstreams = ups;
    const { app, provider } = fakeGateway({ proxyEngine: engine });
    await provider.deploy(deployment('echo'));
    provider.setEndpoints('echo', ups.map((u, i) => ({ id: `r${i}`, url: u.url })));
    const gw = await listen(app);
    cleanups.push(...ups.map((u) => () => u.close()), () => gw.close(), async () => app.close());
    return gw;
  }

  it('spreads one keep-alive client over 3 replicas', async () => {
    const hits = [0, 0, 0];
    const gw = await setup([0, 1, 2].map((i) => (_req, res) => { hits[i]++; res.end(String(i)); }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 30; i++) expect((await call(`${gw.url}/function/echo`, agent)).status).toBe(200);
    agent.destroy();
    expect(hits).toEqual([10, 10, 10]);
  });

  // Memory is asserted in test/integration/gateway-process.test.ts, where the gateway is its own process.
  it('streams a 50 MB body through to the function', async () => {
    let received = 0;
    const gw = await setup([(req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.end(String(received)));
    }]);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const body = new Readable({ read() { sent += chunk.length; this.push(sent > 50 * 1024 * 1024 ? null : chunk); } });
    const agent = new Agent();
    const res = await call(`${gw.url}/function/echo`, agent, body, 'POST');
    expect(res.status).toBe(200);
    expect(Number(res.text)).toBeGreaterThanOrEqual(50 * 1024 * 1024);
  });

  it('passes server-sent events as they are written', async () => {
    let release!: () => void;
    const gw = await setup([(_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: one\n\n');
      release = () => res.end('data: two\n\n');
    }]);
    const res = await fetch(`${gw.url}/function/echo`, { headers: { Accept: 'text/event-stream' } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    release();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: two\n\n');
  });

  it('passes a WebSocket upgrade through', async () => {
    const wss = new WebSocketServer({ noServer: true });
    const gw = await setup([(_req, res) => res.end('not ws')]);
    cleanups.push(async () => wss.close());
    upstreams[0].server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m) => ws.send(`echo:${String(m)}:${req.url}`))));
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/function/echo/chat`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hi'));
      ws.on('message', (m) => resolve(String(m)));
      ws.on('error', reject);
    });
    ws.close();
    expect(reply).toBe('echo:hi:/chat');
  });
});
