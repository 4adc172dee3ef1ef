/** What every mode provides to the server: start beside it, answer requests, stop. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Callbacks a runner uses to tell the server about the function process. */
export interface RunnerEvents {
  /** The long-running function process ended on its own: the watchdog must turn unhealthy and exit non-zero. */
  crashed(reason: string): void;
}

/** One way of running the function (http, fork, static, inproc). */
export interface Runner {
  /** Starts what runs beside the server and resolves once the function can take requests. */
  start(events: RunnerEvents): Promise<void>;
  /** Answers one request; start is the performance.now() reading taken when it arrived. */
  handle(req: IncomingMessage, res: ServerResponse, start: number): void;
  /** Releases the runner's resources (stops the long-running process, if any). */
  stop(): Promise<void>;
}

/** The per-request deadline: the shorter of exec_timeout and write_timeout that is set (0 = none). */
export function deadlineMs(execTimeout: number, writeTimeout: number): number {
  if (execTimeout > 0 && writeTimeout > 0) return Math.min(execTimeout, writeTimeout);
  return execTimeout || writeTimeout;
}

/** Drops hop-by-hop headers (RFC 9110 §7.6.1) and those named in Connection. */
export function isHopByHop(name: string, connection: string | undefined): boolean {
  switch (name) {
    case 'connection': case 'keep-alive': case 'proxy-connection': case 'transfer-encoding':
    case 'te': case 'trailer': case 'upgrade': case 'proxy-authenticate': case 'proxy-authorization':
      return true;
    default:
      return connection !== undefined && connection.toLowerCase().split(/\s*,\s*/).includes(name);
  }
}
