import { Counter, Histogram, Registry } from 'prom-client';
import { DirectCounter, DirectHistogram } from '../../../gateway/src/metrics/direct-series';

/** The exposition prom-client renders, which is what Prometheus scrapes. */
async function scrape(registry: Registry): Promise<string> {
  return registry.metrics();
}

function setup() {
  const registry = new Registry();
  const counter = new Counter({ name: 'calls_total', help: 'h', labelNames: ['function_name', 'code'], registers: [registry] });
  const histogram = new Histogram({ name: 'call_seconds', help: 'h', labelNames: ['function_name', 'code'], buckets: [0.1, 1], registers: [registry] });
  return { registry, counter, histogram };
}

describe('DirectCounter', () => {
  it('counts every call, the first through prom-client and the rest in place', async () => {
    const { registry, counter } = setup();
    const series = new DirectCounter(counter, { function_name: 'echo', code: '200' });
    for (let i = 0; i < 5; i++) series.inc();
    expect(await scrape(registry)).toContain('calls_total{function_name="echo",code="200"} 5');
  });

  it('keeps counting correctly after the metric is reset', async () => {
    const { registry, counter } = setup();
    const series = new DirectCounter(counter, { function_name: 'echo', code: '200' });
    series.inc();
    series.inc();
    counter.reset();
    series.inc();
    series.inc();
    series.inc();
    expect(await scrape(registry)).toContain('calls_total{function_name="echo",code="200"} 3');
  });

  it('comes back after its series is removed', async () => {
    const { registry, counter } = setup();
    const series = new DirectCounter(counter, { function_name: 'echo', code: '200' });
    series.inc();
    counter.remove({ function_name: 'echo', code: '200' });
    series.inc();
    expect(await scrape(registry)).toContain('calls_total{function_name="echo",code="200"} 1');
  });

  it('leaves other series alone', async () => {
    const { registry, counter } = setup();
    const ok = new DirectCounter(counter, { function_name: 'echo', code: '200' });
    const bad = new DirectCounter(counter, { function_name: 'echo', code: '500' });
    ok.inc();
    ok.inc();
    bad.inc();
    const text = await scrape(registry);
    expect(text).toContain('calls_total{function_name="echo",code="200"} 2');
    expect(text).toContain('calls_total{function_name="echo",code="500"} 1');
  });
});

describe('DirectHistogram', () => {
  it('records sum, count and cumulative buckets as prom-client would', async () => {
    const { registry, histogram } = setup();
    const reference = new Histogram({ name: 'ref_seconds', help: 'h', labelNames: ['function_name', 'code'], buckets: [0.1, 1], registers: [registry] });
    const series = new DirectHistogram(histogram, { function_name: 'echo', code: '200' });
    const values = [0.05, 0.5, 2, 0.1, 1];
    for (const v of values) {
      series.observe(v);
      reference.observe({ function_name: 'echo', code: '200' }, v);
    }
    const text = await scrape(registry);
    const lines = (name: string) => text.split('\n').filter((l) => l.startsWith(name)).map((l) => l.slice(name.length));
    expect(lines('call_seconds')).toEqual(lines('ref_seconds'));
    expect(text).toContain('call_seconds_count{function_name="echo",code="200"} 5');
    expect(text).toContain('call_seconds_bucket{le="0.1",function_name="echo",code="200"} 2');
  });

  it('keeps recording correctly after a reset', async () => {
    const { registry, histogram } = setup();
    const series = new DirectHistogram(histogram, { function_name: 'echo', code: '200' });
    series.observe(0.5);
    series.observe(0.5);
    histogram.reset();
    series.observe(0.05);
    expect(await scrape(registry)).toContain('call_seconds_count{function_name="echo",code="200"} 1');
  });
});
