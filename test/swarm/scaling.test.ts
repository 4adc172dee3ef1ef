/**
 * Scaling on a real Swarm through the stack's gateway: a burst to a function at zero is answered after one scale-up,
 * and the autoscaler scales a real service up under load and back down once the load is gone.
 */
import http from 'node:http';
import { api, GATEWAY, gatewayUp, invoke, waitFor } from './gateway-client';

const ZERO = `sct-zero-${process.pid}`;
const AUTO = `sct-auto-${process.pid}`;
/** Like invoke(), with a deadline long enough for a task to start on a busy engine. */
const slowInvoke = (name: string, body: string, agent: http.Agent): Promise<{ status: number; text: string }> =>
  new Promise((done, fail) => {
    const req = http.request(`${GATEWAY}/function/${name}`, { method: 'POST', agent, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
    req.on('error', fail);
    req.end(body);
  });
const status = async (name: string) => JSON.parse((await api('GET', `/system/function/${name}`)).text) as { replicas: number; availableReplicas: number };
const events = async (name: string) => JSON.parse((await api('GET', `/system/scale-events?function=${name}`)).text) as { from: number; to: number; reason: string }[];

beforeAll(async () => {
  if (!(await gatewayUp())) throw new Error('the Swarm scaling suite needs the stack up (npm run swarm:up); the gateway does not answer');
});

afterAll(async () => {
  for (const name of [ZERO, AUTO]) await api('DELETE', '/system/functions', { functionName: name }).catch(() => undefined);
}, 60_000);

describe('scaling on Swarm', () => {
  it('answers a burst to a function at zero with 200s after one scale-up', async () => {
    const res = await api('POST', '/system/functions', { service: ZERO, image: 'skep/echoit:latest', labels: { 'com.openfaas.scale.min': '0', 'com.skep.test': 'true' } });
    expect(res.status).toBe(202);
    await waitFor('replicas 0', async () => (await status(ZERO)).replicas === 0, 30_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const t0 = Date.now();
    const first = slowInvoke(ZERO, 'first', agent).then((r) => ({ ...r, ms: Date.now() - t0 }));
    const rest = await Promise.all(Array.from({ length: 49 }, (_, i) => slowInvoke(ZERO, `call ${i}`, agent)));
    const one = await first;
    agent.destroy();
    console.log(`swarm: first call to a function at zero answered in ${one.ms} ms`);
    expect(one).toMatchObject({ status: 200, text: 'first' });
    expect(rest.filter((r) => r.status !== 200)).toEqual([]);
    expect((await events(ZERO)).filter((e) => e.reason === 'zero')).toHaveLength(1);
  }, 240_000);

  it('scales a service up under load and back down when the load stops', async () => {
    const res = await api('POST', '/system/functions', { service: AUTO, image: 'skep/sleep:latest', labels: { 'com.skep.scale.target': '2', 'com.openfaas.scale.max': '3', 'com.skep.test': 'true' } });
    expect(res.status).toBe(202);
    await waitFor('one ready replica', async () => (await status(AUTO)).availableReplicas === 1, 90_000);
    let stop = false;
    const t0 = Date.now();
    const worker = async () => {
      while (!stop && Date.now() - t0 < 120_000) await invoke(AUTO, '', undefined, '?ms=500').catch(() => undefined);
    };
    const workers = Array.from({ length: 8 }, worker);
    try {
      await waitFor('a scale-up', async () => (await status(AUTO)).replicas > 1, 60_000, 200);
      const tUp = Date.now() - t0;
      await waitFor('a second ready replica', async () => (await status(AUTO)).availableReplicas > 1, 60_000, 200);
      console.log(`swarm: load step → autoscaler scale-up ${tUp} ms, → second replica ready ${Date.now() - t0} ms`);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    await waitFor('back to one replica', async () => (await status(AUTO)).replicas === 1, 180_000, 1000);
    const reasons = (await events(AUTO)).map((e) => e.reason);
    expect(reasons.every((r) => r === 'autoscaler')).toBe(true);
  }, 360_000);
});
