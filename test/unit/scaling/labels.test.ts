import { parseScaleLabels, wakeReplicas, DEFAULTS } from '../../../gateway/src/scaling/labels';

const d = { min: 1, max: 20, factor: 20, zero: false, target: null, idleMs: 300_000 };

describe('parseScaleLabels', () => {
  it('returns the defaults without labels', () => {
    expect(parseScaleLabels(undefined)).toEqual({ scale: d, warnings: [] });
    expect(parseScaleLabels({})).toEqual({ scale: { ...DEFAULTS }, warnings: [] });
  });

  it.each([
    [{ 'com.openfaas.scale.min': '2' }, { min: 2 }],
    [{ 'com.openfaas.scale.max': '5' }, { max: 5 }],
    [{ 'com.openfaas.scale.factor': '0' }, { factor: 0 }],
    [{ 'com.openfaas.scale.factor': '100' }, { factor: 100 }],
    [{ 'com.openfaas.scale.min': '0' }, { min: 0, zero: true }],
    [{ 'com.openfaas.scale.zero': 'true' }, { zero: true }],
    [{ 'com.openfaas.scale.zero': 'TRUE ' }, { zero: true }],
    [{ 'com.openfaas.scale.zero': 'false' }, { zero: false }],
    [{ 'com.skep.scale.target': '10' }, { target: 10 }],
    [{ 'com.skep.scale.idle': '30s' }, { idleMs: 30_000 }],
    [{ 'com.skep.scale.idle': '1m30s' }, { idleMs: 90_000 }],
    [{ 'com.skep.scale.idle': '120' }, { idleMs: 120_000 }],
    [{ 'com.openfaas.scale.min': ' 3 ', 'com.openfaas.scale.max': '3' }, { min: 3, max: 3 }],
  ])('reads %j', (labels, expected) => {
    expect(parseScaleLabels(labels)).toEqual({ scale: { ...d, ...expected }, warnings: [] });
  });

  it.each([
    [{ 'com.openfaas.scale.min': 'two' }, { min: 1 }, 'com.openfaas.scale.min="two"'],
    [{ 'com.openfaas.scale.min': '-1' }, { min: 1 }, 'com.openfaas.scale.min="-1"'],
    [{ 'com.openfaas.scale.min': '1.5' }, { min: 1 }, 'com.openfaas.scale.min="1.5"'],
    [{ 'com.openfaas.scale.max': '0' }, { max: 20 }, 'com.openfaas.scale.max="0"'],
    [{ 'com.openfaas.scale.max': '99999' }, { max: 20 }, 'com.openfaas.scale.max="99999"'],
    [{ 'com.openfaas.scale.factor': '101' }, { factor: 20 }, 'com.openfaas.scale.factor="101"'],
    [{ 'com.openfaas.scale.zero': 'maybe' }, { zero: false }, 'com.openfaas.scale.zero="maybe"'],
    [{ 'com.skep.scale.target': '0' }, { target: null }, 'com.skep.scale.target="0"'],
    [{ 'com.skep.scale.idle': 'soon' }, { idleMs: 300_000 }, 'com.skep.scale.idle="soon"'],
    [{ 'com.skep.scale.idle': '10ms' }, { idleMs: 300_000 }, 'com.skep.scale.idle="10ms"'],
    [{ 'com.openfaas.scale.min': '8', 'com.openfaas.scale.max': '4' }, { min: 4, max: 4 }, 'com.openfaas.scale.min=8 is above'],
  ])('falls back for %j with a warning', (labels, expected, warning) => {
    const { scale, warnings } = parseScaleLabels(labels);
    expect(scale).toEqual({ ...d, ...expected });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(warning);
  });

  it('collects one warning per bad label', () => {
    const r = parseScaleLabels({ 'com.openfaas.scale.min': 'x', 'com.openfaas.scale.max': 'y', 'com.openfaas.scale.factor': 'z' });
    expect(r.warnings).toHaveLength(3);
    expect(r.scale).toEqual(d);
  });
});

describe('wakeReplicas', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 3],
  ])('wakes a function with min %i to %i replicas', (min, n) => {
    expect(wakeReplicas({ ...d, min })).toBe(n);
  });
});
