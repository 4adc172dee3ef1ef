import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterFunctions, formatProblem, loadStack, parseStack, StackFileError, StackProblem, substituteEnv } from '../../../cli/src/stack-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skep-stack-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): StackProblem[] {
  try {
    parseStack(text, join(dir, 'stack.yml'), env);
  } catch (err) {
    if (err instanceof StackFileError) return err.problems;
    throw err;
  }
  return [];
}

const VALID = `
version: 1.0
provider:
  name: openfaas
  gateway: http://127.0.0.1:8080
functions:
  echoit:
    lang: node
    handler: ./echoit
    image: skep/echoit:latest
    environment:
      write_timeout: 10s
      retries: 3
    labels:
      com.openfaas.scale.min: 2
    secrets: [api-key]
`;

describe('parseStack', () => {
  it('reads provider and functions with paths made absolute and values as strings', () => {
    const stack = parseStack(VALID, join(dir, 'stack.yml'), {});
    expect(stack.provider).toEqual({ name: 'openfaas', gateway: 'http://127.0.0.1:8080' });
    expect(stack.functions).toHaveLength(1);
    const fn = stack.functions[0];
    expect(fn).toMatchObject({ name: 'echoit', lang: 'node', image: 'skep/echoit:latest', handler: join(dir, 'echoit'), secrets: ['api-key'] });
    expect(fn.environment).toEqual({ write_timeout: '10s', retries: '3' });
    expect(fn.labels).toEqual({ 'com.openfaas.scale.min': '2' });
  });

  it('substitutes ${VAR} and ${VAR:-default} before parsing', () => {
    const text = 'provider:\n  name: openfaas\n  gateway: ${GW:-http://localhost:9999}\nfunctions:\n  a:\n    image: ${REG}/a:${TAG:-latest}\n';
    const stack = parseStack(text, join(dir, 'stack.yml'), { REG: 'ghcr.io/me' });
    expect(stack.provider.gateway).toBe('http://localhost:9999');
    expect(stack.functions[0].image).toBe('ghcr.io/me/a:latest');
  });

  it('merges environment_file entries after environment, in order', () => {
    writeFileSync(join(dir, 'a.yml'), 'environment:\n  A: from-a\n  B: from-a\n');
    writeFileSync(join(dir, 'b.yml'), 'environment:\n  B: from-b\n');
    const text = 'functions:\n  f:\n    image: x\n    environment: { A: inline, C: inline }\n    environment_file: [a.yml, b.yml]\n';
    const fn = parseStack(text, join(dir, 'stack.yml'), {}).functions[0];
    expect(fn.environment).toEqual({ A: 'from-a', B: 'from-b', C: 'inline' });
  });

  it('reports every problem at once, each with file, function and key', () => {
    const text = [
      'provider:',
      '  name: aws',
      '  colour: blue',
      'functions:',
      '  Bad_Name:',
      '    image: x',
      '  noimage:',
      '    lang: node',
      '    hadler: ./noimage',
      '  envfile:',
      '    image: y',
      '    environment_file: [missing.yml]',
      '    secrets: ["bad secret"]',
      'extra: 1',
    ].join('\n');
    const problems = problemsOf(text);
    const file = join(dir, 'stack.yml');
    expect(problems).toEqual(
      expect.arrayContaining([
        { file, key: 'extra', message: 'unknown key' },
        { file, key: 'provider.colour', message: 'unknown key' },
        expect.objectContaining({ file, key: 'provider.name' }),
        expect.objectContaining({ file, fn: 'Bad_Name', message: expect.stringContaining('DNS label') }),
        { file, fn: 'noimage', key: 'hadler', message: 'unknown key' },
        expect.objectContaining({ file, fn: 'noimage', key: 'image', message: expect.stringContaining('missing') }),
        expect.objectContaining({ file, fn: 'envfile', key: 'environment_file[0]', message: expect.stringContaining('missing.yml') }),
        expect.objectContaining({ file, fn: 'envfile', key: 'secrets[0]' }),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it.each([
    ['functions:\n  f:\n    image: x\n    labels: [a, b]\n', 'labels', 'mapping'],
    ['functions:\n  f:\n    image: x\n    skip_build: "yes"\n', 'skip_build', 'true or false'],
    ['functions:\n  f:\n    image: x\n    limits: { memory: 128m, disk: 1g }\n', 'limits.disk', 'unknown key'],
    ['functions:\n  f:\n    image: x\n    namespace: other\n', 'namespace', 'openfaas-fn'],
    ['functions:\n  f:\n    image: has space\n', 'image', 'spaces'],
  ])('rejects %j at key %s', (text, key, words) => {
    expect(problemsOf(text)).toEqual([expect.objectContaining({ fn: 'f', key, message: expect.stringContaining(words) })]);
  });

  it('reports a YAML syntax error with the file', () => {
    expect(problemsOf('functions:\n  f: [\n')).toEqual([expect.objectContaining({ file: join(dir, 'stack.yml'), message: expect.stringMatching(/^YAML/) })]);
  });

  it('requires a functions mapping', () => {
    expect(problemsOf('provider:\n  name: openfaas\n')).toEqual([expect.objectContaining({ key: 'functions', message: 'missing' })]);
  });
});

describe('loadStack', () => {
  it('says when the file does not exist', () => {
    expect(() => loadStack(join(dir, 'nope.yml'), {})).toThrow(/nope\.yml: file not found/);
  });
});

describe('formatProblem', () => {
  it('renders file, function and key', () => {
    expect(formatProblem({ file: 's.yml', fn: 'f', key: 'image', message: 'missing' })).toBe('s.yml: functions.f.image: missing');
    expect(formatProblem({ file: 's.yml', key: 'extra', message: 'unknown key' })).toBe('s.yml: extra: unknown key');
  });
});

describe('filterFunctions', () => {
  const stack = parseStack('functions:\n  echoit: { image: a }\n  base64: { image: b }\n  decodebase64: { image: c }\n', '/x/stack.yml', {});
  it.each([
    [undefined, ['echoit', 'base64', 'decodebase64']],
    ['echoit', ['echoit']],
    ['echoit,base64', ['echoit', 'base64']],
    ['*base64', ['base64', 'decodebase64']],
    ['nothing', []],
  ])('filter %j keeps %j', (filter, names) => {
    expect(filterFunctions(stack, filter).map((f) => f.name)).toEqual(names);
  });
});

describe('substituteEnv', () => {
  it('replaces unset variables with empty text, as envsubst does', () => {
    expect(substituteEnv('a${NOPE}b', {})).toBe('ab');
  });
});
