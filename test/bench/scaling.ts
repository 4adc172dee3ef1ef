/**
 * Scaling bench (local provider, real watchdog replicas): first call to a function at zero, a burst of 200 concurrent
 * calls to a function at zero, the autoscaler's reaction to a load step, and the Prometheus alert path with 1 s intervals.
 * Each figure is printed beside a baseline measured in the same run. Bounded to about a minute.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { resolve } from 'node:path';
import pino from 'pino';
import { loadCatalog } from '../../gateway/src/providers/local/catalog';
import { LocalProvider } from '../../gateway/src/providers/local/local-provider';
import { missingPrometheus, startPrometheusStack } from '../support/prometheus-stack';
import { burst, call, deployPid, PID_IMAGE, scalingGateway, until, type ScalingGateway } from '../support/scaling-local';

const ROOT = __dirname.split(/[\\/]/).includes('dist') ? resolve(__dirname, '../../..') : resolve(__dirname, '../..');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => `${x.toFixed(0)} ms`;

async function provider(): Promise<LocalProvider> {
  const catalog = await loadCatalog(resolve(ROOT, 'functions/stack.yml'));
  const handlerDir = resolve(ROOT, 'test/fixtures/local');
  catalog.set(PID_IMAGE, { name: 'pid', image: PID_IMAGE, lang: 'node', handlerDir, env: { mode: 'inproc', handler_path: resolve(handlerDir, 'pid.js'), prefix_logs: 'false' }, environment: {}, labels: {}, annotations: {}, secrets: [] });
  return LocalProvider.create({ watchdogPath: resolve(ROOT, 'dist/watchdog/src/main.js'), catalog, logger: pino({ level: 'silent' }), timing: { stopGraceMs: 2000 } });
}

async function toZero(gw: ScalingGateway, fn: string): Promise<void> {
  await call(`${gw.url}/system/scale-function/${fn}`, { method: 'POST', body: JSON.stringify({ replicas: 0 }) });
  await until(async () => (await gw.provider.resolve(fn)).length === 0 && (await gw.provider.status(fn)).replicas === 0, 10_000);
}

async function coldStart(gw: ScalingGateway): Promise<void> {
  await deployPid(gw, 'cold', { 'com.openfaas.scale.min': '0' });
  const warm: number[] = [];
  const cold: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < 5; i++) {
    // Baseline: the provider alone, from scale(1) to a ready endpoint (the floor any wake-up pays).
    await toZero(gw, 'cold');
    const s0 = performance.now();
    await gw.provider.scale('cold', 1);
    await until(async () => (await gw.provider.resolve('cold')).length > 0, 15_000, 5);
    start.push(performance.now() - s0);
    await toZero(gw, 'cold');
    const r = await call(`${gw.url}/function/cold`);
    if (r.status !== 200) throw new Error(`cold call answered ${r.status}: ${r.body}`);
    cold.push(r.ms);
    warm.push((await call(`${gw.url}/function/cold`)).ms);
  }
  console.log(`first call to a function at zero: median ${ms(median(cold))} (min ${ms(Math.min(...cold))}, max ${ms(Math.max(...cold))}, n=5)  | baselines: warm call ${ms(median(warm))}, replica start alone (scale → ready) ${ms(median(start))}  | goal < 300 ms; OpenFaaS on Swarm ~3 s`);

  await toZero(gw, 'cold');
  const t0 = performance.now();
  const results = await burst(`${gw.url}/function/cold`, 200);
  const coldBurst = performance.now() - t0;
  const failed = results.filter((r) => r.status !== 200).length;
  const t1 = performance.now();
  const warmResults = await burst(`${gw.url}/function/cold`, 200);
  const warmBurst = performance.now() - t1;
  console.log(`burst of 200 concurrent calls to a function at zero: ${failed} failed, all answered in ${ms(coldBurst)}  | baseline same burst warm: ${warmResults.filter((r) => r.status !== 200).length} failed in ${ms(warmBurst)}  | goal 0 failed`);
}

/** Drives `workers` callers at `path` until stopped or `limitMs` passes; records replica pids that answered. */
function load(gw: ScalingGateway, path: string, workers: number, limitMs: number) {
  const pids = new Set<number>();
  const t0 = Date.now();
  let stop = false;
  const run = async () => {
    while (!stop && Date.now() - t0 < limitMs) {
      const r = await call(`${gw.url}${path}`);
      if (r.status === 200) pids.add(JSON.parse(r.body).pid);
    }
  };
  const all = Array.from({ length: workers }, run);
  return { pids, t0, stop: async () => { stop = true; await Promise.all(all); } };
}

async function autoscaler(gw: ScalingGateway): Promise<void> {
  await deployPid(gw, 'auto', { 'com.skep.scale.target': '4', 'com.openfaas.scale.max': '4' });
  await until(async () => (await gw.provider.status('auto')).availableReplicas === 1, 15_000);
  const base = await call(`${gw.url}/function/auto?sleep=200`);
  const l = load(gw, '/function/auto?sleep=200', 16, 20_000);
  const events = () => gw.ext.parts()!.scaler.events.list('auto');
  const up = await until(() => events().some((e) => e.reason === 'autoscaler'), 15_000, 20);
  const tUp = Date.now() - l.t0;
  const served = await until(() => l.pids.size >= 2, 15_000, 20);
  const tServed = Date.now() - l.t0;
  await l.stop();
  const e = events().at(-1);
  console.log(`autoscaler (target 4, load step to 16 in flight): first scale-up ${up ? ms(tUp) : 'none in 15 s'} (${e ? `${e.from}→${e.to} ${e.detail}` : '-'}), new replica serving ${served ? ms(tServed) : 'not within 15 s'}  | baseline one call: ${ms(base.ms)}  | goals < 2 s and < 5 s`);
}

