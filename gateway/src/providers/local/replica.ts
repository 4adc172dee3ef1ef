/** One replica of a local function: a watchdog child process, restarted with back-off when it dies. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Endpoint } from '../provider';
import { eachLine } from './lines';
import { freePort } from './ports';
import { probeReady } from './ready-probe';

/** How to run the replica's process (env already includes the function's settings). */
export interface RunSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Timing knobs of a replica (tests shorten them). */
export interface ReplicaTiming {
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** A replica ready this long resets its back-off. */
  stableMs: number;
  readyTimeoutMs: number;
  stopGraceMs: number;
}

/** Default timings: restart after 200 ms, doubling to 10 s. */
export const DEFAULT_TIMING: ReplicaTiming = { backoffInitialMs: 200, backoffMaxMs: 10_000, stableMs: 10_000, readyTimeoutMs: 30_000, stopGraceMs: 5_000 };

/** A watchdog process serving one function on a loopback port; `endpoint` is set only while it is ready. */
export class Replica {
  readonly id: string;
  endpoint: Endpoint | null = null;
  restarts = 0;
  private child: ChildProcess | null = null;
  private stopped = false;
  private failures = 0;
  private readySince = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    fn: string,
    private readonly spec: () => RunSpec,
    private readonly onLine: (instance: string, text: string) => void,
    private readonly timing: ReplicaTiming,
    private readonly logger?: Logger,
  ) {
    this.id = `${fn}-${randomBytes(3).toString('hex')}`;
  }

  /** Process id of the current child, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid ?? undefined;
  }

  /** Starts the process (again); readiness is polled until `/_/ready` answers. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const [port, metricsPort] = [await freePort(), await freePort()];
    if (this.stopped) return;
    const run = this.spec();
    const env = { ...run.env, port: String(port), metrics_port: String(metricsPort) };
    const child = spawn(run.command, run.args, { env, cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    eachLine(child.stdout!, (l) => this.onLine(this.id, l));
    eachLine(child.stderr!, (l) => this.onLine(this.id, l));
    child.once('error', (err) => this.onLine(this.id, `cannot start: ${err.message}`));
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    void this.awaitReady(child, port);
  }

  private async awaitReady(child: ChildProcess, port: number): Promise<void> {
    const deadline = Date.now() + this.timing.readyTimeoutMs;
    for (let delay = 25; this.child === child && child.exitCode === null && Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
      if (await probeReady(port)) {
        if (this.child !== child || this.stopped) return;
        this.endpoint = { id: this.id, url: `http://127.0.0.1:${port}` };
        this.readySince = Date.now();
        return;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
    if (this.child === child && child.exitCode === null) {
      this.onLine(this.id, `not ready after ${this.timing.readyTimeoutMs} ms; restarting`);
      child.kill('SIGKILL');
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.endpoint = null;
    if (this.stopped) return;
    if (this.readySince && Date.now() - this.readySince > this.timing.stableMs) this.failures = 0;
    this.readySince = 0;
    const delay = Math.min(this.timing.backoffMaxMs, this.timing.backoffInitialMs * 2 ** this.failures);
    this.failures++;
    this.restarts++;
    this.onLine(this.id, `exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    this.logger?.warn({ replica: this.id, code, signal, delay }, 'replica exited');
    this.timer = setTimeout(() => void this.start().catch((err: Error) => this.onLine(this.id, `restart failed: ${err.message}`)), delay);
  }

  /** Stops for good: SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.endpoint = null;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.timing.stopGraceMs);
    await gone;
    clearTimeout(kill);
  }
}
