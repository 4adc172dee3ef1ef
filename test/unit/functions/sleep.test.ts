import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('sleep', () => {
  it('waits ?ms= and says so', async () => {
    expect(await invoke(fn('sleep'), { method: 'GET', query: 'ms=5' })).toBe('slept 5 ms\n');
  });

  it.each(['ms=abc', 'ms=-1', 'ms=99999999'])('answers 400 to %s', async (query) => {
    expect(((await invoke(fn('sleep'), { method: 'GET', query })) as { statusCode: number }).statusCode).toBe(400);
  });
});
