/** An in-memory Provider for tests: instant replicas, endpoints set by the test, logs pushed by the test. */
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { Endpoint, FunctionDeployment, FunctionStatus, LogMessage, LogRequest, Provider, ProviderInfo, Secret } from '../provider';
import { minReplicas, statusOf } from '../status';
import { LogBuffer } from '../local/log-buffer';

interface FakeFunction {
  spec: FunctionDeployment;
  replicas: number;
  createdAt: Date;
}

/** A Provider kept in memory; `setEndpoints` points a function at real test servers. */
export class FakeProvider implements Provider {
  readonly info: ProviderInfo = { provider: 'fake', orchestration: 'memory', version: { sha: 'test', release: '0.0.0' } };
  readonly functions = new Map<string, FakeFunction>();
  readonly secrets = new Map<string, Secret>();
  readonly logBuffer = new LogBuffer(1000);
  private readonly endpoints = new Map<string, Endpoint[]>();
  closed = false;

  /** Makes `name` resolve to `endpoints` (by default a deployed function resolves to none). */
  setEndpoints(name: string, endpoints: Endpoint[]): void {
    this.endpoints.set(name, endpoints);
  }

  /** Appends a log line of `name` as if a replica printed it. */
  pushLog(name: string, text: string, instance = `${name}-0`): void {
    this.logBuffer.push({ name, namespace: 'openfaas-fn', instance, timestamp: new Date().toISOString(), text });
  }

  private get(name: string): FakeFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new NotFoundError(`function ${name} not found`);
    return fn;
  }

  async deploy(spec: FunctionDeployment): Promise<void> {
    if (this.functions.has(spec.service)) throw new ConflictError(`function ${spec.service} already exists`);
    this.checkSecrets(spec);
    this.functions.set(spec.service, { spec, replicas: minReplicas(spec.labels), createdAt: new Date() });
    this.pushLog(spec.service, 'deployed');
  }

  async update(spec: FunctionDeployment): Promise<void> {
    const fn = this.get(spec.service);
    this.checkSecrets(spec);
    fn.spec = spec;
    fn.replicas = minReplicas(spec.labels);
  }

  async remove(name: string): Promise<void> {
    this.get(name);
    this.functions.delete(name);
    this.endpoints.delete(name);
    this.logBuffer.drop(name);
  }

  async list(): Promise<FunctionStatus[]> {
    return [...this.functions.values()].map((f) => statusOf(f.spec, f.replicas, f.replicas, f.createdAt));
  }

  async status(name: string): Promise<FunctionStatus> {
    const f = this.get(name);
    return statusOf(f.spec, f.replicas, f.replicas, f.createdAt);
  }

  async scale(name: string, replicas: number): Promise<void> {
    this.get(name).replicas = replicas;
  }

  async resolve(name: string): Promise<Endpoint[]> {
    const f = this.get(name);
    return f.replicas === 0 ? [] : (this.endpoints.get(name) ?? []);
  }

  logs(req: LogRequest, signal: AbortSignal): AsyncIterable<LogMessage> {
    this.get(req.name);
    return this.logBuffer.read(req, signal);
  }

  async listSecrets(): Promise<Secret[]> {
    return [...this.secrets.keys()].map((name) => ({ name }));
  }

  async createSecret(s: Secret): Promise<void> {
    if (this.secrets.has(s.name)) throw new ConflictError(`secret ${s.name} already exists`);
    this.secrets.set(s.name, { ...s });
  }

  async updateSecret(s: Secret): Promise<void> {
    if (!this.secrets.has(s.name)) throw new NotFoundError(`secret ${s.name} not found`);
    this.secrets.set(s.name, { ...s });
  }

  async removeSecret(name: string): Promise<void> {
    if (!this.secrets.delete(name)) throw new NotFoundError(`secret ${name} not found`);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.logBuffer.close();
  }

  private checkSecrets(spec: FunctionDeployment): void {
    const missing = (spec.secrets ?? []).filter((s) => !this.secrets.has(s));
    if (missing.length) throw new ValidationError(`secret not found: ${missing.join(', ')}; possible choices: [${[...this.secrets.keys()].join(', ')}]`);
  }
}
