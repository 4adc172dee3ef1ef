import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { canonicalHeaderEnvName, cgiEnv } from '../../../watchdog/src/cgi-env';
import { createLogger } from '../../../watchdog/src/log';
import { pipeLines } from '../../../watchdog/src/log-lines';
import { deadlineMs, isHopByHop } from '../../../watchdog/src/runners/runner';
import { resolveInside } from '../../../watchdog/src/runners/static';

describe('cgiEnv', () => {
  it.each([['x-call-id', 'X_Call_Id'], ['content-type', 'Content_Type'], ['USER-AGENT', 'User_Agent']])('names %s as Http_%s', (h, env) => {
    expect(canonicalHeaderEnvName(h)).toBe(env);
  });

  it('adds method, path, query, content type and headers to the base env', () => {
    const req = { method: 'POST', url: '/a/b?x=1', headers: { 'content-type': 'text/plain', 'content-length': '3', 'x-call-id': 'id' } } as unknown as IncomingMessage;
    expect(cgiEnv(req, { HOME: '/h' })).toEqual({
      HOME: '/h', Http_Method: 'POST', Http_Path: '/a/b', Http_Query: 'x=1', Http_ContentType: 'text/plain', Http_ContentLength: '3',
      Http_Content_Type: 'text/plain', Http_Content_Length: '3', Http_X_Call_Id: 'id',
    });
  });

  it('leaves Http_Query out when there is no query', () => {
    const req = { method: 'GET', url: '/', headers: {} } as unknown as IncomingMessage;
    expect(cgiEnv(req, {})).toEqual({ Http_Method: 'GET', Http_Path: '/' });
  });
});

describe('resolveInside', () => {
  it.each([
    ['/index.html', '/srv/www/index.html'],
    ['/a/../b.txt', '/srv/www/b.txt'],
    ['/', '/srv/www'],
    ['/x%20y.txt?v=1', '/srv/www/x y.txt'],
  ])('maps %s to %s', (url, path) => {
    expect(resolveInside('/srv/www', url)).toBe(path);
  });

  it.each(['/../etc/passwd', '/%2e%2e/etc/passwd', '/a/%2e%2e/%2e%2e/etc', '/%00', '/%E0%A4%A'])('refuses %s', (url) => {
    expect(resolveInside('/srv/www', url)).toBeNull();
  });
});

describe('deadlineMs', () => {
  it.each([[1000, 5000, 1000], [5000, 1000, 1000], [0, 3000, 3000], [2000, 0, 2000], [0, 0, 0]])('exec %d, write %d → %d', (e, w, d) => {
    expect(deadlineMs(e, w)).toBe(d);
  });
});

describe('isHopByHop', () => {
  it.each([['connection', undefined, true], ['keep-alive', undefined, true], ['transfer-encoding', undefined, true], ['x-a', 'close, X-A', true], ['content-type', 'close', false]])('%s (Connection: %s) → %s', (name, conn, hop) => {
    expect(isHopByHop(name, conn)).toBe(hop);
  });
});

describe('pipeLines', () => {
  it('writes whole lines, prefixed when asked, and the last partial line at the end', async () => {
    const out: string[] = [];
    const s = new PassThrough();
    pipeLines(s, 'stderr', true, (l) => out.push(l));
    s.write('one\ntw');
    s.end('o\nthree');
    await new Promise((r) => s.on('end', r));
    expect(out.map((l) => l.replace(/^\S+ /, ''))).toEqual(['stderr: one\n', 'stderr: two\n', 'stderr: three\n']);
  });

  it('writes lines unchanged without prefix', async () => {
    const out: string[] = [];
    const s = new PassThrough();
    pipeLines(s, 'stdout', false, (l) => out.push(l));
    s.end('a\nb\n');
    await new Promise((r) => s.on('end', r));
    expect(out).toEqual(['a\n', 'b\n']);
  });
});

describe('createLogger', () => {
  it('writes pino-shaped JSON lines with errors flattened', () => {
    const lines: string[] = [];
    const log = createLogger({ component: 'watchdog' }, (l) => lines.push(l));
    log.info({ port: 1 }, 'listening on 1');
    log.error({ err: new Error('bad') }, 'failed');
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ level: 30, component: 'watchdog', port: 1, msg: 'listening on 1' });
    expect(b).toMatchObject({ level: 50, err: { type: 'Error', message: 'bad' }, msg: 'failed' });
  });
});
