/** Prometheus metrics with the OpenFaaS watchdog names, served on their own port. */
import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Gauge, Registry } from 'prom-client';

interface Children {
  count: { inc(): void };
  duration: { observe(v: number): void };
}

/** The watchdog's registry and a cheap per-request recorder (label children are cached per method and code). */
export class WatchdogMetrics {
  readonly registry = new Registry();
  private readonly total: Counter<'code' | 'method'>;
  private readonly duration: Histogram<'code' | 'method'>;
  private readonly cache = new Map<string, Children>();

  constructor(inflight: () => number) {
    this.total = new Counter({ name: 'http_requests_total', help: 'Requests handled, by status code and method', labelNames: ['code', 'method'], registers: [this.registry] });
    this.duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer a request, by status code and method', labelNames: ['code', 'method'], registers: [this.registry] });
    // Read at scrape time instead of inc/dec on every request.
    new Gauge({ name: 'http_requests_in_flight', help: 'Requests being handled now', registers: [this.registry], collect() { this.set(inflight()); } });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished request; method is lower-cased as Go's promhttp does. */
  observe(method: string, code: number, seconds: number): void {
    const key = method + code;
    let c = this.cache.get(key);
    if (!c) {
      const labels = { code: String(code), method: method.toLowerCase() };
      c = { count: this.total.labels(labels), duration: this.duration.labels(labels) };
      this.cache.set(key, c);
    }
    c.count.inc();
    c.duration.observe(seconds);
  }

  /** Starts the `/metrics` server on port (0 = any) and resolves with it once listening. */
  listen(port: number): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.url !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; try GET /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
    });
    server.requestTimeout = 5000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve(server));
    });
  }
}

/** Renders the README's metrics table from a registry: the watchdog's own metrics, then the process metrics by name. */
export async function renderMetricsTable(registry: Registry): Promise<string> {
  const all = await registry.getMetricsAsJSON();
  const own = all.filter((m) => m.name.startsWith('http_'));
  const rows = own.map((m) => {
    const labels = m.name === 'http_requests_in_flight' ? '–' : '`code`, `method`';
    return `| \`${m.name}\` | ${m.type} | ${labels} | ${m.help} |`;
  });
  const others = all.filter((m) => !m.name.startsWith('http_')).map((m) => `\`${m.name}\``);
  return ['| Metric | Type | Labels | Meaning |', '|---|---|---|---|', ...rows, '', `Node process metrics (prom-client defaults): ${others.join(', ')}.`].join('\n');
}
