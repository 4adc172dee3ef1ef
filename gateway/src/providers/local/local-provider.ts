/** The local provider: each replica of a function is a watchdog child process on a free loopback port. */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, UnavailableError } from '../../errors';
import type { Endpoint, FunctionDeployment, FunctionStatus, LogMessage, LogRequest, Provider, ProviderInfo, Secret } from '../provider';
import { minReplicas, statusOf } from '../status';
import type { Catalog } from './catalog';
import { LocalFunction } from './local-function';
import { LogBuffer } from './log-buffer';
import { DEFAULT_TIMING, ReplicaTiming } from './replica';
import { runSpecFor } from './run-spec';
import { SecretStore } from './secret-store';

/** Options of the local provider. */
export interface LocalProviderOptions {
  watchdogPath: string;
  catalog: Catalog;
  /** Folder for secrets; '' makes a temporary one, removed by close(). */
  dataDir?: string;
  logger?: Logger;
  maxLogLines?: number;
  timing?: Partial<ReplicaTiming>;
  nodePath?: string;
}

/** Runs functions as child processes on this machine. */
export class LocalProvider implements Provider {
  readonly info: ProviderInfo = { provider: 'skep-local', orchestration: 'process', version: { sha: '', release: '0.1.0' } };
  private readonly functions = new Map<string, LocalFunction>();
  private readonly logs_: LogBuffer;
  private readonly timing: ReplicaTiming;

  private constructor(private readonly opts: LocalProviderOptions, private readonly dataDir: string, private readonly ownsDir: boolean, private readonly secrets: SecretStore) {
    this.logs_ = new LogBuffer(opts.maxLogLines ?? 1000);
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
  }

  /** Creates the provider and its data folder. */
  static async create(opts: LocalProviderOptions): Promise<LocalProvider> {
    const owns = !opts.dataDir;
    const dir = opts.dataDir || (await mkdtemp(join(tmpdir(), 'skep-local-')));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const secrets = new SecretStore(dir);
    await secrets.init();
    return new LocalProvider(opts, dir, owns, secrets);
  }

  private closed = false;

  private get(name: string): LocalFunction {
    if (this.closed) throw new UnavailableError('the local provider is shutting down');
    const fn = this.functions.get(name);
    if (!fn) throw new NotFoundError(`function ${name} not found`);
    return fn;
  }

  private async prepare(spec: FunctionDeployment) {
    await this.secrets.check(spec.secrets ?? []);
    const secretDir = this.secrets.functionDir(spec.service);
    const run = runSpecFor(spec, {
      catalog: this.opts.catalog, watchdogPath: this.opts.watchdogPath, nodePath: this.opts.nodePath ?? process.execPath,
      secretDir, workDir: dirname(secretDir), parentEnv: process.env,
    });
    await this.secrets.mount(spec.service, spec.secrets ?? []);
    return run;
  }

  async deploy(spec: FunctionDeployment): Promise<void> {
    if (this.closed) throw new UnavailableError('the local provider is shutting down');
    if (this.functions.has(spec.service)) throw new ConflictError(`function ${spec.service} already exists`);
    const run = await this.prepare(spec);
    // Checked again: close() or another deploy may have happened while the secrets were copied.
    if (this.closed) throw new UnavailableError('the local provider is shutting down');
    if (this.functions.has(spec.service)) throw new ConflictError(`function ${spec.service} already exists`);
    const push = (instance: string, text: string) => this.logs_.push({ name: spec.service, namespace: 'openfaas-fn', instance, timestamp: new Date().toISOString(), text });
    const fn = new LocalFunction(spec, run, push, this.timing, this.opts.logger);
    this.functions.set(spec.service, fn);
    await fn.scale(minReplicas(spec.labels));
  }

  async update(spec: FunctionDeployment): Promise<void> {
    const fn = this.get(spec.service);
    await fn.replace(spec, await this.prepare(spec));
  }

  async remove(name: string): Promise<void> {
    const fn = this.get(name);
    this.functions.delete(name);
    await fn.stop();
    await this.secrets.unmount(name);
    this.logs_.drop(name);
  }

  async list(): Promise<FunctionStatus[]> {
    return [...this.functions.values()].map((f) => statusOf(f.spec, f.desired, f.ready().length, f.createdAt));
  }

  async status(name: string): Promise<FunctionStatus> {
    const f = this.get(name);
    return statusOf(f.spec, f.desired, f.ready().length, f.createdAt);
  }

  async scale(name: string, replicas: number): Promise<void> {
    await this.get(name).scale(replicas);
  }

  async resolve(name: string): Promise<Endpoint[]> {
    return this.get(name).ready();
  }

  logs(req: LogRequest, signal: AbortSignal): AsyncIterable<LogMessage> {
    this.get(req.name);
    return this.logs_.read(req, signal);
  }

  /** Process ids of a function's running replicas (tests kill one to see it restart). */
  pids(name: string): number[] {
    return this.get(name).pids();
  }

  async listSecrets(): Promise<Secret[]> {
    return (await this.secrets.names()).map((name) => ({ name }));
  }

  async createSecret(s: Secret): Promise<void> {
    await this.secrets.put(s, false);
  }

  async updateSecret(s: Secret): Promise<void> {
    await this.secrets.put(s, true);
    for (const fn of this.functions.values()) if (fn.spec.secrets?.includes(s.name)) await this.secrets.mount(fn.spec.service, fn.spec.secrets);
  }

  async removeSecret(name: string): Promise<void> {
    const users = [...this.functions.values()].filter((f) => f.spec.secrets?.includes(name)).map((f) => f.spec.service);
    if (users.length) throw new ConflictError(`secret ${name} is used by ${users.join(', ')}`);
    await this.secrets.remove(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.functions.values()];
    this.functions.clear();
    await Promise.all(all.map((f) => f.stop()));
    this.logs_.close();
    if (this.ownsDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}
