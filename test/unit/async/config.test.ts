import { ConfigError } from '../../../common/src/env-config';
import { ASYNC_LABELS, functionSettings, loadAsyncConfig, sqlitePath } from '../../../gateway/src/async/config';

describe('async config', () => {
  it('has defaults like OpenFaaS where it has them (concurrency 1) and durable ones elsewhere', () => {
    const c = loadAsyncConfig({});
    expect(c).toMatchObject({ asyncBackend: 'sqlite', asyncConcurrency: 1, asyncMaxAttempts: 5, asyncMaxAgeMs: 86_400_000, asyncRetryStatuses: [408, 429, 500, 502, 503, 504], asyncOnInterrupt: 'dead-letter' });
  });

  it('reports every bad variable at once', () => {
    let err: unknown;
    try {
      loadAsyncConfig({ async_backend: 'redis', async_retry_statuses: '500,abc,700', async_lease: 'soon' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['async_backend', 'async_lease', 'async_retry_statuses']);
  });

  it.each([
    ['', '/data', '/data/async.db'],
    ['/var/skep/q.db', '/data', '/var/skep/q.db'],
  ])('places the SQLite file from async_db=%p and data_dir=%p', (db, dataDir, want) => {
    expect(sqlitePath(loadAsyncConfig({ async_db: db }), dataDir)).toBe(want);
  });
});

describe('functionSettings', () => {
  const cfg = loadAsyncConfig({});

  it('reads the labels', () => {
    const s = functionSettings(cfg, { [ASYNC_LABELS.concurrency]: '4', [ASYNC_LABELS.maxAttempts]: '9', [ASYNC_LABELS.maxAge]: '1h30m', [ASYNC_LABELS.onInterrupt]: 'retry' });
    expect(s).toMatchObject({ concurrency: 4, onInterrupt: 'retry', policy: { maxAttempts: 9, maxAgeMs: 5_400_000 } });
  });

  it.each([
    [ASYNC_LABELS.concurrency, '0'], [ASYNC_LABELS.concurrency, 'many'], [ASYNC_LABELS.maxAttempts, '-1'],
    [ASYNC_LABELS.maxAge, 'forever'], [ASYNC_LABELS.onInterrupt, 'maybe'],
  ])('ignores a bad %s label (%p) and keeps the default', (label, value) => {
    expect(functionSettings(cfg, { [label]: value })).toEqual(functionSettings(cfg));
  });
});
