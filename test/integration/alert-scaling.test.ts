/**
 * End to end: Prometheus scrapes the gateway every second, APIHighInvocationRate fires under load, Alertmanager calls
 * /system/alert with basic auth, replicas rise and serve; the load stops, the alert resolves, replicas return to min.
 */
import { watchdogBuilt } from '../support/local-harness';
import { missingPrometheus, startPrometheusStack, type PrometheusStack } from '../support/prometheus-stack';
import { call, deployPid, scalingGateway, until, type ScalingGateway } from '../support/scaling-local';

if (!watchdogBuilt()) throw new Error('dist/watchdog/src/main.js is missing: run `npm run build` first (npm test does)');

jest.setTimeout(240_000);

describe('alert-driven scaling with Prometheus and Alertmanager', () => {
  let gw: ScalingGateway | undefined;
  let stack: PrometheusStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    await gw?.close();
  });

  it('scales a function up while APIHighInvocationRate fires and back to min once it resolves', async () => {
    const missing = missingPrometheus();
    if (missing) throw new Error(missing);
    gw = await scalingGateway({ basicAuth: true, idleCheckIntervalMs: 60_000, autoscaler: false }, { user: 'admin', password: 'e2e-secret' });
    const g = gw;
    await deployPid(g, 'hot', { 'com.openfaas.scale.max': '3', 'com.openfaas.scale.factor': '34' }, 'admin:e2e-secret');
    expect(await until(async () => (await g.provider.status('hot')).availableReplicas === 1, 20_000)).toBe(true);
    stack = await startPrometheusStack({ gateway: g.url.replace('http://', ''), password: 'e2e-secret' });
    const s = stack;
    const query = async (expr: string): Promise<string> => {
      const r = await call(`${s.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return r.status === 200 ? (JSON.parse(r.body).data.result as { value: [number, string] }[]).map((x) => x.value[1]).join(',') : `error ${r.status}`;
    };
    // Measure the alert path, not Prometheus's own start: load begins once the gateway is scraped.
    expect(await until(async () => (await query('up{job="gateway"}')) === '1', 30_000, 200)).toBe(true);

    const t0 = Date.now();
    const pids = new Set<number>();
    const timeline: string[] = [];
    let stop = false;
    let failed = 0;
    const worker = async () => {
      while (!stop && Date.now() - t0 < 120_000) {
        const r = await call(`${g.url}/function/hot?sleep=200`);
        if (r.status === 200) pids.add(JSON.parse(r.body).pid);
        else failed++;
      }
    };
    const trace = setInterval(() => {
      void (async () => {
        const st = await g.provider.status('hot');
        timeline.push(`t=${Date.now() - t0} rate=${await query('sum(rate(gateway_function_invocation_total{code="200"}[5s])) by (function_name)')} alert=${await query('ALERTS{alertname="APIHighInvocationRate"}')} replicas=${st.replicas}/${st.availableReplicas} pids=${pids.size}`);
      })();
    }, 1000);
    const workers = Array.from({ length: 6 }, worker);
    const events = () => g.ext.parts()!.scaler.events.list('hot').reverse();
    try {
      const rose = await until(async () => (await g.provider.status('hot')).replicas > 1, 90_000, 100);
      const tRose = Date.now() - t0;
      const served = await until(() => pids.size >= 2, 60_000, 50);
      const tServed = Date.now() - t0;
      stop = true;
      await Promise.all(workers);
      console.log(`alert path (1 s intervals): load start → replicas raised ${tRose} ms, → a new replica served ${tServed} ms`);
      expect(rose).toBe(true);
      expect(served).toBe(true);
      expect(failed).toBe(0);
      const tStop = Date.now();
      const back = await until(() => events().at(-1)?.detail === 'resolved', 90_000, 200);
      console.log(`alert path: load stop → back to min ${Date.now() - tStop} ms; events ${events().map((e) => `${e.from}→${e.to} ${e.detail}`).join(', ')}`);
      expect(back).toBe(true);
      expect(events()[0]).toMatchObject({ from: 1, reason: 'alert', detail: 'firing' });
      expect(events().at(-1)).toMatchObject({ to: 1, reason: 'alert', detail: 'resolved' });
      expect((await g.provider.status('hot')).replicas).toBe(1);
    } catch (err) {
      console.log(`timeline:\n${timeline.join('\n')}\nevents: ${JSON.stringify(events())}\ndaemons:\n${s.output()}`);
      throw err;
    } finally {
      stop = true;
      clearInterval(trace);
      await Promise.all(workers);
    }
  });
});
