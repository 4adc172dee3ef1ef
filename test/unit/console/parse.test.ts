import { fieldErrors, fieldOfMessage, LineSplitter, LogCursor, parseHeaderLines, parseKeyValueLines, prettyBody } from '../../../console/src/parse';

describe('parseKeyValueLines', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments and keeping "=" in values', () => {
    expect(parseKeyValueLines('a=1\n\n# note\n b = x=y \n')).toEqual({ map: { a: '1', b: 'x=y' } });
  });

  it('reports the first line without a key', () => {
    expect(parseKeyValueLines('a=1\noops')).toEqual({ error: 'line 2: expected KEY=VALUE, got "oops"' });
  });
});

describe('parseHeaderLines', () => {
  it('reads "Name: value" lines in order', () => {
    expect(parseHeaderLines('Content-Type: text/plain\nX-A: b:c')).toEqual({ headers: [['Content-Type', 'text/plain'], ['X-A', 'b:c']] });
  });

  it('reports a line without a colon', () => {
    expect(parseHeaderLines('nope')).toHaveProperty('error');
  });
});

describe('prettyBody', () => {
  it.each([
    ['{"a":1}', 'application/json', '{\n  "a": 1\n}'],
    ['[1]', null, '[\n  1\n]'],
    ['{not json', 'application/json', '{not json'],
    ['plain {"a":1}', 'text/plain', 'plain {"a":1}'],
  ])('formats %j (%s)', (body, type, expected) => {
    expect(prettyBody(body, type)).toBe(expected);
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and keeps the tail until flushed', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\n{"b":2}\r\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.flush()).toEqual(['{"c"']);
    expect(s.flush()).toEqual([]);
  });
});

describe('fieldOfMessage', () => {
  it.each([
    ['service: function name "Bad_Name" must be a DNS label', 'service'],
    ["body: must have required property 'image'", 'image'],
    ['envVars.FOO: must be string', 'envVars'],
    ['labels: must be object', 'labels'],
    ['secret "db" does not exist', 'secrets'],
    ['image skep/nope:latest is not in the local catalog', 'image'],
    ['something else broke', null],
  ])('%s → %s', (message, field) => {
    expect(fieldOfMessage(message)).toBe(field);
  });
});

describe('fieldErrors', () => {
  it('splits a "; "-joined message into per-field problems', () => {
    const body = { code: 'invalid_request', message: 'service: function name "A" must be a DNS label; image: must NOT have fewer than 1 characters' };
    expect(fieldErrors(body)).toEqual([
      { field: 'service', message: 'service: function name "A" must be a DNS label' },
      { field: 'image', message: 'image: must NOT have fewer than 1 characters' },
    ]);
  });

  it('prefers ajv-style details with instancePath and missingProperty', () => {
    const body = {
      code: 'invalid_request',
      message: 'x',
      details: [{ instancePath: '/labels/a', message: 'must be string' }, { instancePath: '', message: 'must have required property', params: { missingProperty: 'image' } }],
    };
    expect(fieldErrors(body)).toEqual([
      { field: 'labels', message: 'must be string' },
      { field: 'image', message: 'must have required property: image' },
    ]);
  });

  it('keeps a message it cannot place as a form-level error', () => {
    expect(fieldErrors({ code: 'internal', message: 'docker is down' })).toEqual([{ field: null, message: 'docker is down' }]);
    expect(fieldErrors('invalid credentials')).toEqual([{ field: null, message: 'invalid credentials' }]);
  });
});

describe('LogCursor', () => {
  it('skips lines a resumed follow repeats and keeps new ones at the same instant', () => {
    const c = new LogCursor();
    expect(c.accept('2026-01-01T00:00:01.000Z', 'a|one')).toBe(true);
    expect(c.accept('2026-01-01T00:00:02.5Z', 'a|two')).toBe(true);
    expect(c.since).toBe('2026-01-01T00:00:02.5Z');
    // the resumed stream starts at `since` again
    expect(c.accept('2026-01-01T00:00:01.000Z', 'a|one')).toBe(false);
    expect(c.accept('2026-01-01T00:00:02.500000000Z', 'a|two')).toBe(false);
    expect(c.accept('2026-01-01T00:00:02.500Z', 'b|two')).toBe(true);
    expect(c.accept(undefined, 'plain')).toBe(true);
  });
});
