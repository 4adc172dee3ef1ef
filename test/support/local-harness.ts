/** Helpers for tests of the local provider with real watchdog replicas (`dist/` must be built: `npm run build`). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';
import type { Catalog } from '../../gateway/src/providers/local/catalog';
import { LocalProvider } from '../../gateway/src/providers/local/local-provider';

/** The compiled watchdog every replica runs. */
export const WATCHDOG = resolve(__dirname, '../../dist/watchdog/src/main.js');

/** True when the watchdog has been built; integration tests explain how to build it otherwise. */
export const watchdogBuilt = (): boolean => existsSync(WATCHDOG);

/** A catalog with one test image, `test/pid:latest`, running test/fixtures/local/pid.js in-process. */
export function testCatalog(): Catalog {
  const handlerDir = resolve(__dirname, '../fixtures/local');
  return new Map([[
    'test/pid:latest',
    { name: 'pid', image: 'test/pid:latest', lang: 'node', handlerDir, env: { mode: 'inproc', handler_path: resolve(handlerDir, 'pid.js'), prefix_logs: 'false' }, environment: {}, labels: {}, annotations: {}, secrets: [] },
  ]]);
}

/** A local provider on the test catalog with short timings. */
export function localProvider(): Promise<LocalProvider> {
  return LocalProvider.create({
    watchdogPath: WATCHDOG,
    catalog: testCatalog(),
    logger: pino({ level: 'silent' }),
    timing: { backoffInitialMs: 100, backoffMaxMs: 1000, stopGraceMs: 3000, readyTimeoutMs: 15_000 },
  });
}
