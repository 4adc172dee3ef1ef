/**
 * Async invocations on the deployed stack: `/async-function/<name>` through the published gateway is stored in the
 * stack's NATS JetStream service (not the gateway's embedded SQLite file) and completes; after NATS restarts on its volume
 * the earlier call is still known and a new one completes (the gateway reconnects). Needs swarm:up (the CI suite runs it).
 */
import { spawnSync } from 'node:child_process';
import type Docker from 'dockerode';
import { removeLabelled, swarmDocker, TEST_LABEL } from './docker-support';
import { api, GATEWAY, gatewayUp, password, waitFor } from './gateway-client';

const STACK = process.env.SKEP_STACK ?? 'skep';
const FN = 'async-echo';
let docker: Docker;

const dockerCli = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });

/** Submits an async call; returns its call id. */
async function submit(body: string): Promise<string> {
  const res = await fetch(`${GATEWAY}/async-function/${FN}`, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
  expect(res.status).toBe(202);
  return res.headers.get('x-call-id') ?? '';
}

/** Polls the call's record until it leaves queued/running; returns it. */
async function settled(callId: string): Promise<{ state: string; attempts: number; lastStatus?: number }> {
  return waitFor(`call ${callId} to finish`, async () => {
    const r = await api('GET', `/system/async/${callId}`);
    const job = r.status === 200 ? JSON.parse(r.text) : null;
    return job && !['queued', 'running'].includes(job.state) ? job : null;
  }, 180_000, 1000);
}

/** NATS's JetStream report (`/jsz` on its monitoring port, read inside the nats task: the port is not published). */
function jetstreamReport(): { streams: number; messages: number; account_details?: { stream_detail?: { name: string; state: { messages: number } }[] }[] } {
  const id = dockerCli('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_nats`).stdout.trim().split('\n')[0];
  if (!id) throw new Error('no running nats task');
  const out = dockerCli('exec', id, 'wget', '-qO-', 'http://127.0.0.1:8222/jsz?streams=true');
  if (out.status !== 0) throw new Error(`jsz: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

const streamNames = () => (jetstreamReport().account_details ?? []).flatMap((a) => a.stream_detail ?? []).map((s) => s.name);

beforeAll(async () => {
  const got = await swarmDocker();
  if ('skip' in got) throw new Error(`the Swarm suite needs a swarm manager: ${got.skip}`);
  docker = got.docker;
  if (!(await gatewayUp())) throw new Error('the stack is not deployed: run npm run swarm:up (scripts/ci/swarm-suite.sh does)');
  expect(password()).not.toBe('');
  const res = await api('POST', '/system/functions', { service: FN, image: 'skep/echoit:latest', labels: { [TEST_LABEL]: '1' } });
  expect(res.status).toBe(202);
  await waitFor(`${FN} to be ready`, async () => JSON.parse((await api('GET', `/system/function/${FN}`)).text).availableReplicas >= 1, 180_000, 1000);
}, 300_000);

afterAll(async () => {
  await api('DELETE', '/system/functions', { functionName: FN }).catch(() => undefined);
  if (docker) await removeLabelled(docker);
}, 120_000);

describe('POST /async-function on the stack', () => {
  it('runs the call through NATS JetStream and reaches succeeded', async () => {
    const callId = await submit('hello async');
    expect(callId).toMatch(/\S/);
    const job = await settled(callId);
    expect(job).toMatchObject({ state: 'succeeded', lastStatus: 200 });
    // The queue lives in the nats service: its stream and job bucket exist there, and the gateway logged the backend.
    expect(streamNames()).toEqual(expect.arrayContaining(['SKEP_ASYNC_READY', 'KV_skep_async_jobs']));
    const logs = dockerCli('service', 'logs', '--raw', `${STACK}_gateway`);
    expect(logs.stdout + logs.stderr).toMatch(/"backend":"nats"[^\n]*async worker started/);
  }, 240_000);

  it('keeps calls across a NATS restart and completes new ones once the gateway reconnects', async () => {
    const first = await submit('before restart');
    expect((await settled(first)).state).toBe('succeeded');
    const before = dockerCli('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_nats`).stdout.trim();
    const upd = dockerCli('service', 'update', '-q', '--force', `${STACK}_nats`);
    expect(upd.status).toBe(0);
    await waitFor('a new nats task', async () => {
      const now = dockerCli('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_nats`).stdout.trim();
      return now && now !== before;
    }, 120_000, 1000);
    // The record of the first call came back from the volume.
    const kept = await waitFor('the first call after the restart', async () => {
      const r = await api('GET', `/system/async/${first}`);
      return r.status === 200 ? JSON.parse(r.text) : null;
    }, 120_000, 1000);
    expect(kept).toMatchObject({ callId: first, state: 'succeeded' });
    const second = await waitFor('an accepted call after the restart', async () => {
      const res = await fetch(`${GATEWAY}/async-function/${FN}`, { method: 'POST', body: 'after restart', signal: AbortSignal.timeout(30_000) });
      return res.status === 202 ? res.headers.get('x-call-id') : null;
    }, 120_000, 1000);
    expect((await settled(second)).state).toBe('succeeded');
  }, 400_000);
});
