import type Docker from 'dockerode';
import { NotFoundError, UnavailableError } from '../../errors';
import type { Endpoint, FunctionDeployment, FunctionStatus, LogMessage, LogRequest, Provider, ProviderInfo, Secret } from '../provider';
import { systemClock, type Clock, type SwarmDocker, type TaskInfo } from './client';
import { isOutOfSequence, translateDockerError } from './docker-errors';
import * as L from './labels';
import { LogDemuxer, parseLogLine } from './logs';
import { httpReadyProbe, TaskResolver, type ReadyProbe } from './resolver';
import { checkSecretName, secretData, secretRefs, SwarmSecrets } from './secrets';
import { makeRegistryAuth, makeServiceSpec } from './spec';
import { isFunctionService, statusFromService, type ServiceInfo } from './status';

/** How the Swarm provider is set up; main.ts fills it from the environment. */
export interface SwarmProviderOptions {
  docker: SwarmDocker;
  /** The functions' overlay network; empty: the network labelled `com.skep.functions=true` (or OpenFaaS's `openfaas=true`). */
  network?: string;
  /** `dnsrr` resolves task addresses (works without IPVS); `vip` hands out `http://<service>:8080`. */
  endpointMode: 'dnsrr' | 'vip';
  resolveTtlMs?: number;
  /** Probe a new task's `/_/ready` before routing to it; off when the gateway cannot reach task addresses. */
  probe?: ReadyProbe | false;
  clock?: Clock;
  /** Interval of the image's HEALTHCHECK on function tasks (0 keeps the image's); readiness waits for the first pass. */
  healthCheckIntervalMs?: number;
  /** How long a stopping task keeps serving (watchdog `healthcheck_interval`) while gateways drop it; 0 adds nothing. */
  drainMs?: number;
  version?: { sha: string; release: string };
}

const WATCHDOG_PORT = 8080;

/** Runs each function as a Docker Swarm service (see §3 of the OpenFaaS compatibility notes). */
export class SwarmProvider implements Provider {
  readonly info: ProviderInfo;
  private readonly docker: SwarmDocker;
  private readonly secrets: SwarmSecrets;
  private readonly resolver: TaskResolver;
  private readonly clock: Clock;
  private networkCache?: { name: string; ids: Set<string> };

  constructor(private readonly opts: SwarmProviderOptions) {
    this.docker = opts.docker;
    this.clock = opts.clock ?? systemClock;
    this.secrets = new SwarmSecrets(this.docker);
    const probe = opts.probe === false ? undefined : (opts.probe ?? httpReadyProbe);
    this.resolver = new TaskResolver(this.docker, { ttlMs: opts.resolveTtlMs ?? 500, port: WATCHDOG_PORT, clock: this.clock, probe });
    this.info = { provider: 'skep-swarm', orchestration: 'swarm', version: opts.version ?? { sha: '', release: '0.1.0' } };
  }

  async deploy(fn: FunctionDeployment): Promise<void> {
    const spec = makeServiceSpec(fn, await this.specOptions(fn));
    const auth = makeRegistryAuth(fn.registryAuth, fn.image);
    await this.call(`function "${fn.service}"`, () => this.docker.createService(auth as Docker.AuthConfig, spec));
  }

  async update(fn: FunctionDeployment): Promise<void> {
    await this.updateService(fn.service, async (svc) => {
      const task = svc.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined;
      // Keep the current replica count: resetting to scale.min (as faas-swarm does) would undo autoscaling.
      const replicas = svc.Spec?.Mode?.Replicated?.Replicas;
      return makeServiceSpec(fn, { ...(await this.specOptions(fn)), replicas, forceUpdate: (task?.ForceUpdate ?? 0) + 1 });
    }, makeRegistryAuth(fn.registryAuth, fn.image));
  }

  async remove(name: string): Promise<void> {
    const svc = await this.find(name);
    await this.call(`function "${name}"`, () => this.docker.getService(svc.ID).remove());
    this.resolver.invalidate(name);
  }

