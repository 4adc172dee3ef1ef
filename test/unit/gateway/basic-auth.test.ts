import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { credentialsMatch } from '../../../gateway/src/http/basic-auth';
import { fakeGateway } from '../../support/gateway-harness';

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('basic auth', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skep-auth-'));
    writeFileSync(join(dir, 'basic-auth-user'), 'admin\n');
    writeFileSync(join(dir, 'basic-auth-password'), 'pa:ss\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const app = () => fakeGateway({ basicAuth: true, secretMountPath: dir }).app;

  it.each([
    ['no header', undefined],
    ['a wrong password', basic('admin', 'nope')],
    ['a wrong user', basic('root', 'pa:ss')],
    ['a longer password', basic('admin', 'pa:ss-and-more')],
    ['a non-basic scheme', 'Bearer abc'],
  ])('answers 401 with WWW-Authenticate for %s', async (_why, header) => {
    const req = request(app()).get('/system/functions');
    if (header) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="Restricted"');
    expect(res.headers['x-skep-internal']).toBe('gateway');
  });

  it('lets the right credentials through (password files trimmed, colons allowed)', async () => {
    await request(app()).get('/system/functions').set('Authorization', basic('admin', 'pa:ss')).expect(200);
  });

  it.each(['/healthz', '/metrics', '/function/nope'])('leaves %s open', async (path) => {
    const res = await request(app()).get(path);
    expect(res.status).not.toBe(401);
  });

  it.each(['/system/info', '/system/namespaces', '/system/secrets', '/ui/'])('guards %s', async (path) => {
    await request(app()).get(path).expect(401);
  });

  it('compares a header against the expected pair', () => {
    expect(credentialsMatch(basic('a', 'b'), { user: 'a', password: 'b' })).toBe(true);
    expect(credentialsMatch(basic('a', ''), { user: 'a', password: 'b' })).toBe(false);
    expect(credentialsMatch('Basic !!!', { user: '', password: '' })).toBe(false);
  });
});
