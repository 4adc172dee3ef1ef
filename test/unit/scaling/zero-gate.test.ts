import { UnavailableError } from '../../../gateway/src/errors';
import { Scaler } from '../../../gateway/src/scaling/scaler';
import { ZeroGate, type ChooseEndpoint } from '../../../gateway/src/scaling/zero-gate';
import { FakeClock, FakeProvider, flush, silentLog } from '../../support/scaling-fakes';

function setup(opts: { queueLimit?: number; timeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const provider = new FakeProvider();
  provider.readyOnScale = false;
  const scaler = new Scaler({ provider, log: silentLog, clock });
  const gate = new ZeroGate({ provider, scaler, clock, log: silentLog, options: { queueLimit: opts.queueLimit ?? 100, timeoutMs: opts.timeoutMs ?? 5000 } });
  const inner: ChooseEndpoint = async (name) => {
    const eps = await provider.resolve(name);
    if (eps.length === 0) throw new UnavailableError(`no ready replica for ${name}`, 'no_replica');
    return eps[0];
  };
  return { clock, provider, scaler, gate, choose: gate.wrap(inner) };
}

const signal = () => new AbortController().signal;

/** Settles a promise into a value or an error, so a test can inspect it after advancing time. */
function settle<T>(p: Promise<T>): { done: boolean; value?: T; error?: { statusCode?: number; code?: string; message: string; retryAfterSeconds?: number } } {
  const s: ReturnType<typeof settle<T>> = { done: false };
  p.then((v) => Object.assign(s, { done: true, value: v }), (e) => Object.assign(s, { done: true, error: e }));
  return s;
}

describe('ZeroGate', () => {
  it('passes a call straight through when a replica is ready', async () => {
    const { provider, choose } = setup();
    provider.add('echo', 1);
    await expect(choose('echo', signal())).resolves.toMatchObject({ id: 'echo-0' });
    expect(provider.scaleCalls).toEqual([]);
  });

  it('scales a function at zero once for many concurrent calls and releases them all when ready', async () => {
    const { clock, provider, scaler, gate, choose } = setup();
    provider.add('echo', 0, { 'com.openfaas.scale.min': '0' });
    const calls = Array.from({ length: 50 }, () => settle(choose('echo', signal())));
    await flush();
    expect(provider.scaleCalls).toEqual([['echo', 1]]);
    expect(gate.waiting('echo')).toBe(50);
    await clock.advance(300);
    expect(calls.every((c) => !c.done)).toBe(true);
    provider.makeReady('echo');
    await clock.advance(500);
    expect(calls.every((c) => c.done && c.value?.id === 'echo-0')).toBe(true);
    expect(provider.scaleCalls).toEqual([['echo', 1]]);
    expect(gate.waiting('echo')).toBe(0);
    expect(scaler.events.list()).toMatchObject([{ function: 'echo', from: 0, to: 1, reason: 'zero' }]);
  });

  it('wakes to min replicas when min is above 1', async () => {
    const { clock, provider, choose } = setup();
    provider.add('echo', 0, { 'com.openfaas.scale.min': '3', 'com.openfaas.scale.zero': 'true' });
    const c = settle(choose('echo', signal()));
    await flush();
    provider.makeReady('echo');
    await clock.advance(100);
    expect(c.value).toBeDefined();
    expect(provider.scaleCalls).toEqual([['echo', 3]]);
  });

  it('waits without scaling when replicas are desired but not ready yet', async () => {
    const { clock, provider, choose } = setup();
    provider.add('echo', 2);
    provider.fns.get('echo')!.ready = 0;
    const c = settle(choose('echo', signal()));
    await clock.advance(200);
    provider.makeReady('echo');
    await clock.advance(300);
    expect(c.value).toBeDefined();
    expect(provider.scaleCalls).toEqual([]);
  });

  it('answers 429 with Retry-After when the queue is full', async () => {
    const { provider, choose } = setup({ queueLimit: 2 });
    provider.add('echo', 0, { 'com.openfaas.scale.zero': 'true' });
    settle(choose('echo', signal()));
    settle(choose('echo', signal()));
    const third = settle(choose('echo', signal()));
    await flush();
    expect(third.error).toMatchObject({ statusCode: 429, code: 'busy', retryAfterSeconds: 1 });
  });

  it('answers 503 with Retry-After when no replica is ready by the deadline, and wakes again afterwards', async () => {
    const { clock, provider, choose } = setup({ timeoutMs: 1000 });
    provider.add('echo', 0, { 'com.openfaas.scale.zero': 'true' });
    const c = settle(choose('echo', signal()));
    await clock.advance(1200);
    expect(c.error).toMatchObject({ statusCode: 503, code: 'scale_from_zero_timeout', retryAfterSeconds: 5 });
    expect(c.error?.message).toContain('echo');
    provider.makeReady('echo');
    const again = settle(choose('echo', signal()));
    await clock.advance(50);
    expect(again.value).toBeDefined();
  });

  it('lets a 404 for an unknown function through', async () => {
    const { choose } = setup();
    await expect(choose('ghost', signal())).rejects.toMatchObject({ statusCode: 404 });
  });

  it('stops holding a call whose client went away', async () => {
    const { provider, gate, choose } = setup();
    provider.add('echo', 0, { 'com.openfaas.scale.zero': 'true' });
    const ac = new AbortController();
    const c = settle(choose('echo', ac.signal));
    await flush();
    ac.abort(new Error('client closed'));
    await flush();
    expect(c.error?.message).toBe('client closed');
    expect(gate.waiting('echo')).toBe(0);
  });

  it('reports a failing scale-up to every waiting call', async () => {
    const { provider, choose } = setup();
    provider.add('echo', 0, { 'com.openfaas.scale.zero': 'true' });
    provider.failScale = new Error('docker unavailable');
    const a = settle(choose('echo', signal()));
    const b = settle(choose('echo', signal()));
    await flush();
    expect(a.error?.message).toBe('docker unavailable');
    expect(b.error?.message).toBe('docker unavailable');
  });
});

describe('ZeroGate with a flapping replica', () => {
  it('gives up at the deadline when the replica keeps vanishing between ready and pick', async () => {
    const clock = new FakeClock();
    const provider = new FakeProvider().add('flaky', 1);
    const scaler = new Scaler({ provider, log: silentLog, clock });
    const gate = new ZeroGate({ provider, scaler, clock, log: silentLog, options: { queueLimit: 10, timeoutMs: 1000 } });
    // The provider says a replica is ready, but every pick finds none.
    const choose = gate.wrap(async () => {
      throw new UnavailableError('no replica', 'no_replica');
    });
    const c = settle(choose('flaky', signal()));
    await clock.advance(1500);
    expect(c.error).toMatchObject({ statusCode: 503, code: 'scale_from_zero_timeout' });
  });
});
