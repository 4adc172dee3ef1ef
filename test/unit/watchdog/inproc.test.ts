import { encodeResult, FunctionContext } from '../../../watchdog/src/runners/inproc-context';
import { parseBody } from '../../../watchdog/src/runners/inproc';

const ctx = (): FunctionContext => new FunctionContext(() => undefined);

describe('parseBody', () => {
  it.each([
    ['{"a":1}', 'application/json', { a: 1 }],
    ['{"a":1}', 'application/vnd.x+json; charset=utf-8', { a: 1 }],
    ['', 'application/json', ''],
    ['hi', 'text/plain', 'hi'],
    ['', undefined, ''],
  ])('reads %j with type %s', (raw, type, value) => {
    expect(parseBody(Buffer.from(raw), type)).toEqual(value);
  });

  it('keeps other types as a Buffer', () => {
    expect(Buffer.isBuffer(parseBody(Buffer.from('x'), 'application/octet-stream'))).toBe(true);
  });

  it('throws on bad JSON', () => {
    expect(() => parseBody(Buffer.from('{'), 'application/json')).toThrow();
  });
});

describe('encodeResult', () => {
  it.each([
    ['hello', 200, 'text/plain; charset=utf-8', 'hello'],
    [{ a: 1 }, 200, 'application/json', '{"a":1}'],
    [[1, 2], 200, 'application/json', '[1,2]'],
    [undefined, 200, undefined, ''],
  ])('encodes %j', (value, status, type, body) => {
    const e = encodeResult(value, ctx(), '');
    expect([e.status, e.headers['content-type'], String(e.body)]).toEqual([status, type, body]);
  });

  it('reads { statusCode, headers, body } and keeps the handler content type whatever its case', () => {
    const e = encodeResult({ statusCode: 201, headers: { 'Content-Type': 'text/csv', 'Content-Length': '999' }, body: 'a,b' }, ctx(), 'text/forced');
    expect(e.status).toBe(201);
    expect(e.headers).toEqual({ 'Content-Type': 'text/csv', 'content-length': 3 });
  });

  it('uses content_type when the handler sets none', () => {
    expect(encodeResult('x', ctx(), 'text/forced').headers['content-type']).toBe('text/forced');
  });

  it('takes status and headers from the context', () => {
    const c = ctx();
    c.status(404);
    c.headers({ 'x-a': '1' });
    const e = encodeResult(c, c, '');
    expect([e.status, e.headers['x-a'], e.body]).toEqual([404, '1', '']);
  });

  it('counts bytes, not characters, in content-length', () => {
    expect(encodeResult('✓', ctx(), '').headers['content-length']).toBe(3);
  });
});

describe('FunctionContext', () => {
  it('answers once: later succeed or fail calls are ignored', () => {
    const calls: unknown[] = [];
    const c = new FunctionContext((err, value) => {
      c.settled = true;
      calls.push([err, value]);
    });
    c.succeed(1).fail(new Error('late')).succeed(2);
    expect(calls).toEqual([[undefined, 1]]);
  });

  it('creates its abort signal on first use and aborts it', () => {
    const c = ctx();
    const s = c.signal;
    c.abort(new Error('exec_timeout'));
    expect(s.aborted).toBe(true);
  });
});
