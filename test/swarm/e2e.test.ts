/**
 * End to end on a real Swarm, from the host through the gateway's published port: the stack is deployed (swarm:up), the
 * sample functions are published through the API and invoked, one is scaled to 3 tasks and rolled to a new spec under
 * load, a secret is rotated, logs are read, and everything is removed. Needs the images built (scripts/images/build-all.sh).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import YAML from 'yaml';
import { removeLabelled, swarmDocker, TEST_LABEL } from './docker-support';
import { api, gatewayUp, invoke, waitFor } from './gateway-client';

const ROOT = resolve(__dirname, '../..');
const STACK = process.env.SKEP_STACK ?? 'skep';
interface StackFn { image: string; environment?: Record<string, string>; labels?: Record<string, string>; limits?: { memory?: string } }
const samples = Object.entries(YAML.parse(readFileSync(resolve(ROOT, 'functions/stack.yml'), 'utf8')).functions as Record<string, StackFn>);

/** Input and expected output per sample function; functions missing here only need a non-5xx answer. */
const checks: Record<string, { body?: string; query?: string; expect: (text: string) => void }> = {
  echoit: { body: 'hello swarm', expect: (t) => expect(t).toBe('hello swarm') },
  base64: { body: 'hello', expect: (t) => expect(t.trim()).toBe('aGVsbG8=') },
  decodebase64: { body: 'aGVsbG8=', expect: (t) => expect(t).toBe('hello') },
  wordcount: { body: 'one two\nthree', expect: (t) => expect(JSON.parse(t)).toMatchObject({ lines: 1, words: 3 }) },
  markdown: { body: '# Hi', expect: (t) => expect(t).toContain('<h1>Hi</h1>') },
  nodeinfo: { expect: (t) => expect(JSON.parse(t).hostname).toEqual(expect.any(String)) },
  sleep: { query: '?ms=10', expect: () => undefined },
};

let docker: Docker;
const secret = `e2e-key-${process.pid}`;

beforeAll(async () => {
  const got = await swarmDocker();
  if ('skip' in got) throw new Error(`the Swarm suite needs a swarm manager: ${got.skip}`);
  docker = got.docker;
  if (!(await gatewayUp())) {
    const up = spawnSync('bash', ['scripts/swarm-up.sh'], { cwd: ROOT, env: { ...process.env, SKEP_SKIP_IMAGES: '1' }, stdio: 'inherit', timeout: 600_000 });
    if (up.status !== 0) throw new Error('swarm-up.sh failed');
  }
  await waitFor('the gateway', gatewayUp, 120_000);
  // This suite drives replicas itself; Alertmanager's scale-up / resolved webhooks (APIHighInvocationRate fires under the
  // suite's load) would race its scale and rolling-update checks, so it is paused here and restored afterwards.
  await setReplicas(`${STACK}_alertmanager`, 0);
}, 700_000);

/** Sets a stack service's replica count (used to pause Alertmanager). */
async function setReplicas(service: string, replicas: number): Promise<void> {
  const svc = (await docker.getService(service).inspect().catch(() => null)) as { Version: { Index: number }; Spec: Docker.ServiceSpec } | null;
  if (!svc) return;
  await docker.getService(service).update({ _query: { version: svc.Version.Index }, _body: { ...svc.Spec, Mode: { Replicated: { Replicas: replicas } } } } as never);
}

afterAll(async () => {
  for (const [name] of samples) await api('DELETE', '/system/functions', { functionName: name }).catch(() => undefined);
  await api('DELETE', '/system/secrets', { name: secret }).catch(() => undefined);
  if (docker) {
    await removeLabelled(docker);
    await setReplicas(`${STACK}_alertmanager`, 1).catch(() => undefined);
  }
}, 120_000);

