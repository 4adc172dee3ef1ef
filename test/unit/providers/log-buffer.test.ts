import { LogBuffer } from '../../../gateway/src/providers/local/log-buffer';
import type { LogMessage } from '../../../gateway/src/providers/provider';

const line = (text: string, instance = 'a', timestamp = '2026-01-01T00:00:00.000Z'): LogMessage => ({ name: 'fn', namespace: 'openfaas-fn', instance, timestamp, text });
async function all(it: AsyncIterable<LogMessage>): Promise<string[]> {
  const out: string[] = [];
  for await (const m of it) out.push(m.text);
  return out;
}

describe('LogBuffer', () => {
  it('keeps only the last maxLines lines', async () => {
    const b = new LogBuffer(3);
    for (const t of ['1', '2', '3', '4', '5']) b.push(line(t));
    expect(await all(b.read({ name: 'fn', follow: false }, new AbortController().signal))).toEqual(['3', '4', '5']);
  });

  it.each([
    ['tail', { tail: 2 }, ['c', 'd']],
    ['instance', { instance: 'b' }, ['b', 'd']],
    ['since', { since: new Date('2026-01-01T00:00:02Z') }, ['c', 'd']],
    ['tail 0 (all)', { tail: 0 }, ['a', 'b', 'c', 'd']],
  ])('filters by %s', async (_why, q, want) => {
    const b = new LogBuffer(10);
    ['a', 'b', 'c', 'd'].forEach((t, i) => b.push(line(t, i % 2 ? 'b' : 'a', `2026-01-01T00:00:0${i}.000Z`)));
    expect(await all(b.read({ name: 'fn', follow: false, ...q }, new AbortController().signal))).toEqual(want);
  });

  it('follows until aborted, and ends followers when the function is dropped', async () => {
    const b = new LogBuffer(10);
    b.push(line('old'));
    const ac = new AbortController();
    const got: string[] = [];
    const done = (async () => { for await (const m of b.read({ name: 'fn', follow: true }, ac.signal)) got.push(m.text); })();
    await new Promise((r) => setImmediate(r));
    b.push(line('new'));
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await done;
    expect(got).toEqual(['old', 'new']);
    const dropped = all(b.read({ name: 'fn', follow: true }, new AbortController().signal));
    b.drop('fn');
    expect(await dropped).toEqual(['old', 'new']);
  });
});
