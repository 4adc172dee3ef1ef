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
