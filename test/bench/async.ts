/**
 * Async bench: 10,000 async requests to echoit on the embedded (SQLite) backend, through a gateway on the local provider.
 * Prints accepted async requests/s and the end-to-end completion within a bounded wait, beside a baseline measured in
 * the same run: synchronous calls to the same function through the same gateway.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { start } from '../../gateway/src/main';
import { deployStack } from '../../gateway/src/providers/local/deploy-stack';

const TOTAL = 10_000;
const SYNC_TOTAL = 2_000;
const CLIENTS = 32;
const ACCEPT_MS = 25_000;
const WAIT_MS = 30_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function post(url: string, body: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Sends up to `n` POSTs with CLIENTS in flight, for at most `maxMs`; returns requests/s, how many were sent and got `want`. */
async function blast(url: string, n: number, want: number, maxMs: number): Promise<{ perSec: number; ok: number; sent: number }> {
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  const stopAt = Date.now() + maxMs;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < n && Date.now() < stopAt) {
      const i = next++;
      if ((await post(url, `message ${i}`)) === want) ok++;
    }
  }));
  return { perSec: next / ((performance.now() - t0) / 1000), ok, sent: next };
}

async function finished(url: string): Promise<number> {
  const text = await new Promise<string>((ok, fail) => {
    http.get(`${url}/metrics`, { agent }, (res) => {
      let s = '';
      res.on('data', (c) => (s += c));
      res.on('end', () => ok(s));
    }).on('error', fail);
  });
  const m = /skep_async_finished_total\{function_name="echoit",state="succeeded"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Runs the async bench (about a minute at most). */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skep-bench-async-'));
  const gw = await start({
    ...process.env, port: '0', host: '127.0.0.1', provider: 'local', log_level: 'warn', data_dir: join(dir, 'data'),
    async_db: join(dir, 'async.db'), async_concurrency: '16', scale_from_zero: 'false',
    stack_file: resolve(__dirname, '../../../functions/stack.yml'),
  });
  try {
    await deployStack(gw, gw.app.context.config.stackFile);
    for (let i = 0; i < 100 && (await post(`${gw.url}/function/echoit`, 'warm').catch(() => 0)) !== 200; i++) await new Promise((r) => setTimeout(r, 100));

    const sync = await blast(`${gw.url}/function/echoit`, SYNC_TOTAL, 200, 10_000);
    console.log(`baseline  sync POST /function/echoit: ${sync.perSec.toFixed(0)} req/s (${sync.ok}/${sync.sent} ok, ${CLIENTS} clients)`);

    const before = await finished(gw.url);
    const t0 = performance.now();
    const accepted = await blast(`${gw.url}/async-function/echoit`, TOTAL, 202, ACCEPT_MS);
    console.log(`async     POST /async-function/echoit: ${accepted.perSec.toFixed(0)} accepted/s (${accepted.ok}/${TOTAL} got 202 within the ${ACCEPT_MS / 1000} s bound; each is on disk, fsynced, before its 202)`);

    const deadline = Date.now() + WAIT_MS;
    let done = 0;
    while (Date.now() < deadline && (done = (await finished(gw.url)) - before) < accepted.ok) await new Promise((r) => setTimeout(r, 200));
    const secs = (performance.now() - t0) / 1000;
    console.log(`async     end to end: ${done}/${accepted.ok} accepted requests completed (${((100 * done) / Math.max(1, accepted.ok)).toFixed(1)}%) in ${secs.toFixed(1)} s = ${(done / secs).toFixed(0)} completed/s (worker concurrency 16, wait bounded at ${WAIT_MS / 1000} s)`);
  } finally {
    agent.destroy();
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
