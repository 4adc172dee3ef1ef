import { decide, DEFAULT_AUTOSCALER, type DecideInputs, type Sample } from '../../../gateway/src/scaling/autoscaler';

const NOW = 1_000_000;
/** One sample per second for the last `secs` seconds, all at `load`, newest at NOW. */
const flat = (load: number, secs: number, endAgo = 0): Sample[] =>
  Array.from({ length: secs }, (_, i) => ({ t: NOW - endAgo * 1000 - (secs - 1 - i) * 1000, inFlight: load }));
const base = (over: Partial<DecideInputs>): DecideInputs => ({ current: 1, min: 1, max: 20, target: 10, samples: [], state: {}, ...over });

describe('decide', () => {
  it.each([
    ['no samples: keeps current', base({ current: 3 }), 3, 'no-data'],
    ['only samples older than the stable window', base({ current: 3, samples: flat(100, 5, 61) }), 3, 'no-data'],
    ['load at target per replica', base({ current: 2, samples: flat(20, 60) }), 2, 'steady'],
    ['stable load above target', base({ current: 2, samples: flat(30, 60) }), 3, 'stable-up'],
    ['stable load rounds up', base({ current: 1, samples: flat(11, 60) }), 2, 'stable-up'],
    ['load exactly twice the target is not panic', base({ current: 1, samples: flat(20, 60) }), 2, 'stable-up'],
    ['a step above twice the target panics on its first sample', base({ current: 1, samples: [...flat(0, 59, 1), { t: NOW, inFlight: 40 }] }), 4, 'panic-up'],
    ['panic scale-up is bounded by maxUpRate', base({ current: 1, samples: flat(500, 6) }), 10, 'panic-up'],
    ['panic scale-up is capped at max', base({ current: 5, max: 8, samples: flat(200, 6) }), 8, 'at-max'],
    ['stable scale-up is capped at max', base({ current: 5, max: 6, samples: flat(100, 60) }), 6, 'at-max'],
    ['load gone: scales down at most by half', base({ current: 8, samples: flat(0, 60) }), 4, 'stable-down'],
    ['scale-down never goes under min', base({ current: 3, min: 2, samples: flat(0, 60) }), 2, 'at-min'],
    ['min 0 still keeps one replica (zero is the idle scaler’s job)', base({ current: 2, min: 0, samples: flat(0, 60) }), 1, 'stable-down'],
    ['below min: raised to min', base({ current: 1, min: 3, samples: flat(0, 60) }), 3, 'at-min'],
    ['scale-down waits for the delay after the previous one', base({ current: 4, samples: flat(0, 60), state: { lastScaleDownAt: NOW - 5_000 } }), 4, 'down-delayed'],
    ['scale-down resumes after the delay', base({ current: 4, samples: flat(0, 60), state: { lastScaleDownAt: NOW - 10_000 } }), 2, 'stable-down'],
    ['in panic, never scales down', base({ current: 6, samples: flat(0, 60), state: { panicUntil: NOW + 30_000 } }), 6, 'panic-hold'],
    ['panic ends after the stable window without panic load', base({ current: 6, samples: flat(0, 60), state: { panicUntil: NOW } }), 3, 'stable-down'],
  ])('%s', (_name, inputs, desired, reason) => {
    const d = decide(inputs, NOW);
    expect([d.desired, d.reason]).toEqual([desired, reason]);
  });

  it('remembers panic for one stable window after the last panic sample', () => {
    const d = decide(base({ current: 1, samples: flat(50, 3) }), NOW);
    expect(d.panic).toBe(true);
    expect(d.state.panicUntil).toBe(NOW + DEFAULT_AUTOSCALER.stableWindowMs);
  });

  it('records the time of a scale-down', () => {
    const d = decide(base({ current: 4, samples: flat(0, 60) }), NOW);
    expect(d.state.lastScaleDownAt).toBe(NOW);
  });

  it('scales down gradually once a burst ends: 10 → 1 in halving steps spaced by the delay', () => {
    let current = 10;
    let state = {};
    const seen: number[] = [current];
    const samples = [...flat(100, 6, 120)];
    for (let s = 0; s <= 180; s++) {
      const now = NOW + s * 1000;
      samples.push({ t: now, inFlight: 0 });
      const d = decide(base({ current, samples, state }), now);
      state = d.state;
      if (d.desired !== current) seen.push((current = d.desired));
    }
    expect(seen).toEqual([10, 5, 2, 1]);
  });
});
