import type { FunctionStatus } from '../../../gateway/src/providers/provider';
import { ActivityTracker, IdleScaler, idleFunctions } from '../../../gateway/src/scaling/idle';
import { Scaler } from '../../../gateway/src/scaling/scaler';
import { FakeClock, FakeProvider, silentLog } from '../../support/scaling-fakes';

const fn = (name: string, replicas: number, labels: Record<string, string>) => ({ name, replicas, labels }) as FunctionStatus;
const MIN = 60_000;

describe('idleFunctions', () => {
  it.each([
    // labels, replicas, idle for, busy, expected to sleep
    [{ 'com.openfaas.scale.zero': 'true' }, 1, 5 * MIN, 0, true],
    [{ 'com.openfaas.scale.min': '0' }, 3, 5 * MIN, 0, true],
    [{ 'com.openfaas.scale.zero': 'true' }, 1, 5 * MIN - 1, 0, false],
    [{ 'com.openfaas.scale.zero': 'true' }, 1, 5 * MIN, 1, false],
    [{ 'com.openfaas.scale.zero': 'true' }, 0, 50 * MIN, 0, false],
    [{}, 1, 50 * MIN, 0, false],
    [{ 'com.openfaas.scale.zero': 'false' }, 1, 50 * MIN, 0, false],
    [{ 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': '30s' }, 1, 30_000, 0, true],
    [{ 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': '30s' }, 1, 29_999, 0, false],
    [{ 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': 'bad' }, 1, 5 * MIN, 0, true],
  ])('labels %j, %i replicas, idle %i ms, busy %i → %s', (labels, replicas, idleFor, busy, sleeps) => {
    const now = 10_000_000;
    expect(idleFunctions([fn('f', replicas, labels)], () => now - idleFor, () => busy, now)).toEqual(sleeps ? ['f'] : []);
  });
});

describe('IdleScaler', () => {
  function setup() {
    const clock = new FakeClock();
    const provider = new FakeProvider()
      .add('sleepy', 2, { 'com.openfaas.scale.zero': 'true', 'com.skep.scale.idle': '10s' })
      .add('always', 1, {});
    const scaler = new Scaler({ provider, log: silentLog, clock });
    const activity = new ActivityTracker(clock);
    const busy = new Map<string, number>();
    const idle = new IdleScaler({ provider, scaler, activity, busy: (f) => busy.get(f) ?? 0, clock, log: silentLog, intervalMs: 1000 });
    return { clock, provider, scaler, activity, busy, idle };
  }

  it('treats a function first seen as fresh, then scales it to zero after its idle period', async () => {
    const { clock, provider, scaler, idle } = setup();
    idle.start();
    await clock.advance(9_000, 100);
    expect(provider.scaleCalls).toEqual([]);
    await clock.advance(3_000, 100);
    expect(provider.scaleCalls).toEqual([['sleepy', 0]]);
    expect(scaler.events.list()[0]).toMatchObject({ function: 'sleepy', from: 2, to: 0, reason: 'idle' });
    await idle.stop();
  });

  it('keeps a function awake while it is invoked or has calls in flight', async () => {
    const { clock, provider, activity, busy, idle } = setup();
    idle.start();
    for (let i = 0; i < 5; i++) {
      activity.touch('sleepy');
      await clock.advance(5_000, 100);
    }
    busy.set('sleepy', 1);
    await clock.advance(20_000, 500);
    expect(provider.scaleCalls).toEqual([]);
    busy.set('sleepy', 0);
    await clock.advance(2_000, 500);
    expect(provider.scaleCalls).toEqual([['sleepy', 0]]);
    await idle.stop();
  });

  it('stops its loop', async () => {
    const { clock, provider, idle } = setup();
    idle.start();
    await idle.stop();
    await clock.advance(30_000, 1000);
    expect(provider.scaleCalls).toEqual([]);
  });
});
