import type { SwarmDocker } from '../../../gateway/src/providers/swarm/client';
import { SwarmProvider } from '../../../gateway/src/providers/swarm/swarm-provider';
import { makeServiceSpec } from '../../../gateway/src/providers/swarm/spec';
import { NotFoundError, UnavailableError } from '../../../gateway/src/errors';

const NET = { Name: 'skep_functions', Id: 'net1', Labels: { 'com.skep.functions': 'true' } };

/** A plain-object stand-in for the dockerode slice: one function service, scripted update failures. */
function fakeDocker(opts: { updateErrors?: unknown[]; tasks?: unknown[] } = {}) {
  const spec = makeServiceSpec({ service: 'echoit', image: 'skep/echoit:latest' }, { network: 'skep_functions', endpointMode: 'dnsrr', secrets: new Map() });
  let version = 10;
  const updates: { version: number; body: typeof spec }[] = [];
  const errors = [...(opts.updateErrors ?? [])];
  const service = {
    inspect: async () => ({ ID: 'svc1', Version: { Index: version }, CreatedAt: '2026-01-01T00:00:00Z', Spec: spec }),
    update: async (o: { _query: { version: number }; _body: typeof spec }) => {
      updates.push({ version: o._query.version, body: o._body });
      version++;
      const e = errors.shift();
      if (e) throw e;
    },
  };
  const docker = {
    getService: (name: string) => (name === 'echoit' || name === 'svc1' ? service : { inspect: async () => Promise.reject({ statusCode: 404, message: 'no such service' }) }),
    listNetworks: async () => [NET],
    listTasks: async () => opts.tasks ?? [],
    listServices: async () => [await service.inspect()],
    listSecrets: async () => [],
  } as unknown as SwarmDocker;
  return { docker, updates };
}

const task = (id: string, ip: string, state = 'running', desired = 'running') => ({
  ID: id, ServiceID: 'svc1', DesiredState: desired, Status: { State: state },
  NetworksAttachments: [{ Network: { ID: 'net1', Spec: { Name: 'skep_functions' } }, Addresses: [`${ip}/24`] }],
});

describe('SwarmProvider (fake engine)', () => {
  it('scales with the version index it read', async () => {
    const { docker, updates } = fakeDocker();
    await new SwarmProvider({ docker, endpointMode: 'dnsrr' }).scale('echoit', 3);
    expect(updates).toHaveLength(1);
    expect(updates[0].version).toBe(10);
    expect(updates[0].body.Mode).toEqual({ Replicated: { Replicas: 3 } });
  });

  it('retries once with a fresh version on "update out of sequence"', async () => {
    const { docker, updates } = fakeDocker({ updateErrors: [{ statusCode: 500, message: 'rpc error: update out of sequence' }] });
    await new SwarmProvider({ docker, endpointMode: 'dnsrr' }).scale('echoit', 2);
    expect(updates.map((u) => u.version)).toEqual([10, 11]);
  });

  it('gives up after the second out-of-sequence failure', async () => {
    const seq = { statusCode: 500, message: 'update out of sequence' };
    const { docker } = fakeDocker({ updateErrors: [seq, seq] });
    await expect(new SwarmProvider({ docker, endpointMode: 'dnsrr' }).scale('echoit', 2)).rejects.toMatchObject({ statusCode: 500 });
  });

  it('answers NotFoundError for an unknown function', async () => {
    const { docker } = fakeDocker();
    await expect(new SwarmProvider({ docker, endpointMode: 'dnsrr' }).status('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('resolves only running tasks Swarm still wants running, on the functions network', async () => {
    const { docker } = fakeDocker({ tasks: [task('t1', '10.0.1.5'), task('t2', '10.0.1.6', 'starting'), task('t3', '10.0.1.7', 'running', 'shutdown')] });
    const eps = await new SwarmProvider({ docker, endpointMode: 'dnsrr', probe: false }).resolve('echoit');
    expect(eps).toEqual([{ id: 't1', url: 'http://10.0.1.5:8080' }]);
  });

  it('routes to a starting task once its own readiness probe passes (before Swarm\'s first health check)', async () => {
    const { docker } = fakeDocker({ tasks: [task('t1', '10.0.1.5', 'starting'), task('t2', '10.0.1.6', 'starting')] });
    const probe = async (url: string) => url.includes('10.0.1.6');
    const eps = await new SwarmProvider({ docker, endpointMode: 'dnsrr', probe }).resolve('echoit');
    expect(eps.map((e) => e.id)).toEqual(['t2']);
  });

  it('leaves out a task whose watchdog is not ready yet', async () => {
    const { docker } = fakeDocker({ tasks: [task('t1', '10.0.1.5'), task('t2', '10.0.1.6')] });
    const probe = async (url: string) => url.includes('10.0.1.5');
    const eps = await new SwarmProvider({ docker, endpointMode: 'dnsrr', probe }).resolve('echoit');
    expect(eps.map((e) => e.id)).toEqual(['t1']);
  });

  it('answers from its cache within the TTL without calling Docker', async () => {
    const { docker } = fakeDocker({ tasks: [task('t1', '10.0.1.5')] });
    let now = 1000;
    const calls = { tasks: 0, inspect: 0 };
    const d = docker as unknown as { listTasks: () => Promise<unknown[]>; getService: (n: string) => { inspect: () => Promise<unknown> } };
    const listTasks = d.listTasks;
    const getService = d.getService;
    d.listTasks = async () => (calls.tasks++, listTasks());
    d.getService = (n) => ({ ...getService(n), inspect: async () => (calls.inspect++, getService(n).inspect()) });
    const p = new SwarmProvider({ docker, endpointMode: 'dnsrr', probe: false, resolveTtlMs: 500, clock: { now: () => now, sleep: async () => undefined } });
    await p.resolve('echoit');
    now += 499;
    await p.resolve('echoit');
    expect(calls).toEqual({ tasks: 1, inspect: 1 });
    now += 1;
    await p.resolve('echoit');
    expect(calls).toEqual({ tasks: 2, inspect: 2 });
  });

  it('hands out the service VIP name in vip mode', async () => {
    const { docker } = fakeDocker({ tasks: [task('t1', '10.0.1.5')] });
    expect(await new SwarmProvider({ docker, endpointMode: 'vip' }).resolve('echoit')).toEqual([{ id: 'echoit', url: 'http://echoit:8080' }]);
  });

  it('says 503 when no functions network exists', async () => {
    const { docker } = fakeDocker();
    (docker as unknown as { listNetworks: () => Promise<unknown[]> }).listNetworks = async () => [];
    await expect(new SwarmProvider({ docker, endpointMode: 'dnsrr' }).resolve('echoit')).rejects.toBeInstanceOf(UnavailableError);
  });
});
