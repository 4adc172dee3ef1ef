import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

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
