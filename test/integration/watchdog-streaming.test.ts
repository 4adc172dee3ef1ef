import { request } from 'node:http';
import { join } from 'node:path';
import { call, FIXTURES, freePort, rssBytes, startWatchdog, WatchdogProcess } from '../support/watchdog-process';

const MB = 1024 * 1024;
const TOTAL = 100 * MB;

/**
 * Streams TOTAL bytes through the watchdog while sampling its RSS; returns bytes received and the largest RSS growth.
 * Dead 64 KiB chunks wait for V8's external-memory GC trigger, so some growth (about 15-35 MB here) is expected; a
 * watchdog that buffered the body would grow by more than the body itself.
 */
async function streamThrough(wd: WatchdogProcess): Promise<{ received: number; growth: number }> {
  expect((await call(wd.port, 'POST', '/', Buffer.alloc(2 * MB))).status).toBe(200); // warm-up: code paths compiled
  const base = rssBytes(wd.pid);
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(wd.pid))), 20);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: wd.port, method: 'POST', path: '/', agent: false, headers: { 'content-type': 'application/octet-stream' } }, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ received, growth: peak - base });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => (clearInterval(sampler), reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < TOTAL) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('watchdog streaming a 100 MB body', () => {
  it.each([
    ['fork', async () => startWatchdog({ mode: 'fork', fprocess: 'cat', exec_timeout: '0', write_timeout: '5m' })],
    ['http', async () => {
      const upPort = await freePort();
      return startWatchdog({ mode: 'http', fprocess: `${process.execPath} ${join(FIXTURES, 'upstream.js')}`, upstream_url: `http://127.0.0.1:${upPort}`, UP_PORT: String(upPort), exec_timeout: '0', write_timeout: '5m' });
    }],
  ])('%s mode passes it back whole while its RSS grows far less than the body', async (_mode, start) => {
    const wd = await start();
    try {
      const { received, growth } = await streamThrough(wd);
      expect(received).toBe(TOTAL);
      expect(growth).toBeLessThan(TOTAL / 2);
    } finally {
      await wd.stop();
    }
  }, 120_000);
});
