/**
 * The per-request counter and histogram, kept in plain arrays and handed to prom-client only when scraped: prom-client's
 * own observe() hashes the labels on every call, which showed up in the inproc profile.
 */
import type { Registry } from 'prom-client';

/** prom-client's default histogram buckets, as OpenFaaS's Go client uses. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: { code: string; method: string };
  count: number;
  sum: number;
  buckets: Float64Array;
}

/** Records requests by method and status code and serves them as `http_requests_total` and `http_request_duration_seconds`. */
export class RequestMetrics {
  private readonly series = new Map<string, Map<number, Series>>();

  constructor(registry: Registry) {
    const metric = (name: string, help: string, type: string, values: () => object[]) => ({
      name, help, type, aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => this.series.clear(),
    });
    registry.registerMetric(metric('http_requests_total', 'Requests handled, by status code and method', 'counter', () => this.counterValues()) as never);
    registry.registerMetric(metric('http_request_duration_seconds', 'Time to answer a request, by status code and method', 'histogram', () => this.histogramValues()) as never);
  }

  /** Counts one request; method is lower-cased as Go's promhttp does. */
  observe(method: string, code: number, seconds: number): void {
    let byCode = this.series.get(method);
    if (!byCode) this.series.set(method, (byCode = new Map()));
    let s = byCode.get(code);
    if (!s) byCode.set(code, (s = { labels: { code: String(code), method: method.toLowerCase() }, count: 0, sum: 0, buckets: new Float64Array(BUCKETS.length) }));
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        s.buckets[i]++;
        break;
      }
    }
  }

  private all(): Series[] {
    return [...this.series.values()].flatMap((m) => [...m.values()]);
  }

  private counterValues(): object[] {
    return this.all().map((s) => ({ labels: s.labels, value: s.count }));
  }

  private histogramValues(): object[] {
    const out: object[] = [];
    for (const s of this.all()) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i];
        out.push({ metricName: 'http_request_duration_seconds_bucket', labels: { le, ...s.labels }, value: cumulative });
      });
      out.push({ metricName: 'http_request_duration_seconds_bucket', labels: { le: '+Inf', ...s.labels }, value: s.count });
      out.push({ metricName: 'http_request_duration_seconds_sum', labels: s.labels, value: s.sum });
      out.push({ metricName: 'http_request_duration_seconds_count', labels: s.labels, value: s.count });
    }
    return out;
  }
}