async function alertPath(gw: ScalingGateway): Promise<void> {
  const missing = missingPrometheus();
  if (missing) return console.log(`alert path: skipped (${missing})`);
  await deployPid(gw, 'hot', { 'com.openfaas.scale.max': '3', 'com.openfaas.scale.factor': '34' });
  await until(async () => (await gw.provider.status('hot')).availableReplicas === 1, 15_000);
  const stack = await startPrometheusStack({ gateway: gw.url.replace('http://', '') });
  try {
    const scraped = async () => (await call(`${stack.prometheusUrl}/api/v1/query?query=${encodeURIComponent('up{job="gateway"}')}`)).body.includes('"1"]');
    await until(scraped, 20_000, 200);
    const l = load(gw, '/function/hot?sleep=200', 6, 30_000);
    const rose = await until(async () => (await gw.provider.status('hot')).replicas > 1, 25_000, 50);
    const tRose = Date.now() - l.t0;
    const served = await until(() => l.pids.size >= 2, 20_000, 20);
    const tServed = Date.now() - l.t0;
    await l.stop();
    console.log(`alert path (Prometheus + Alertmanager, 1 s intervals): replicas raised ${rose ? ms(tRose) : 'not within 25 s'}, new replica serving ${served ? ms(tServed) : 'not within 20 s'}  | baseline: OpenFaaS defaults react in 20–35 s  | goal < 10 s`);
  } finally {
    await stack.stop();
  }
}

/** The stack's gateway on Swarm, when it runs here (SKEP_GATEWAY_URL, password from SKEP_PASSWORD or swarm:up's file). */
async function swarmGateway(): Promise<{ url: string; auth: string } | null> {
  const url = process.env.SKEP_GATEWAY_URL ?? 'http://127.0.0.1:8080';
  const file = resolve(ROOT, '.skep/swarm/basic-auth-password');
  const password = process.env.SKEP_PASSWORD ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  if (!password || (await call(`${url}/healthz`)).status !== 200) return null;
  const info = await call(`${url}/system/info`, { auth: `admin:${password}` });
  return info.body.includes('swarm') ? { url, auth: `admin:${password}` } : null;
}

async function swarm(): Promise<void> {
  const gw = await swarmGateway();
  if (!gw) return console.log('swarm: skipped (no Skep gateway on Swarm answers; run npm run swarm:up)');
  const api = (method: string, path: string, body?: unknown) => call(`${gw.url}${path}`, { method, auth: gw.auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const st = async (fn: string) => JSON.parse((await api('GET', `/system/function/${fn}`)).body) as { replicas: number; availableReplicas: number };
  const zero = `bench-zero-${process.pid}`;
  const auto = `bench-auto-${process.pid}`;
  try {
    await api('POST', '/system/functions', { service: zero, image: 'skep/echoit:latest', labels: { 'com.openfaas.scale.min': '0', 'com.skep.test': 'true' } });
    await until(async () => (await st(zero)).replicas === 0, 20_000, 200);
    const first = await call(`${gw.url}/function/${zero}`);
    const warm = await call(`${gw.url}/function/${zero}`);
    console.log(`swarm: first call to a function at zero ${first.status} in ${ms(first.ms)}  | baseline warm call ${ms(warm.ms)}  | goal < 1 s; OpenFaaS on Swarm ~3 s`);
    await api('POST', `/system/scale-function/${zero}`, { replicas: 0 });
    await until(async () => (await st(zero)).availableReplicas === 0, 30_000, 200);
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => call(`${gw.url}/function/${zero}`, { agent })));
    agent.destroy();
    console.log(`swarm: burst of 200 concurrent calls at zero: ${results.filter((r) => r.status !== 200).length} failed, all answered in ${ms(performance.now() - t0)}  | goal 0 failed`);

    await api('POST', '/system/functions', { service: auto, image: 'skep/sleep:latest', labels: { 'com.skep.scale.target': '2', 'com.openfaas.scale.max': '3', 'com.skep.test': 'true' } });
    await until(async () => (await st(auto)).availableReplicas === 1, 45_000, 200);
    let stop = false;
    const l0 = Date.now();
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop && Date.now() - l0 < 50_000) await call(`${gw.url}/function/${auto}?ms=500`);
    });
    const up = await until(async () => (await st(auto)).replicas > 1, 20_000, 100);
    const tUp = Date.now() - l0;
    const ready = await until(async () => (await st(auto)).availableReplicas > 1, 45_000, 100);
    const tReady = Date.now() - l0;
    stop = true;
    await Promise.all(workers);
    console.log(`swarm: autoscaler load step → first scale-up ${up ? ms(tUp) : 'none in 20 s'}, → new task ready ${ready ? ms(tReady) : 'not within 45 s'}  | goals < 2 s and < 5 s`);
  } finally {
    for (const fn of [zero, auto]) await api('DELETE', '/system/functions', { functionName: fn });
  }
}

/** Runs every scaling measurement and prints the figures. */
export async function run(): Promise<void> {
  const gw = await scalingGateway({ idleCheckIntervalMs: 600_000, autoscalerIntervalMs: 1000 }, undefined, await provider());
  try {
    await coldStart(gw);
    await autoscaler(gw);
    await alertPath(gw);
  } finally {
    await gw.close();
  }
  await swarm();
}
