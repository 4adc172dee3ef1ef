/** Prometheus metrics with the OpenFaaS watchdog names, served on their own port. */
import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics';

/** The watchdog's registry and a cheap per-request recorder. */
export class WatchdogMetrics {
  readonly registry = new Registry();
  private readonly requests: RequestMetrics;

  constructor(inflight: () => number) {
    this.requests = new RequestMetrics(this.registry);
    // Read at scrape time instead of inc/dec on every request.
    new Gauge({ name: 'http_requests_in_flight', help: 'Requests being handled now', registers: [this.registry], collect() { this.set(inflight()); } });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished request. */
  observe(method: string, code: number, seconds: number): void {
    this.requests.observe(method, code, seconds);
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
