import { formatRate, parseInvocationTotals, RateHistory, sparklinePoints } from '../../../console/src/stats';

describe('parseInvocationTotals', () => {
  it('sums codes per function, counts 5xx as errors and drops the namespace suffix', () => {
    const text = [
      '# HELP gateway_function_invocation_total Invocations',
      '# TYPE gateway_function_invocation_total counter',
      'gateway_function_invocation_total{code="200",function_name="echoit"} 7',
      'gateway_function_invocation_total{function_name="echoit",code="502"} 2',
      'gateway_function_invocation_total{code="404",function_name="sleep.openfaas-fn"} 1',
      'gateway_function_invocation_started{function_name="echoit"} 9',
    ].join('\n');
    const totals = parseInvocationTotals(text);
    expect(totals.get('echoit')).toEqual({ total: 9, errors: 2 });
    expect(totals.get('sleep')).toEqual({ total: 1, errors: 0 });
    expect(totals.size).toBe(2);
  });
});

describe('RateHistory', () => {
  it('derives per-second rates and the error share over the window', () => {
    const h = new RateHistory(60_000);
    h.record('f', 0, { total: 0, errors: 0 });
    h.record('f', 2000, { total: 10, errors: 1 });
    h.record('f', 4000, { total: 30, errors: 3 });
    expect(h.summary('f')).toEqual({ perSecond: 10, errorRate: 0.1, series: [5, 10] });
  });

  it('starts over when a counter goes down and forgets removed functions', () => {
    const h = new RateHistory();
    h.record('f', 0, { total: 50, errors: null });
    h.record('f', 1000, { total: 2, errors: null });
    expect(h.summary('f')).toEqual({ perSecond: 0, errorRate: null, series: [] });
    h.retain([]);
    expect(h.summary('f').series).toEqual([]);
  });

  it('drops readings older than the window', () => {
    const h = new RateHistory(10_000);
    for (let t = 0; t <= 60_000; t += 1000) h.record('f', t, { total: t / 1000, errors: 0 });
    expect(h.summary('f').series.length).toBeLessThanOrEqual(11);
  });
});

describe('sparklinePoints', () => {
  it('scales values to the box, highest at the top', () => {
    expect(sparklinePoints([0, 5, 10], 100, 22)).toBe('0,21 50,11 100,1');
  });

  it('draws a flat line at the bottom for all zeros and nothing for no values', () => {
    expect(sparklinePoints([0, 0], 10, 10)).toBe('0,9 10,9');
    expect(sparklinePoints([], 10, 10)).toBe('');
  });
});

describe('formatRate', () => {
  it.each([[0, '0'], [0.25, '0.25'], [3.44, '3.4'], [120.4, '120']])('%d → %s', (n, s) => expect(formatRate(n)).toBe(s));
});
