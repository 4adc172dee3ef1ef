import type Docker from 'dockerode';
import { SwarmProvider } from '../../gateway/src/providers/swarm/swarm-provider';
import type { FunctionDeployment } from '../../gateway/src/providers/provider';
import { eventually, providerContract } from '../support/provider-contract';
import { ensureTestNetwork, removeLabelled, swarmDocker, TEST_LABEL, TEST_NETWORK } from './docker-support';

const WATCHDOG_IMAGE = process.env.SKEP_TEST_WATCHDOG_IMAGE ?? 'skep/watchdog:latest';

/** A function any watchdog image can run: the classic fork mode over busybox's cat. */
const deployment = (name: string): FunctionDeployment => ({
  service: name,
  image: WATCHDOG_IMAGE,
  envProcess: 'cat',
  envVars: { mode: 'fork' },
  labels: { [TEST_LABEL]: '1' },
});

/** Adds the test label to every deployment (the contract replaces `labels`), so clean-up by label finds everything. */
class LabelledProvider extends SwarmProvider {
  override deploy(fn: FunctionDeployment) {
    return super.deploy({ ...fn, labels: { ...fn.labels, [TEST_LABEL]: '1' } });
  }
  override update(fn: FunctionDeployment) {
    return super.update({ ...fn, labels: { ...fn.labels, [TEST_LABEL]: '1' } });
  }
}

let docker: Docker | undefined;
let skip = '';

beforeAll(async () => {
  const got = await swarmDocker();
  if ('skip' in got) skip = got.skip;
  else {
    docker = got.docker;
    await ensureTestNetwork(docker);
  }
}, 60_000);

afterAll(async () => {
  if (docker) await removeLabelled(docker);
}, 120_000);

// The test process runs on the host, outside the overlay: task addresses are read but not probed.
const makeProvider = async () => {
  if (!docker) throw new Error(`Swarm tests need a swarm manager: ${skip}`);
  const provider = new LabelledProvider({ docker, network: TEST_NETWORK, endpointMode: 'dnsrr', probe: false, resolveTtlMs: 0 });
  return { provider, cleanup: async () => removeLabelled(docker!) };
};

providerContract('swarm', makeProvider, {
  deployment: (name) => deployment(name),
  testTimeoutMs: 90_000,
  readyTimeoutMs: 45_000,
  pollMs: 300,
  prefix: 'sct',
});

describe('SwarmProvider on a real engine', () => {
  let provider: LabelledProvider;
  beforeEach(async () => ({ provider } = await makeProvider()));
  afterEach(async () => removeLabelled(docker!), 60_000);

  it('mounts a secret at /var/openfaas/secrets/<name> and re-points it on rotation', async () => {
    const secret = `sct-key-${process.pid}`;
    await provider.createSecret({ name: secret, value: 'v1' });
    try {
      await provider.deploy({ ...deployment('sct-secret'), secrets: [secret] });
      await provider.updateSecret({ name: secret, value: 'v2' });
      const svc = (await docker!.getService('sct-secret').inspect()) as { Spec: Docker.ServiceSpec };
      const refs = (svc.Spec.TaskTemplate as Docker.ContainerTaskSpec).ContainerSpec!.Secrets!;
      expect(refs).toHaveLength(1);
      expect(refs[0].File?.Name).toBe(`/var/openfaas/secrets/${secret}`);
      expect(refs[0].SecretName).toBe(`${secret}-2`);
      expect((await provider.status('sct-secret')).secrets).toEqual([secret]);
      const all = (await docker!.listSecrets()) as unknown as { Spec: { Name: string } }[];
      expect(all.map((s) => s.Spec.Name).filter((n) => n.startsWith(secret))).toEqual([`${secret}-2`]);
    } finally {
      await removeLabelled(docker!);
      await provider.removeSecret(secret).catch(() => undefined);
    }
  });

  it('keeps the scaled replica count across an update and rolls the tasks', async () => {
    await provider.deploy(deployment('sct-keep'));
    await provider.scale('sct-keep', 2);
    await provider.update({ ...deployment('sct-keep'), envVars: { mode: 'fork', v: '2' } });
    const st = await provider.status('sct-keep');
    expect(st.replicas).toBe(2);
    expect(await eventually(async () => (await provider.status('sct-keep')).availableReplicas === 2, 45_000, 300)).toBe(true);
  });

  it('does not treat a non-function service as a function', async () => {
    await docker!.createService({
      Name: 'sct-plain',
      Labels: { [TEST_LABEL]: '1' },
      TaskTemplate: { ContainerSpec: { Image: WATCHDOG_IMAGE, Env: ['fprocess=cat'] } },
      Mode: { Replicated: { Replicas: 0 } },
    });
    expect((await provider.list()).some((f) => f.name === 'sct-plain')).toBe(false);
    await expect(provider.remove('sct-plain')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers 503 with a clear message when the engine is unreachable', async () => {
    const DockerCtor = (await import('dockerode')).default;
    const dead = new SwarmProvider({ docker: new DockerCtor({ socketPath: '/nonexistent/docker.sock' }), endpointMode: 'dnsrr' });
    await expect(dead.list()).rejects.toMatchObject({ statusCode: 503, message: expect.stringMatching(/Docker engine unreachable/) });
  });
});
