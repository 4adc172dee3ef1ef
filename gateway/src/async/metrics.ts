/** Async queue metrics, registered on the gateway's Registry. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue } from './queue';

/** Counters and gauges of the async path. */
export class AsyncMetrics {
  readonly accepted: Counter<'function_name'>;
  readonly attempts: Counter<'function_name' | 'code'>;
  readonly finished: Counter<'function_name' | 'state'>;
  readonly deadLetters: Counter<'function_name'>;
  readonly queueSeconds: Histogram<'function_name'>;
  readonly callbacks: Counter<'function_name' | 'result'>;
  readonly depth: Gauge<'function_name'>;

  constructor(registry: Registry, queue: JobQueue) {
    const registers = [registry];
    this.accepted = new Counter({ name: 'skep_async_accepted_total', help: 'Async requests stored and answered 202', labelNames: ['function_name'], registers });
    this.attempts = new Counter({ name: 'skep_async_attempts_total', help: 'Async call attempts by status code (error = no answer)', labelNames: ['function_name', 'code'], registers });
    this.finished = new Counter({ name: 'skep_async_finished_total', help: 'Async requests that reached a final state', labelNames: ['function_name', 'state'], registers });
    this.deadLetters = new Counter({ name: 'skep_async_dead_letters_total', help: 'Async requests moved to the dead-letter queue', labelNames: ['function_name'], registers });
    this.queueSeconds = new Histogram({ name: 'skep_async_queue_seconds', help: 'Time from submission to the first attempt', labelNames: ['function_name'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600], registers });
    this.callbacks = new Counter({ name: 'skep_async_callbacks_total', help: 'Callback deliveries by result (delivered or failed)', labelNames: ['function_name', 'result'], registers });
    this.depth = new Gauge({
      name: 'skep_async_queue_depth', help: 'Async requests queued or running per function', labelNames: ['function_name'], registers,
      collect: async () => {
        this.depth.reset();
        try {
          for (const [fn, n] of Object.entries(await queue.depth())) this.depth.set({ function_name: fn }, n);
        } catch {
          // A store that is down must not break the scrape.
        }
      },
    });
  }
}
