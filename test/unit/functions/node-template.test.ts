import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('the node template starter handler', () => {
  it('answers with a greeting', async () => {
    const r = (await invoke(fn('templates/node/function'), { method: 'GET', path: '/x' })) as { statusCode: number; body: { message: string } };
    expect(r.statusCode).toBe(200);
    expect(r.body.message).toBe('Hello from Skep');
  });
});
