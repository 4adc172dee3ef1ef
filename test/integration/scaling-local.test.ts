import { call, burst, deployPid, scalingGateway, until, type ScalingGateway } from '../support/scaling-local';
import { watchdogBuilt } from '../support/local-harness';

if (!watchdogBuilt()) throw new Error('dist/watchdog/src/main.js is missing: run `npm run build` first (npm test does)');

jest.setTimeout(90_000);

describe('scaling on the local provider (real watchdog replicas)', () => {
  let gw: ScalingGateway;
  afterEach(async () => {
    await gw?.close();
  });

  it('answers a burst of concurrent calls to a function at zero with 200s after one scale-up', async () => {
    gw = await scalingGateway({ idleCheckIntervalMs: 60_000 });
    await deployPid(gw, 'cold', { 'com.openfaas.scale.min': '0' });
    expect((await gw.provider.status('cold')).replicas).toBe(0);
    const results = await burst(`${gw.url}/function/cold`, 100);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.every((r) => JSON.parse(r.body).pid > 0)).toBe(true);
    const events = gw.ext.parts()!.scaler.events.list('cold');
    expect(events.map((e) => [e.from, e.to, e.reason])).toEqual([[0, 1, 'zero']]);
  });

  it('scales an idle function to zero, then wakes it for the next call', async () => {
    gw = await scalingGateway({ idleCheckIntervalMs: 200 });
    await deployPid(gw, 'napper', { 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': '1s' });
    expect((await call(`${gw.url}/function/napper`)).status).toBe(200);
    expect(await until(async () => (await gw.provider.status('napper')).replicas === 0, 20_000)).toBe(true);
    expect((await gw.provider.resolve('napper')).length).toBe(0);
    const r = await call(`${gw.url}/function/napper`);
    expect(r.status).toBe(200);
    const reasons = gw.ext.parts()!.scaler.events.list('napper').map((e) => e.reason);
    expect(reasons).toEqual(['zero', 'idle']);
  });

  it('keeps a function with calls in flight awake past its idle period', async () => {
    gw = await scalingGateway({ idleCheckIntervalMs: 200 });
    await deployPid(gw, 'busy', { 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': '1s' });
    const slow = call(`${gw.url}/function/busy?sleep=2500`);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await gw.provider.status('busy')).replicas).toBe(1);
    expect((await slow).status).toBe(200);
  });

  it('lets the autoscaler add replicas under concurrent load and serve from them', async () => {
    gw = await scalingGateway({ autoscalerIntervalMs: 500, idleCheckIntervalMs: 60_000 });
    await deployPid(gw, 'auto', { 'com.skep.scale.target': '2', 'com.openfaas.scale.max': '3' });
    const stop = { now: false };
    const pids = new Set<number>();
    const worker = async () => {
      while (!stop.now) {
        const r = await call(`${gw.url}/function/auto?sleep=200`);
        if (r.status === 200) pids.add(JSON.parse(r.body).pid);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    const grew = await until(async () => (await gw.provider.status('auto')).availableReplicas >= 2, 30_000);
    await until(() => pids.size >= 2, 10_000);
    stop.now = true;
    await Promise.all(workers);
    expect(grew).toBe(true);
    expect(pids.size).toBeGreaterThanOrEqual(2);
    const e = gw.ext.parts()!.scaler.events.list('auto').at(-1);
    expect(e).toMatchObject({ from: 1, reason: 'autoscaler' });
  });
});