  async list(): Promise<FunctionStatus[]> {
    const services = (await this.call('functions', () => this.docker.listServices())) as unknown as ServiceInfo[];
    const fns = services.filter(isFunctionService);
    const tasks = await this.runningTasks();
    return fns.map((s) => statusFromService(s, tasks.filter((t) => t.ServiceID === s.ID).length));
  }

  async status(name: string): Promise<FunctionStatus> {
    const svc = await this.find(name);
    return statusFromService(svc, (await this.runningTasks(svc.ID)).length);
  }

  async scale(name: string, replicas: number): Promise<void> {
    await this.updateService(name, async (svc) => ({ ...svc.Spec, Mode: { Replicated: { Replicas: replicas } } }));
  }

  async resolve(name: string): Promise<Endpoint[]> {
    if (this.opts.endpointMode === 'vip') {
      const svc = await this.find(name);
      return (await this.runningTasks(svc.ID)).length ? [{ id: name, url: `http://${name}:${WATCHDOG_PORT}` }] : [];
    }
    return this.resolver.resolve(name, async () => {
      const svc = await this.find(name);
      const net = await this.functionsNetwork();
      const target = (svc.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined)?.Networks?.[0]?.Target;
      return { serviceId: svc.ID, networks: target ? new Set([...net.ids, target]) : net.ids };
    });
  }

  /** Drops a function's cached endpoints, e.g. after a connection to one of them failed. */
  invalidate(name: string): void {
    this.resolver.invalidate(name);
  }

  async *logs(req: LogRequest, signal: AbortSignal): AsyncIterable<LogMessage> {
    const svc = await this.find(req.name);
    const opts = {
      stdout: true, stderr: true, timestamps: true, details: true, follow: req.follow,
      ...(req.since ? { since: Math.floor(req.since.getTime() / 1000) } : {}),
      ...(req.tail && req.tail > 0 ? { tail: req.tail } : {}),
      abortSignal: signal,
    };
    const raw = (await this.call(`function "${req.name}"`, () => this.docker.getService(svc.ID).logs(opts))) as unknown;
    const demux = new LogDemuxer();
    const emit = (lines: string[]) =>
      lines.map((l) => parseLogLine(l, req.name)).filter((m): m is LogMessage => !!m && (!req.instance || m.instance === req.instance));
    if (Buffer.isBuffer(raw) || typeof raw === 'string') {
      yield* emit([...demux.push(Buffer.from(raw as Buffer)), ...demux.end()]);
      return;
    }
    try {
      for await (const chunk of raw as AsyncIterable<Buffer>) yield* emit(demux.push(chunk));
      yield* emit(demux.end());
    } catch (err) {
      if (!signal.aborted) throw translateDockerError(err, `logs of "${req.name}"`);
    } finally {
      (raw as { destroy?: () => void }).destroy?.();
    }
  }

  listSecrets(): Promise<Secret[]> {
    return this.secrets.list();
  }

  createSecret(secret: Secret): Promise<void> {
    return this.secrets.create(secret);
  }

  /** Swarm secrets are immutable: create `<name>-<version>`, re-point every function that mounts it, remove the old one. */
  async updateSecret(secret: Secret): Promise<void> {
    const name = checkSecretName(secret.name);
    const data = secretData(secret);
    const old = secretRefs(await this.secrets.all()).get(name);
    if (!old || old.version === 0) throw new NotFoundError(`secret "${name}" not found`);
    const version = old.version + 1;
    const id = await this.secrets.createVersion(name, version, data);
    const services = ((await this.call('functions', () => this.docker.listServices())) as unknown as ServiceInfo[]).filter((s) =>
      ((s.Spec?.TaskTemplate as Docker.ContainerTaskSpec)?.ContainerSpec?.Secrets ?? []).some((r) => r.SecretID === old.id),
    );
    for (const s of services) {
      await this.updateService(s.Spec?.Name ?? s.ID, async (cur) => repointSecret(cur, old.id, id, `${name}-${version}`));
    }
    await this.secrets.removeId(old.id, name);
  }

  removeSecret(name: string): Promise<void> {
    return this.secrets.remove(name);
  }

  async close(): Promise<void> {}

