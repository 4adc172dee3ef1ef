import { spawnSync } from 'node:child_process';
import { ensureBuilt, WATCHDOG_MAIN } from '../support/watchdog-process';

function runWith(env: Record<string, string>): { status: number | null; stderr: string } {
  ensureBuilt();
  const r = spawnSync(process.execPath, [WATCHDOG_MAIN], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('watchdog start-up with an invalid configuration', () => {
  it('exits 2 listing every problem at once', () => {
    const r = runWith({ mode: 'http', port: 'eighty', exec_timeout: 'soon', max_inflight: '-1', combine_output: 'maybe' });
    expect(r.status).toBe(2);
    for (const text of ['port: "eighty"', 'exec_timeout: "soon"', 'max_inflight: -1', 'combine_output: "maybe"', 'fprocess: required in http mode', 'upstream_url: required in http mode']) {
      expect(r.stderr).toContain(text);
    }
  });

  it('exits 2 when the inproc handler file does not exist', () => {
    const r = runWith({ mode: 'inproc', handler_path: '/nonexistent/handler.js' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('handler_path: /nonexistent/handler.js is not a file');
  });
});
