/** Bounded in-memory log lines per function, read as a snapshot (since/tail/instance) and then followed. */
import type { LogMessage, LogRequest } from '../provider';

interface Follower {
  push(m: LogMessage): void;
  end(): void;
}

interface Entry {
  lines: LogMessage[];
  followers: Set<Follower>;
}

/** Most lines a follower may have waiting before the oldest are dropped (a slow reader must not grow memory). */
const FOLLOW_QUEUE = 10_000;

/** Keeps the last `maxLines` lines of every function and lets readers follow new ones. */
export class LogBuffer {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxLines: number) {}

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { lines: [], followers: new Set() };
      this.entries.set(name, e);
    }
    return e;
  }

  /** Stores a line and hands it to every follower of its function. */
  push(m: LogMessage): void {
    const e = this.entry(m.name);
    e.lines.push(m);
    if (e.lines.length > this.maxLines) e.lines.splice(0, e.lines.length - this.maxLines);
    for (const f of e.followers) f.push(m);
  }

  /** Forgets a function's lines and ends its followers (the function was removed). */
  drop(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    for (const f of e.followers) f.end();
    this.entries.delete(name);
  }

  /** Ends every follower. */
  close(): void {
    for (const name of [...this.entries.keys()]) this.drop(name);
  }

  /** Yields the stored lines matching `req`, then (with follow) new ones until `signal` aborts or the function goes. */
  async *read(req: LogRequest, signal: AbortSignal): AsyncGenerator<LogMessage> {
    const match = (m: LogMessage) => (!req.instance || m.instance === req.instance) && (!req.since || Date.parse(m.timestamp) >= req.since.getTime());
    const e = this.entry(req.name);
    let snapshot = e.lines.filter(match);
    if (req.tail !== undefined && req.tail > 0) snapshot = snapshot.slice(-req.tail);
    if (!req.follow) return yield* snapshot;
    const queue: LogMessage[] = [];
    let ended = false;
    let wake: (() => void) | null = null;
    const follower: Follower = {
      push: (m) => {
        if (!match(m)) return;
        if (queue.push(m) > FOLLOW_QUEUE) queue.shift();
        wake?.();
      },
      end: () => { ended = true; wake?.(); },
    };
    e.followers.add(follower);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      yield* snapshot;
      while (!signal.aborted) {
        const next = queue.shift();
        if (next) { yield next; continue; }
        if (ended) return;
        await new Promise<void>((r) => { wake = r; });
        wake = null;
      }
    } finally {
      e.followers.delete(follower);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
