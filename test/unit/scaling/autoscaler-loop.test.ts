import { Registry } from 'prom-client';
import { Autoscaler, ConcurrencyCollector } from '../../../gateway/src/scaling/autoscaler-loop';
import { Scaler, ScalingMetrics } from '../../../gateway/src/scaling/scaler';
import { FakeClock, FakeProvider, silentLog } from '../../support/scaling-fakes';

describe('ConcurrencyCollector', () => {
  it('averages the polls of each interval and keeps only the window', () => {
    const load = new Map<string, number>();
    const c = new ConcurrencyCollector(() => load, 3000);
    for (const n of [0, 10, 20, 30]) {
      load.set('f', n);
      c.poll();
    }
    c.sample(['f', 'g'], 1000);
    expect(c.samples('f')).toEqual([{ t: 1000, inFlight: 15 }]);
    expect(c.samples('g')).toEqual([{ t: 1000, inFlight: 0 }]);
    for (const t of [2000, 3000, 4000]) c.sample(['f'], t);
    expect(c.samples('f').map((s) => s.t)).toEqual([2000, 3000, 4000]);
    expect(c.samples('g')).toEqual([]);
  });
});

describe('Autoscaler', () => {
  function setup() {
    const clock = new FakeClock();
    const provider = new FakeProvider()
      .add('auto', 1, { 'com.skep.scale.target': '10', 'com.openfaas.scale.max': '8' })
      .add('plain', 1, {})
      .add('asleep', 0, { 'com.skep.scale.target': '10', 'com.openfaas.scale.zero': 'true' });
    const registry = new Registry();
    const metrics = new ScalingMetrics(registry);
    const scaler = new Scaler({ provider, log: silentLog, clock, metrics });
    const load = new Map<string, number>();
    const auto = new Autoscaler({ provider, scaler, inFlight: () => load, clock, log: silentLog, metrics, intervalMs: 1000 });
    return { clock, provider, scaler, load, auto, registry };
  }

  it('scales up within one interval of a load step, then back down once the load is gone', async () => {
    const { clock, provider, scaler, load, auto, registry } = setup();
    auto.start();
    await clock.advance(5000, 100);
    expect(provider.scaleCalls).toEqual([]);
    load.set('auto', 50).set('plain', 500).set('asleep', 500);
    await clock.advance(1000, 100);
    expect(provider.scaleCalls).toEqual([['auto', 5]]);
    expect(scaler.events.list()[0]).toMatchObject({ function: 'auto', from: 1, to: 5, reason: 'autoscaler', detail: 'panic-up' });
    load.set('auto', 200);
    await clock.advance(2000, 100);
    expect(provider.fns.get('auto')!.replicas).toBe(8);
    load.clear();
    await clock.advance(180_000, 500);
    expect(provider.fns.get('auto')!.replicas).toBe(1);
    expect(provider.scaleCalls.filter(([n]) => n !== 'auto')).toEqual([]);
    const text = await registry.metrics();
    expect(text).toMatch(/skep_scale_decisions_total\{function_name="auto",reason="panic-up"\} [1-9]/);
    expect(text).toMatch(/skep_function_desired_replicas\{function_name="auto"\} 1/);
    await auto.stop();
  });

  it('stops its loop', async () => {
    const { clock, provider, load, auto } = setup();
    auto.start();
    await auto.stop();
    load.set('auto', 100);
    await clock.advance(5000, 100);
    expect(provider.scaleCalls).toEqual([]);
  });
});