  private async specOptions(fn: FunctionDeployment) {
    const network = fn.network ? fn.network : (await this.functionsNetwork()).name;
    const secrets = fn.secrets?.length ? secretRefs(await this.secrets.all()) : new Map();
    const hc = this.opts.healthCheckIntervalMs ?? 3000;
    const drain = this.opts.drainMs ?? 2000;
    return {
      network,
      endpointMode: this.opts.endpointMode,
      secrets,
      // A generous timeout and retry count: on a loaded node a slow check must not get a healthy task killed and restarted.
      ...(hc > 0 ? { healthCheck: { Interval: hc * 1e6, Timeout: 10e9, Retries: 5 } } : {}),
      ...(drain > 0 ? { defaultEnv: { healthcheck_interval: `${drain}ms` } } : {}),
    };
  }

  /** Inspects a function's service, checking it is one (so the stack's own services cannot be changed through the API). */
  private async find(name: string): Promise<ServiceInfo> {
    const svc = (await this.call(`function "${name}"`, () => this.docker.getService(name).inspect())) as ServiceInfo;
    if (svc.Spec?.Name !== name || !isFunctionService(svc)) throw new NotFoundError(`function "${name}" not found`);
    return svc;
  }

  /** Applies `change` with the service's version index, retrying once when a concurrent update got there first. */
  private async updateService(name: string, change: (svc: ServiceInfo) => Promise<Docker.ServiceSpec>, auth?: object): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const svc = await this.find(name);
      const spec = await change(svc);
      try {
        const opts = { _query: { version: svc.Version?.Index ?? 0 }, _body: spec, ...(auth ? { authconfig: auth } : {}) };
        await this.docker.getService(svc.ID).update(opts as never);
        this.resolver.invalidate(name);
        return;
      } catch (err) {
        if (attempt === 0 && isOutOfSequence(err)) continue;
        throw translateDockerError(err, `function "${name}"`);
      }
    }
  }

  /** Running, up-to-date tasks (Swarm holds a task in `starting` until its HEALTHCHECK passes, so these are healthy). */
  private async runningTasks(serviceId?: string): Promise<TaskInfo[]> {
    const filters: Record<string, string[]> = { 'desired-state': ['running'], '_up-to-date': ['true'] };
    if (serviceId) filters.service = [serviceId];
    const tasks = (await this.call('tasks', () => this.docker.listTasks({ filters }))) as TaskInfo[];
    return tasks.filter((t) => t.Status?.State === 'running' && (!serviceId || t.ServiceID === serviceId));
  }

  private async functionsNetwork(): Promise<{ name: string; ids: Set<string> }> {
    if (this.networkCache) return this.networkCache;
    const nets = await this.call('networks', () => this.docker.listNetworks());
    const pick = this.opts.network
      ? nets.find((n) => n.Name === this.opts.network || n.Id === this.opts.network)
      : (nets.find((n) => n.Labels?.[L.LABEL_FUNCTIONS_NETWORK] === 'true') ?? nets.find((n) => n.Labels?.openfaas === 'true'));
    if (!pick) {
      throw new UnavailableError(
        this.opts.network
          ? `functions network "${this.opts.network}" not found`
          : `no functions network: create an attachable overlay labelled ${L.LABEL_FUNCTIONS_NETWORK}=true, or set functions_network`,
        'no_network',
      );
    }
    this.networkCache = { name: pick.Name, ids: new Set([pick.Id, pick.Name]) };
    return this.networkCache;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw translateDockerError(err, what);
    }
  }
}

/** The spec of `svc` with one secret reference swapped for its new version (same target file). */
export function repointSecret(svc: ServiceInfo, oldId: string, newId: string, newName: string): Docker.ServiceSpec {
  const spec = structuredClone(svc.Spec ?? {});
  const cs = (spec.TaskTemplate as Docker.ContainerTaskSpec).ContainerSpec ?? {};
  cs.Secrets = (cs.Secrets ?? []).map((r) => (r.SecretID === oldId ? { ...r, SecretID: newId, SecretName: newName } : r));
  return spec;
}
