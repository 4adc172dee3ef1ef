/** Starts the real gateway (`node dist/gateway/src/main.js`, local provider, basic auth on) as a child process for e2e tests. */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'gateway', 'src', 'main.js');

/** A running gateway with its credentials and what it printed. */
export interface GatewayProcess {
  url: string;
  user: string;
  password: string;
  authHeader: string;
  lines: string[];
  /** SIGTERM, then SIGKILL to its process group after `graceMs`; removes the temporary folders. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns the gateway on port 0 in its own process group and resolves with its URL once it logs `gateway listening`. */
export async function startGateway(extraEnv: Record<string, string> = {}): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm run test:e2e does)`);
  const tmp = mkdtempSync(join(tmpdir(), 'skep-e2e-'));
  const secrets = join(tmp, 'secrets');
  mkdirSync(secrets);
  const user = 'admin';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(secrets, 'basic-auth-user'), `${user}\n`);
  writeFileSync(join(secrets, 'basic-auth-password'), `${password}\n`);
  // detached: its own process group, so a stuck gateway and every replica it started can be killed together
  const proc: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, port: '0', host: '127.0.0.1', provider: 'local', basic_auth: 'true',
      secret_mount_path: secrets, data_dir: join(tmp, 'data'), log_level: 'info', ...extraEnv,
    },
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const listening = new Promise<string>((resolve, reject) => {
    let rest = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not listen within 60 s:\n${lines.slice(-30).join('\n')}`)), 60_000);
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (lines.push(line) > 2000) lines.shift();
        if (!line.includes('gateway listening')) continue;
        try {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        } catch {
          // not JSON; keep waiting
        }
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean)));
    void exited.then(() => (clearTimeout(timer), reject(new Error(`gateway exited before listening:\n${lines.slice(-30).join('\n')}`))));
  });
  let url: string;
  try {
    url = await listening;
  } catch (err) {
    // never leave a half-started gateway (or its folders) behind
    if (alive) process.kill(-proc.pid!, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const stop = async (graceMs = 15_000) => {
    if (alive) {
      proc.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (timedOut) {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          // the group is gone already
        }
        await exited;
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  return { url, user, password, authHeader: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, lines, stop };
}

/** Polls `check` every 250 ms until it returns a truthy value, or throws after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
