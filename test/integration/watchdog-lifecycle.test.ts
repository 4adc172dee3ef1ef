import { spawn } from 'node:child_process';
import { ensureBuilt, FIXTURES, WATCHDOG_MAIN } from '../support/watchdog-process';
import { join } from 'node:path';

describe('watchdog whose output reader went away', () => {
  it('still exits 0 on SIGTERM (regression: EPIPE on stdout looped as an uncaught exception)', async () => {
    ensureBuilt();
    const env = { PATH: process.env.PATH, mode: 'inproc', handler_path: join(FIXTURES, 'handler.js'), port: '0', metrics_port: '0', suppress_lock: 'true' };
    const proc = spawn(process.execPath, [WATCHDOG_MAIN], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await new Promise((resolve) => proc.stdout.once('data', resolve));
    proc.stdout.destroy(); // the reader is gone: the next log line gets EPIPE
    proc.kill('SIGTERM');
    const guard = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    try {
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(guard);
    }
  });
});
