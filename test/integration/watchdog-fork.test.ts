import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, FIXTURES, get, processGone, startWatchdog, waitFor, WatchdogProcess } from '../support/watchdog-process';

const forkFn = `${process.execPath} ${join(FIXTURES, 'fork-fn.js')}`;

describe('watchdog fork mode', () => {
  let wd: WatchdogProcess;
  beforeAll(async () => {
    wd = await startWatchdog({ mode: 'fork', fprocess: forkFn, exec_timeout: '20s', combine_output: 'false' });
  });
  afterAll(async () => {
    await wd?.stop();
  });

  it("puts the body on stdin and answers with stdout and the request's content type", async () => {
    const r = await call(wd.port, 'POST', '/', 'hello fork', { 'content-type': 'text/x-test' });
    expect([r.status, r.body, r.headers['content-type']]).toEqual([200, 'hello fork', 'text/x-test']);
    expect(Number(r.headers['x-duration-seconds'])).toBeGreaterThan(0);
  });

  it('gives the process the CGI environment', async () => {
    const r = await call(wd.port, 'POST', '/env?a=1&b=2', 'x', { 'content-type': 'text/plain', 'x-call-id': 'abc' });
    expect(JSON.parse(r.body)).toMatchObject({
      Http_Method: 'POST', Http_Path: '/env', Http_Query: 'a=1&b=2', Http_ContentType: 'text/plain',
      Http_Content_Type: 'text/plain', Http_X_Call_Id: 'abc', Http_ContentLength: '1',
    });
  });

  it('answers 500 with the exit status and the output when the process fails', async () => {
    const r = await get(wd.port, '/fail');
    expect([r.status, r.body, r.headers['x-skep-internal']]).toEqual([500, 'exit status 3\npartial output', 'watchdog']);
  });

  it('sends stderr to the logs, prefixed, when combine_output is false', async () => {
    const r = await get(wd.port, '/stderr');
    expect(r.body).toBe('out');
    await waitFor(() => wd.lines.some((l) => / stderr: line two$/.test(l)), 'stderr line in the logs');
  });

});

describe('watchdog fork mode exec_timeout', () => {
  it('kills the process and its children and answers 504', async () => {
    const wd = await startWatchdog({ mode: 'fork', fprocess: `sh ${join(FIXTURES, 'fork-sleep.sh')}`, exec_timeout: '3s' });
    try {
      const pidfile = join(mkdtempSync(join(tmpdir(), 'skep-fork-')), 'pids');
      const r = await get(wd.port, `/sleep?pidfile=${pidfile}`);
      expect([r.status, r.headers['x-skep-internal']]).toEqual([504, 'watchdog']);
      const pids = readFileSync(pidfile, 'utf8').trim().split(' ').map(Number);
      expect(pids).toHaveLength(2);
      await waitFor(() => pids.every(processGone), 'forked process and grandchild gone');
    } finally {
      await wd.stop();
    }
  });
});

describe('watchdog fork mode with combined output', () => {
  it('puts stderr into the response', async () => {
    const wd = await startWatchdog({ mode: 'fork', fprocess: forkFn });
    try {
      const r = await get(wd.port, '/stderr');
      expect(r.body).toContain('line one\nline two\n');
      expect(r.body).toContain('out');
    } finally {
      await wd.stop();
    }
  });
});
