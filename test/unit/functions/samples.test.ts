import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('echoit', () => {
  it('returns the body byte for byte with the request content type', async () => {
    const body = Buffer.from([0, 1, 2, 200]);
    const r = (await invoke(fn('echoit'), { body, headers: { 'content-type': 'application/x-bin' } })) as { statusCode: number; headers: Record<string, string>; body: Buffer };
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-bin');
    expect(r.body.equals(body)).toBe(true);
  });

  it('keeps JSON exactly as sent (not re-serialised)', async () => {
    const r = (await invoke(fn('echoit'), { body: '{ "a" : 1 }', headers: { 'content-type': 'application/json' } })) as { body: Buffer };
    expect(r.body.toString()).toBe('{ "a" : 1 }');
  });
});

describe('base64 and decodebase64', () => {
  it.each(['hello world', '', 'ünïcødé ✓'])('round-trips %j', async (text) => {
    const encoded = (await invoke(fn('base64'), { body: text })) as string;
    expect(encoded).toBe(Buffer.from(text).toString('base64'));
    const decoded = (await invoke(fn('decodebase64'), { body: encoded })) as { statusCode: number; body: Buffer };
    expect(decoded.statusCode).toBe(200);
    expect(decoded.body.toString()).toBe(text);
  });

  it.each(['not base64!', 'abcde'])('answers 400 to %j', async (body) => {
    const r = (await invoke(fn('decodebase64'), { body })) as { statusCode: number };
    expect(r.statusCode).toBe(400);
  });
});

describe('wordcount', () => {
  it.each([
    ['', { lines: 0, words: 0, characters: 0 }],
    ['hello world\n', { lines: 1, words: 2, characters: 12 }],
    ['one\ntwo  three\nfour', { lines: 2, words: 4, characters: 19 }],
    ['héllo ✓', { lines: 0, words: 2, characters: 7 }],
  ])('counts %j', async (body, expected) => {
    expect(await invoke(fn('wordcount'), { body })).toEqual(expected);
  });
});

describe('markdown', () => {
  it('renders Markdown to HTML', async () => {
    const r = (await invoke(fn('markdown'), { body: '# Title\n\n*hi* [x](https://example.com)' })) as { headers: Record<string, string>; body: string };
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<h1>Title</h1>');
    expect(r.body).toContain('<em>hi</em>');
    expect(r.body).toContain('<a href="https://example.com">x</a>');
  });

  it('escapes raw HTML', async () => {
    const r = (await invoke(fn('markdown'), { body: '<script>alert(1)</script>' })) as { body: string };
    expect(r.body).not.toContain('<script>');
  });
});

describe('nodeinfo', () => {
  it('describes the machine', async () => {
    const r = (await invoke(fn('nodeinfo'), { method: 'GET' })) as Record<string, unknown>;
    expect(r).toMatchObject({ platform: process.platform, arch: process.arch, node: process.version });
    expect(r.cpus).toBeGreaterThan(0);
    expect(r.cpuModels).toBeUndefined();
  });

  it('lists CPU models with ?verbose=true', async () => {
    const r = (await invoke(fn('nodeinfo'), { method: 'GET', query: 'verbose=true' })) as { cpuModels: unknown[] };
    expect(r.cpuModels.length).toBeGreaterThan(0);
  });
});

describe('sleep', () => {
  it('waits ?ms= and says so', async () => {
    expect(await invoke(fn('sleep'), { method: 'GET', query: 'ms=5' })).toBe('slept 5 ms\n');
  });

  it.each(['ms=abc', 'ms=-1', 'ms=99999999'])('answers 400 to %s', async (query) => {
    expect(((await invoke(fn('sleep'), { method: 'GET', query })) as { statusCode: number }).statusCode).toBe(400);
  });
});

describe('the node template starter handler', () => {
  it('answers with a greeting', async () => {
    const r = (await invoke(fn('templates/node/function'), { method: 'GET', path: '/x' })) as { statusCode: number; body: { message: string } };
    expect(r.statusCode).toBe(200);
    expect(r.body.message).toBe('Hello from Skep');
  });
});
