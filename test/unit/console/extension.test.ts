import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { testConfig } from '../../../gateway/src/config';
import { buildApp, GatewayApp } from '../../../gateway/src/app';
import { FakeProvider } from '../../../gateway/src/providers/fake/fake-provider';
import { consoleExtension } from '../../../gateway/ui/console';

const auth = { user: 'admin', password: 's3cret' };

describe('console extension', () => {
  let dir: string;
  let app: GatewayApp;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skep-console-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Skep console</title>');
    writeFileSync(join(dir, 'main.js'), 'export {};');
    app = buildApp({ config: testConfig({ basicAuth: true, logLevel: 'silent' }), provider: new FakeProvider(), credentials: auth, extensions: [consoleExtension(dir)] });
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects / to /ui/ without asking for credentials', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/ui/');
  });

  it('answers 401 with a Basic challenge on /ui/ without credentials', async () => {
    const res = await request(app).get('/ui/');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="Restricted"');
  });

  it('serves index.html with a same-origin content security policy', async () => {
    const res = await request(app).get('/ui/').auth(auth.user, auth.password);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Skep console');
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the modules as JavaScript', async () => {
    const res = await request(app).get('/ui/main.js').auth(auth.user, auth.password);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('answers a JSON 404 for a file that is not there', async () => {
    const res = await request(app).get('/ui/nope.js').auth(auth.user, auth.password);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('answers 503 naming the build step when the console is not built', async () => {
    const bare = buildApp({ config: testConfig({ logLevel: 'silent' }), provider: new FakeProvider(), extensions: [consoleExtension(join(dir, 'missing'))] });
    const res = await request(bare).get('/ui/');
    expect(res.status).toBe(503);
    expect(res.body.message).toContain('npm run build');
    await bare.close();
  });
});
