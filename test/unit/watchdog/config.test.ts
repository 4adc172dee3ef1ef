import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../common/src/env-config';
import { loadConfig } from '../../../watchdog/src/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('loadConfig', () => {
  it('applies the OpenFaaS defaults', () => {
    const c = loadConfig({ fprocess: 'cat' });
    expect(c).toMatchObject({ mode: 'fork', port: 8080, metricsPort: 8081, readTimeout: 30_000, writeTimeout: 30_000, execTimeout: 30_000, maxInflight: 0, combineOutput: true, prefixLogs: true, suppressLock: false });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ function_process: 'cat' }, 'fprocess', 'cat'],
    [{ mode: 'http', fprocess: 'x', http_upstream_url: 'http://127.0.0.1:5000' }, 'upstreamUrl', 'http://127.0.0.1:5000'],
    [{ fprocess: 'cat', exec_timeout: '1m30s' }, 'execTimeout', 90_000],
    [{ fprocess: 'cat', read_timeout: '10' }, 'readTimeout', 10_000],
    [{ fprocess: 'cat', exec_timeout: '0' }, 'execTimeout', 0],
    [{ fprocess: 'cat', suppress_lock: 'true' }, 'suppressLock', true],
  ])('reads %j into %s', (env, key, value) => {
    expect(loadConfig(env)[key as 'fprocess']).toBe(value);
  });

  it('lists every problem at once, those between variables included', () => {
    const p = problemsOf({ mode: 'http', port: 'x', write_timeout: '0', upstream_url: 'ftp://a', max_inflight: '1.5' });
    expect(p).toEqual(expect.arrayContaining([
      expect.stringContaining('port: "x"'),
      expect.stringContaining('upstream_url: "ftp://a" must be an http:// URL'),
      expect.stringContaining('max_inflight'),
      'fprocess: required in http mode',
      'write_timeout: must be more than 0',
    ]));
    expect(p).toHaveLength(5);
  });

  it.each([
    [{ mode: 'fork' }, 'fprocess: required in fork mode'],
    [{ mode: 'http', fprocess: 'x' }, 'upstream_url: required in http mode (e.g. http://127.0.0.1:5000)'],
    [{ mode: 'inproc', handler_path: '/nope.js' }, 'handler_path: /nope.js is not a file'],
    [{ mode: 'static', static_path: '/nope' }, 'static_path: /nope is not a folder'],
    [{ fprocess: 'cat', port: '9000', metrics_port: '9000' }, 'metrics_port: 9000 is also the port'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('accepts inproc with an existing handler and static with an existing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skep-cfg-'));
    writeFileSync(join(dir, 'h.js'), 'module.exports = () => 1');
    expect(loadConfig({ mode: 'inproc', handler_path: join(dir, 'h.js') }).mode).toBe('inproc');
    expect(loadConfig({ mode: 'static', static_path: dir }).staticPath).toBe(dir);
  });
});
