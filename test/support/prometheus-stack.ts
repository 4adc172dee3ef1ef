/** Starts Debian's prometheus and prometheus-alertmanager as child processes on loopback, with the rendered 1 s configs. */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../gateway/src/providers/local/ports';
import { renderShortConfigs } from './prometheus-config';
import { call, until } from './scaling-local';

/** The Debian binaries. */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

/** Why the stack cannot run here, or null when both binaries are installed. */
export function missingPrometheus(): string | null {
  const missing = [PROMETHEUS_BIN, ALERTMANAGER_BIN].filter((b) => !existsSync(b));
  return missing.length ? `${missing.join(' and ')} not found: install the Debian packages prometheus and prometheus-alertmanager (listed in scripts/ci/apt-packages.txt)` : null;
}

/** A running Prometheus + Alertmanager pair. */
export interface PrometheusStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  pids: number[];
  /** Last lines each daemon printed (for failure messages). */
  output(): string;
  /** Stops both daemons by PID and removes their data. */
  stop(): Promise<void>;
}

function daemon(bin: string, args: string[], out: string[]): ChildProcess {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (c: Buffer) => {
    out.push(...c.toString('utf8').split('\n').filter(Boolean));
    if (out.length > 200) out.splice(0, out.length - 200);
  };
  p.stdout?.on('data', keep);
  p.stderr?.on('data', keep);
  return p;
}

async function stopByPid(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** Starts both daemons pointed at the gateway (`host:port`), and waits until both are ready. */
export async function startPrometheusStack(opts: { gateway: string; password?: string; rateWindow?: string; repeatSeconds?: number }): Promise<PrometheusStack> {
  const why = missingPrometheus();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'skep-prom-'));
  let passwordFile: string | undefined;
  if (opts.password !== undefined) {
    passwordFile = join(dir, 'basic-auth-password');
    writeFileSync(passwordFile, opts.password, { mode: 0o600 });
  }
  const [promPort, amPort] = [await freePort(), await freePort()];
  const files = renderShortConfigs({ dir, gateway: opts.gateway, alertmanager: `127.0.0.1:${amPort}`, passwordFile, rateWindow: opts.rateWindow ?? '5s', repeatSeconds: opts.repeatSeconds });
  const out: string[] = [];
  const am = daemon(ALERTMANAGER_BIN, [`--config.file=${files.alertmanager}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn'], out);
  const prom = daemon(PROMETHEUS_BIN, [`--config.file=${files.prometheus}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--rules.alert.resend-delay=1s', '--log.level=warn'], out);
  const stack: PrometheusStack = {
    prometheusUrl: `http://127.0.0.1:${promPort}`,
    alertmanagerUrl: `http://127.0.0.1:${amPort}`,
    pids: [am.pid ?? 0, prom.pid ?? 0],
    output: () => out.join('\n'),
    stop: async () => {
      await Promise.all([stopByPid(prom), stopByPid(am)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const ready = async (url: string) => (await call(`${url}/-/ready`)).status === 200;
  const ok = await until(async () => (await ready(stack.prometheusUrl)) && (await ready(stack.alertmanagerUrl)), 30_000, 200);
  if (!ok) {
    const text = stack.output();
    await stack.stop();
    throw new Error(`prometheus/alertmanager did not become ready in 30s:\n${text}`);
  }
  return stack;
}
