/**
 * Swarm figures through the stack's published gateway (run `npm run swarm:up` first): time from POST /system/functions
 * to the first successful call, time to scale 1 → 5 ready tasks, and gateway vs direct-to-task throughput at c=50
 * (both measured by autocannon in a container on the functions network). Skips with a message without a Swarm.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import Docker from 'dockerode';
import { api, gatewayUp, invoke, waitFor } from '../swarm/gateway-client';

const FN = 'bench-echo';
const ROOT = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../..' : '../..');
const NETWORK = process.env.SKEP_FUNCTIONS_NETWORK ?? 'skep_functions';

/** Runs autocannon inside a container on the functions network against `url`; returns requests per second. */
function autocannonInNetwork(url: string, seconds: number): Promise<number> {
  const args = ['run', '--rm', '--label', 'com.skep.test=1', '--network', NETWORK, '-v', `${ROOT}/node_modules:/bench/node_modules:ro`,
    'skep/node-base:20', 'node', '/bench/node_modules/autocannon/autocannon.js', '-c', '50', '-d', String(seconds), '-m', 'POST', '-b', 'hello', '--json', url];
  return new Promise((done, fail) => {
    const p = spawn('docker', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c));
    p.on('error', fail);
    p.on('close', () => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '{}');
        done(r.requests?.average ?? 0);
      } catch {
        fail(new Error(`autocannon gave no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Prints the Swarm figures beside OpenFaaS's on the same kind of machine. */
export async function run(): Promise<void> {
  const docker = new Docker();
  const info = await docker.info().catch(() => null);
  if (!info || info.Swarm?.LocalNodeState !== 'active') return void console.log('skipped: no Docker engine in swarm mode (run `npm run swarm:up`)');
  if (!(await gatewayUp())) return void console.log('skipped: no gateway on the published port (run `npm run swarm:up`)');
  await api('DELETE', '/system/functions', { functionName: FN });
  try {
    const t0 = Date.now();
    const res = await api('POST', '/system/functions', { service: FN, image: 'skep/echoit:latest', labels: { 'com.skep.test': '1' } });
    if (res.status !== 202) throw new Error(`deploy answered ${res.status}: ${res.text}`);
    await waitFor('the first call', async () => (await invoke(FN, 'x').catch(() => ({ status: 0 }))).status === 200, 120_000, 50);
    console.log(`deploy → first successful call: ${sec(Date.now() - t0)}   (OpenFaaS on Swarm: 3.8 s median; goal < 1 s)`);

    const tasks = (await docker.listTasks({ filters: { service: [FN], 'desired-state': ['running'] } })) as { NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[] }[];
    const ip = tasks[0]?.NetworksAttachments?.find((a) => a.Network.Spec.Name === NETWORK)?.Addresses[0]?.split('/')[0];
    if (ip) {
      const direct = await autocannonInNetwork(`http://${ip}:8080/`, 5);
      const through = await autocannonInNetwork(`http://gateway:8080/function/${FN}`, 5);
      const pct = direct ? Math.round((through / direct) * 100) : 0;
      console.log(`throughput c=50, 1 task: direct ${Math.round(direct)} req/s, through the gateway ${Math.round(through)} req/s = ${pct}%   (OpenFaaS: 27%; goal ≥ 60%)`);
    } else console.log(`throughput: skipped, no task address on ${NETWORK}`);

    const t1 = Date.now();
    await api('POST', `/system/scale-function/${FN}`, { serviceName: FN, replicas: 5 });
    await waitFor('5 ready tasks', async () => JSON.parse((await api('GET', `/system/function/${FN}`)).text).availableReplicas === 5, 180_000, 100);
    console.log(`scale 1 → 5 ready tasks: ${sec(Date.now() - t1)}   (OpenFaaS on Swarm: 5.3 s; goal < 2 s)`);
  } finally {
    await api('DELETE', '/system/functions', { functionName: FN }).catch(() => undefined);
  }
}
