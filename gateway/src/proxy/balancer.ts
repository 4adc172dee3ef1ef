/** Endpoint choice: least in-flight among ready replicas, ties broken round robin, so one keep-alive client spreads too. */
import type { Endpoint } from '../providers/provider';

/** Tracks in-flight calls per endpoint URL and picks the least busy one. */
export class Balancer {
  private readonly inFlight = new Map<string, number>();
  private rr = 0;

  /** Picks the endpoint with the fewest calls in flight; among equals, rotates. */
  pick(endpoints: readonly Endpoint[]): Endpoint {
    const n = endpoints.length;
    const start = this.rr++ % n;
    if (this.rr > 1e9) this.rr = 0;
    let best = endpoints[start];
    let bestLoad = this.inFlight.get(best.url) ?? 0;
    for (let i = 1; i < n && bestLoad > 0; i++) {
      const ep = endpoints[(start + i) % n];
      const load = this.inFlight.get(ep.url) ?? 0;
      if (load < bestLoad) {
        best = ep;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Counts a call as started on `url`. */
  acquire(url: string): void {
    this.inFlight.set(url, (this.inFlight.get(url) ?? 0) + 1);
  }

  /** Counts a call as finished on `url`; the entry goes away at zero so the map stays bounded. */
  release(url: string): void {
    const n = (this.inFlight.get(url) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(url);
    else this.inFlight.set(url, n);
  }

  /** Calls in flight on `url`. */
  load(url: string): number {
    return this.inFlight.get(url) ?? 0;
  }
}
