/** Starts real watchdog processes (`node dist/watchdog/src/main.js`) for integration tests, on ports the watchdog picks. */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { freePort } from '../../gateway/src/providers/local/ports';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root, found upwards from here (this file also runs compiled, from dist/test/support). */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'tsconfig.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = findRoot(__dirname);
/** The compiled watchdog entry point. */
export const WATCHDOG_MAIN = join(ROOT, 'dist', 'watchdog', 'src', 'main.js');
/** Folder of the watchdog test fixtures (handlers, upstream server, fork scripts). */
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'watchdog');

/** Builds dist/ once when it is missing (`npm test` builds before Jest, so this only helps single-file runs). */
export function ensureBuilt(): void {
  if (!existsSync(WATCHDOG_MAIN)) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

/** A running watchdog and what it printed. */
export interface WatchdogProcess {
  proc: ChildProcess;
  pid: number;
  port: number;
  metricsPort: number;
  lockPath: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM (if still running) and waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns a watchdog with env on port 0 and a private lock file, and resolves once it printed `listening on`. */
export async function startWatchdog(env: Record<string, string>, waitReady = true): Promise<WatchdogProcess> {
  ensureBuilt();
  const lockPath = join(mkdtempSync(join(tmpdir(), 'skep-wd-')), '.lock');
  const proc = spawn(process.execPath, [WATCHDOG_MAIN], {
    env: { PATH: process.env.PATH, port: '0', metrics_port: '0', lock_path: lockPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('close', (code, signal) => r({ code, signal })));
  const ports = await new Promise<{ port: number; metricsPort: number }>((resolve, reject) => {
    let rest = '';
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        if (l.startsWith('{') && l.includes('listening on')) {
          const j = JSON.parse(l) as { port: number; metricsPort: number };
          resolve({ port: j.port, metricsPort: j.metricsPort });
        }
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean)));
    void exited.then((e) => reject(new Error(`watchdog exited (${e.code ?? e.signal}) before listening:\n${lines.join('\n')}`)));
  });
  const wd: WatchdogProcess = {
    proc, pid: proc.pid as number, ...ports, lockPath, lines, exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
  if (waitReady) await waitFor(async () => (await get(wd.port, '/_/ready')).status === 200, 'watchdog ready');
  return wd;
}

/** A response read whole. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}

/** One HTTP request to 127.0.0.1 on a fresh connection; resolves with the whole response. */
export function call(port: number, method: string, path: string, body?: string | Buffer, headers: OutgoingHttpHeaders = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode as number, headers: res.headers, body: raw.toString('utf8'), raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GET shorthand. */
export const get = (port: number, path: string): Promise<Reply> => call(port, 'GET', path);

/** Polls cond every 50 ms until it holds, failing after limitMs (generous: the machine is shared). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A loopback port that was free a moment ago (for fixture servers that cannot print theirs): the local provider's own. */
export { freePort };

/** True when pid no longer runs (gone, or a zombie waiting for a reaper). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** Resident memory of pid in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
