/** Recent scale events, kept in a small ring buffer for `GET /system/scale-events` and the console. */

/** Why replicas changed. */
export type ScaleReason = 'alert' | 'autoscaler' | 'zero' | 'idle' | 'manual';

/** One change of desired replicas. */
export interface ScaleEvent {
  function: string;
  from: number;
  to: number;
  reason: ScaleReason;
  /** RFC 3339. */
  time: string;
  /** A short why, e.g. the autoscaler's rule ("panic", "stable"). */
  detail?: string;
}

/** A bounded log of the latest scale events; the oldest is dropped when full. */
export class ScaleEventLog {
  private readonly items: ScaleEvent[] = [];

  constructor(private readonly capacity = 200) {}

  /** Appends an event, dropping the oldest past capacity. */
  record(e: ScaleEvent): void {
    this.items.push(e);
    // Events are recorded when the provider call returns; keep them in the order the calls started.
    for (let i = this.items.length - 1; i > 0 && this.items[i - 1].time > this.items[i].time; i--) {
      [this.items[i - 1], this.items[i]] = [this.items[i], this.items[i - 1]];
    }
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Newest first, optionally only one function's events. */
  list(fn?: string, limit = this.capacity): ScaleEvent[] {
    const out = this.items.filter((e) => fn === undefined || e.function === fn).reverse();
    return out.slice(0, limit);
  }
}
