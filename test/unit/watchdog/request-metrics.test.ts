import { Registry } from 'prom-client';
import { RequestMetrics } from '../../../watchdog/src/request-metrics';

describe('RequestMetrics', () => {
  it('renders the counter and a cumulative histogram in the Prometheus text format', async () => {
    const registry = new Registry();
    const m = new RequestMetrics(registry);
    m.observe('GET', 200, 0.003);
    m.observe('GET', 200, 0.2);
    m.observe('POST', 504, 30);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{code="200",method="get"} 2');
    expect(text).toContain('http_requests_total{code="504",method="post"} 1');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",code="200",method="get"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.1",code="200",method="get"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.25",code="200",method="get"} 2');
    expect(text).toContain('http_request_duration_seconds_bucket{le="10",code="504",method="post"} 0');
    expect(text).toContain('http_request_duration_seconds_bucket{le="+Inf",code="504",method="post"} 1');
    expect(text).toContain('http_request_duration_seconds_sum{code="200",method="get"} 0.203');
    expect(text).toContain('http_request_duration_seconds_count{code="504",method="post"} 1');
  });

  it('starts empty after a registry reset', async () => {
    const registry = new Registry();
    const m = new RequestMetrics(registry);
    m.observe('GET', 200, 0.1);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('http_requests_total{');
  });
});