describe('Skep on Swarm, end to end', () => {
  it('runs the gateway task on a manager node', async () => {
    const tasks = (await docker.listTasks({ filters: { service: [`${STACK}_gateway`], 'desired-state': ['running'] } })) as { NodeID: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) expect((await docker.getNode(t.NodeID).inspect()).Spec.Role).toBe('manager');
  });

  it('publishes every sample function through the API and invokes each', async () => {
    for (const [name, fn] of samples) {
      const res = await api('POST', '/system/functions', {
        service: name, image: fn.image, envVars: fn.environment ?? {}, limits: fn.limits,
        labels: { ...(fn.labels ?? {}), [TEST_LABEL]: '1' },
      });
      expect([name, res.status]).toEqual([name, 202]);
    }
    for (const [name] of samples) {
      const check = checks[name] ?? { expect: () => undefined };
      const out = await waitFor(`${name} to answer`, async () => {
        const r = await invoke(name, check.body ?? '', undefined, check.query ?? '');
        return r.status < 500 ? r : null;
      });
      expect([name, out.status]).toEqual([name, 200]);
      check.expect(out.text);
    }
    const listed = JSON.parse((await api('GET', '/system/functions')).text) as { name: string; availableReplicas: number }[];
    for (const [name] of samples) expect(listed.map((f) => f.name)).toContain(name);
    // The rest of the suite needs only nodeinfo; the others go now, to spare a small machine their health checks.
    for (const [name] of samples.filter(([n]) => n !== 'nodeinfo')) {
      expect([name, (await api('DELETE', '/system/functions', { functionName: name })).status]).toEqual([name, 202]);
    }
  }, 600_000);

  it('scales nodeinfo to 3 and answers from 3 different tasks over one keep-alive connection', async () => {
    expect((await api('POST', '/system/scale-function/nodeinfo', { serviceName: 'nodeinfo', replicas: 3 })).status).toBe(202);
    await waitFor('3 available replicas', async () => JSON.parse((await api('GET', '/system/function/nodeinfo')).text).availableReplicas === 3, 180_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const hosts = new Set<string>();
    await waitFor('3 hostnames', async () => {
      const r = await invoke('nodeinfo', '', agent);
      if (r.status === 200) hosts.add(JSON.parse(r.text).hostname);
      return hosts.size === 3;
    }, 60_000, 50);
    agent.destroy();
    expect(hosts.size).toBe(3);
  }, 300_000);

  it('rolls nodeinfo to a new spec with no failed request', async () => {
    const before = (await docker.getService('nodeinfo').inspect()) as { Version: { Index: number } };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    let ok = 0;
    const failures: string[] = [];
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const r = await invoke('nodeinfo', '', agent).catch((e: Error) => ({ status: 0, text: e.message }));
        if (r.status === 200) ok++;
        else failures.push(`${r.status} ${r.text.slice(0, 100)}`);
      }
    };
    const loops = [loop(), loop()];
    try {
      const res = await api('PUT', '/system/functions', { service: 'nodeinfo', image: 'skep/nodeinfo:latest', envVars: { rev: '2' }, labels: { [TEST_LABEL]: '1' } });
      expect(res.status).toBe(202);
      const state = await waitFor('the rolling update to end', async () => {
        const svc = (await docker.getService('nodeinfo').inspect()) as { Version: { Index: number }; UpdateStatus?: { State?: string; Message?: string } };
        const s = svc.UpdateStatus?.State ?? '';
        return svc.Version.Index > before.Version.Index && ['completed', 'paused', 'rollback_completed', 'rollback_paused'].includes(s) ? `${s} ${svc.UpdateStatus?.Message}` : null;
      }, 400_000, 1000);
      expect(state).toMatch(/^completed/);
    } finally {
      stop = true;
      await Promise.all(loops);
      agent.destroy();
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    const st = JSON.parse((await api('GET', '/system/function/nodeinfo')).text);
    expect(st).toMatchObject({ replicas: 3, envVars: { rev: '2' } });
  }, 500_000);

  it('rotates a secret and the function sees the new value', async () => {
    expect((await api('POST', '/system/secrets', { name: secret, value: 'first' })).status).toBe(201);
    const res = await api('POST', '/system/functions', {
      service: 'secret-reader', image: 'skep/watchdog:latest', envProcess: `cat /var/openfaas/secrets/${secret}`,
      envVars: { mode: 'fork' }, secrets: [secret], labels: { [TEST_LABEL]: '1' },
    });
    expect(res.status).toBe(202);
    await waitFor('the first value', async () => (await invoke('secret-reader')).text === 'first', 180_000);
    expect((await api('PUT', '/system/secrets', { name: secret, value: 'second' })).status).toBe(202);
    await waitFor('the rotated value', async () => (await invoke('secret-reader')).text === 'second', 180_000);
    expect((JSON.parse((await api('GET', '/system/secrets')).text) as { name: string }[]).map((s) => s.name)).toContain(secret);
    expect((await api('DELETE', '/system/functions', { functionName: 'secret-reader' })).status).toBe(202);
  }, 400_000);

  it('reads function logs as NDJSON with the task id as instance', async () => {
    const res = await waitFor('log lines', async () => {
      const r = await api('GET', '/system/logs?name=nodeinfo&tail=20');
      return r.status === 200 && r.text.trim() ? r : null;
    }, 60_000);
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatchObject({ name: 'nodeinfo', instance: expect.stringMatching(/^\w{10,}$/) });
  }, 120_000);

  it('removes every function and secret it made', async () => {
    expect((await api('DELETE', '/system/functions', { functionName: 'nodeinfo' })).status).toBe(202);
    expect((await api('DELETE', '/system/functions', { functionName: 'nodeinfo' })).status).toBe(404);
    const listed = JSON.parse((await api('GET', '/system/functions')).text) as { name: string }[];
    expect(listed.filter((f) => samples.some(([n]) => n === f.name))).toEqual([]);
    expect((await api('DELETE', '/system/secrets', { name: secret })).status).toBe(200);
    expect(await docker.listServices({ filters: { label: [TEST_LABEL] } })).toEqual([]);
  }, 120_000);
});
