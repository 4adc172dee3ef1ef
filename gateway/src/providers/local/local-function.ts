/** The replicas of one local function: scale up and down, replace on update (new ones first), stop. */
import type { Logger } from 'pino';
import type { Endpoint, FunctionDeployment } from '../provider';
import { minReplicas } from '../status';
import { Replica, ReplicaTiming, RunSpec } from './replica';

/** One deployed function and its replica processes. */
export class LocalFunction {
  readonly createdAt = new Date();
  private replicas: Replica[] = [];
  private retiring: Replica[] = [];
  desired = 0;

  constructor(
    public spec: FunctionDeployment,
    private run: RunSpec,
    private readonly onLine: (instance: string, text: string) => void,
    private readonly timing: ReplicaTiming,
    private readonly logger?: Logger,
  ) {}

  private spawnOne(): Replica {
    const r = new Replica(this.spec.service, () => this.run, this.onLine, this.timing, this.logger);
    void r.start().catch((err: Error) => this.onLine(r.id, `cannot start: ${err.message}`));
    return r;
  }

  /** Ready endpoints; during an update the old replicas serve until a new one is ready. */
  ready(): Endpoint[] {
    const fresh = this.replicas.flatMap((r) => (r.endpoint ? [r.endpoint] : []));
    if (fresh.length || this.retiring.length === 0) return fresh;
    return this.retiring.flatMap((r) => (r.endpoint ? [r.endpoint] : []));
  }

  /** Process ids of the running replicas. */
  pids(): number[] {
    return this.replicas.flatMap((r) => (r.pid ? [r.pid] : []));
  }

  /** Sets the number of replicas, starting or stopping processes (not-ready ones are stopped first). */
  async scale(n: number): Promise<void> {
    this.desired = n;
    while (this.replicas.length < n) this.replicas.push(this.spawnOne());
    if (this.replicas.length > n) {
      const order = [...this.replicas].sort((a, b) => Number(!!a.endpoint) - Number(!!b.endpoint));
      const extra = order.slice(0, this.replicas.length - n);
      this.replicas = this.replicas.filter((r) => !extra.includes(r));
      await Promise.all(extra.map((r) => r.stop()));
    }
  }

  /** Applies a new spec: new replicas start now, old ones stop once a new one is ready (or after the ready timeout). */
  async replace(spec: FunctionDeployment, run: RunSpec): Promise<void> {
    const old = this.replicas;
    this.spec = spec;
    this.run = run;
    this.retiring.push(...old);
    this.replicas = [];
    await this.scale(Math.max(this.desired, minReplicas(spec.labels)));
    void this.retire(old);
  }

  private async retire(old: Replica[]): Promise<void> {
    const deadline = Date.now() + this.timing.readyTimeoutMs;
    while (this.replicas.length > 0 && !this.replicas.some((r) => r.endpoint) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(old.map((r) => r.stop()));
    this.retiring = this.retiring.filter((r) => !old.includes(r));
  }

  /** Stops every replica, old and new. */
  async stop(): Promise<void> {
    const all = [...this.replicas, ...this.retiring];
    this.replicas = [];
    this.retiring = [];
    this.desired = 0;
    await Promise.all(all.map((r) => r.stop()));
  }
}
