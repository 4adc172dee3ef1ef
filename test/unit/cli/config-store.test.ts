import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, lookupCredentials, removeCredentials, saveCredentials } from '../../../cli/src/config-store';
import { DEFAULT_GATEWAY, resolveGateway } from '../../../cli/src/context';
import { toDeployment } from '../../../cli/src/deployment';
import { formatTable, parsePairs } from '../../../cli/src/output';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skep-cfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('config store', () => {
  it('uses $SKEP_CONFIG, else ~/.skep/config.json', () => {
    expect(configPath({ SKEP_CONFIG: '/x/c.json', HOME: '/h' })).toBe('/x/c.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.skep/config.json');
  });

  it('saves credentials readable by the owner only, per gateway, ignoring a trailing slash', () => {
    const env = { HOME: dir };
    const path = saveCredentials('http://gw:8080/', 'admin', 'p:w', env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(lookupCredentials('http://gw:8080', env)).toEqual({ user: 'admin', password: 'p:w' });
    expect(lookupCredentials('http://other:8080', env)).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8')).auths[0]).toEqual({ gateway: 'http://gw:8080', auth: 'basic', token: Buffer.from('admin:p:w').toString('base64') });
  });

  it('tightens the mode of an existing file and replaces the old entry', () => {
    const env = { SKEP_CONFIG: join(dir, 'c.json') };
    writeFileSync(env.SKEP_CONFIG, '{"auths":[]}', { mode: 0o644 });
    saveCredentials('http://gw', 'a', '1', env);
    saveCredentials('http://gw', 'b', '2', env);
    expect(statSync(env.SKEP_CONFIG).mode & 0o777).toBe(0o600);
    expect(lookupCredentials('http://gw', env)).toEqual({ user: 'b', password: '2' });
    expect(removeCredentials('http://gw', env)).toBe(true);
    expect(removeCredentials('http://gw', env)).toBe(false);
    expect(lookupCredentials('http://gw', env)).toBeUndefined();
  });
});

describe('resolveGateway', () => {
  it.each([
    ['http://flag/', { SKEP_GATEWAY: 'http://env' }, 'http://stack', 'http://flag'],
    [undefined, { SKEP_GATEWAY: 'http://env' }, 'http://stack', 'http://env'],
    [undefined, {}, 'http://stack', 'http://stack'],
    [undefined, {}, undefined, DEFAULT_GATEWAY],
  ])('flag %j, env %j, stack %j → %s', (flag, env, stack, want) => {
    expect(resolveGateway(flag, env, stack)).toBe(want);
  });
});

describe('toDeployment', () => {
  const fn = {
    name: 'f', image: 'img', fprocess: undefined, environment: { A: '1', B: '1' }, secrets: ['s'], constraints: [],
    labels: { l: '1' }, annotations: {}, skipBuild: false, buildArgs: {},
  };
  it('lets flags win over the stack file and falls back to the template fprocess', () => {
    expect(toDeployment(fn, { env: { B: '2' }, labels: { m: '2' }, secrets: ['s', 't'], image: 'other' }, 'node index.js')).toEqual({
      service: 'f', image: 'other', envProcess: 'node index.js', envVars: { A: '1', B: '2' }, labels: { l: '1', m: '2' },
      annotations: {}, secrets: ['s', 't'], constraints: [],
    });
  });
});

describe('output helpers', () => {
  it('pads columns to the widest visible cell, ignoring colour codes', () => {
    expect(formatTable(['NAME', 'N'], [['\x1b[32mab\x1b[39m', '1'], ['abcdef', '22']])).toEqual(['NAME    N', '\x1b[32mab\x1b[39m      1', 'abcdef  22']);
  });
  it('parses KEY=VALUE pairs and rejects the rest', () => {
    expect(parsePairs(['a=1', 'b=x=y'], '--env')).toEqual({ a: '1', b: 'x=y' });
    expect(() => parsePairs(['nope'], '--env')).toThrow('--env expects KEY=VALUE (got "nope")');
  });
});
