/** Helpers for the Swarm suites: a dockerode client, a labelled test network, and clean-up of everything a test made. */
import Docker from 'dockerode';

/** Every object a Swarm test creates carries this label and is removed by it. */
export const TEST_LABEL = 'com.skep.test';
export const TEST_NETWORK = 'skep-test-functions';

/** A client for the local engine, or null (with the reason) when there is no swarm manager to test against. */
export async function swarmDocker(): Promise<{ docker: Docker } | { skip: string }> {
  const docker = new Docker();
  try {
    const info = await docker.info();
    if (info?.Swarm?.LocalNodeState !== 'active' || !info?.Swarm?.ControlAvailable) return { skip: 'this engine is not a swarm manager' };
    return { docker };
  } catch (err) {
    return { skip: `no Docker engine: ${(err as Error).message}` };
  }
}

/** Creates the attachable overlay network the provider tests deploy into (labelled for clean-up). */
export async function ensureTestNetwork(docker: Docker): Promise<void> {
  const nets = await docker.listNetworks({ filters: { name: [TEST_NETWORK] } });
  if (nets.some((n) => n.Name === TEST_NETWORK)) return;
  await docker.createNetwork({ Name: TEST_NETWORK, Driver: 'overlay', Attachable: true, Labels: { [TEST_LABEL]: '1' } });
}

/** Removes the test-labelled services and secrets (services first: a secret in use cannot go). */
export async function removeLabelled(docker: Docker, alsoNetworks = false): Promise<void> {
  const label = { label: [TEST_LABEL] };
  for (const s of await docker.listServices({ filters: label })) await docker.getService(s.ID).remove().catch(() => undefined);
  const secrets = (await docker.listSecrets({ filters: label })) as unknown as { ID: string }[];
  for (let i = 0; i < 10; i++) {
    const left = [];
    for (const s of secrets) if (await docker.getSecret(s.ID).remove().then(() => false, (e) => e.statusCode !== 404)) left.push(s);
    if (!left.length) break;
    secrets.splice(0, secrets.length, ...left);
    await new Promise((r) => setTimeout(r, 500));
  }
  if (alsoNetworks) {
    for (const n of await docker.listNetworks({ filters: label })) {
      for (let i = 0; i < 20; i++) {
        if (await docker.getNetwork(n.Id).remove().then(() => true, (e) => e.statusCode === 404)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
