import type { Endpoint } from '../provider';
import type { Clock, SwarmDocker, TaskInfo } from './client';
import { translateDockerError } from './docker-errors';

/** Checks a task's watchdog answers `/_/ready` before the first request goes to it. */
export type ReadyProbe = (url: string) => Promise<boolean>;

/** Options of the task resolver. */
export interface ResolverOptions {
  /** How long a resolved list is reused; short, so a stopping task leaves the pool quickly. */
  ttlMs: number;
  port: number;
  clock: Clock;
  probe?: ReadyProbe;
}

interface Entry {
  at: number;
  endpoints: Endpoint[];
  pending?: Promise<Endpoint[]>;
}

/**
 * A task is a candidate only while Swarm wants it running and reports it running (its HEALTHCHECK passed) or, when
 * `acceptStarting` (the gateway probes `/_/ready` itself), started but not yet past its first health-check interval.
 */
export function taskAddress(task: TaskInfo, networkIds: Set<string>, acceptStarting = false): string | null {
  const state = task.Status?.State;
  if (task.DesiredState !== 'running' || !(state === 'running' || (acceptStarting && state === 'starting'))) return null;
  for (const att of task.NetworksAttachments ?? []) {
    const id = att.Network?.ID ?? '';
    const name = att.Network?.Spec?.Name ?? '';
    if ((networkIds.has(id) || networkIds.has(name)) && att.Addresses?.length) return att.Addresses[0].split('/')[0];
  }
  return null;
}

/**
 * Resolves a function to the addresses of its running tasks on the functions network (tasks API, so it works without IPVS),
 * caching each answer for a short TTL and probing a new task's readiness once before it joins the pool.
 */
export class TaskResolver {
  private readonly cache = new Map<string, Entry>();
  private readonly ready = new Set<string>();

  constructor(private readonly docker: SwarmDocker, private readonly opts: ResolverOptions) {}

  /**
   * Endpoints of the ready tasks of `name`; on a cache miss `lookup` finds its service id and network (ids or names),
   * so the hot path (a fresh cache entry) makes no Docker call at all.
   */
  async resolve(name: string, lookup: () => Promise<{ serviceId: string; networks: Set<string> }>): Promise<Endpoint[]> {
    const hit = this.cache.get(name);
    const now = this.opts.clock.now();
    if (hit && now - hit.at < this.opts.ttlMs) return hit.endpoints;
    if (hit?.pending) return hit.pending;
    const pending = lookup()
      .then(({ serviceId, networks }) => this.fetch(name, serviceId, networks))
      .finally(() => {
        const e = this.cache.get(name);
        if (e) e.pending = undefined;
      });
    this.cache.set(name, { at: hit?.at ?? 0, endpoints: hit?.endpoints ?? [], pending });
    return pending.catch((err) => {
      if (this.cache.get(name)?.pending === undefined && !this.cache.get(name)?.at) this.cache.delete(name);
      throw err;
    });
  }

  /** Forgets a function's cached endpoints (after scale, update, remove, or a failed connection). */
  invalidate(name: string): void {
    this.cache.delete(name);
  }

  private async fetch(name: string, serviceId: string, networks: Set<string>): Promise<Endpoint[]> {
    let tasks: TaskInfo[];
    try {
      tasks = (await this.docker.listTasks({ filters: { service: [serviceId], 'desired-state': ['running'] } })) as TaskInfo[];
    } catch (err) {
      throw translateDockerError(err, `function "${name}"`);
    }
    const candidates = tasks
      .filter((t) => t.ServiceID === serviceId)
      .map((t) => ({ id: t.ID, address: taskAddress(t, networks, this.opts.probe !== undefined) }))
      .filter((t): t is { id: string; address: string } => t.address !== null)
      .map((t) => ({ id: t.id, url: `http://${t.address}:${this.opts.port}` }));
    const live = new Set(candidates.map((c) => c.id));
    for (const id of this.ready) if (!live.has(id) && !this.isCachedElsewhere(id, name)) this.ready.delete(id);
    const endpoints = (await Promise.all(candidates.map(async (c) => ((await this.isReady(c)) ? c : null)))).filter(
      (c): c is Endpoint => c !== null,
    );
    this.cache.set(name, { at: this.opts.clock.now(), endpoints });
    return endpoints;
  }

  private isCachedElsewhere(id: string, name: string): boolean {
    for (const [n, e] of this.cache) if (n !== name && e.endpoints.some((x) => x.id === id)) return true;
    return false;
  }

  private async isReady(ep: Endpoint): Promise<boolean> {
    if (!this.opts.probe || this.ready.has(ep.id)) return true;
    const ok = await this.opts.probe(ep.url).catch(() => false);
    if (ok) this.ready.add(ep.id);
    return ok;
  }
}

/** Probes a watchdog's `/_/ready` with a short timeout. */
export const httpReadyProbe: ReadyProbe = async (url) => {
  const res = await fetch(`${url}/_/ready`, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer().catch(() => undefined);
  return res.ok;
};
