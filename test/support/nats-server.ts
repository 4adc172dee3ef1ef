/** Starts Debian's nats-server with JetStream on a free loopback port for a test, and stops it by PID. */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../../gateway/src/providers/local/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running nats-server. */
export interface NatsServer {
  url: string;
  stop(): Promise<void>;
}



function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

/** Throws a clear error when nats-server is not installed (the NATS tests fail rather than skip). */
export function assertNatsServerInstalled(): void {
  const r = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('nats-server is not installed: the NATS JetStream tests need Debian\'s nats-server package (listed in scripts/ci/apt-packages.txt; apt-get install -y nats-server)');
  }
}

/** Starts `nats-server -js -sd <tmp>` on a free loopback port; resolves once it accepts connections. */
export async function startNatsServer(): Promise<NatsServer> {
  assertNatsServerInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'skep-nats-'));
  const port = await freePort();
  const child: ChildProcess = spawn('nats-server', ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nats-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
