import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, get, startWatchdog, WatchdogProcess } from '../support/watchdog-process';

describe('watchdog static mode', () => {
  let wd: WatchdogProcess;
  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'skep-static-'));
    writeFileSync(join(parent, 'secret.txt'), 'outside');
    const root = join(parent, 'public');
    mkdirSync(join(root, 'docs'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(root, 'docs', 'a.json'), '{"a":1}');
    symlinkSync(join(parent, 'secret.txt'), join(root, 'link.txt'));
    wd = await startWatchdog({ mode: 'static', static_path: root });
  });
  afterAll(async () => {
    await wd?.stop();
  });

  it.each([
    ['/', 200, '<h1>home</h1>', 'text/html; charset=utf-8'],
    ['/docs/a.json', 200, '{"a":1}', 'application/json'],
  ])('serves %s', async (path, status, body, type) => {
    const r = await get(wd.port, path);
    expect([r.status, r.body, r.headers['content-type']]).toEqual([status, body, type]);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/docs/..%2f..%2fsecret.txt', '/missing.txt', '/a%00b', '/link.txt'])('answers 404 to %s', async (path) => {
    const r = await get(wd.port, path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
  });

  it('answers 405 to POST', async () => {
    expect((await call(wd.port, 'POST', '/', 'x')).status).toBe(405);
  });
});
