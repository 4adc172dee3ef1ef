/** Responses the watchdog makes itself: JSON `{ code, message }` carrying `X-Skep-Internal: watchdog`. */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Header naming the component that made a response, so callers can tell it from the function's own errors. */
export const INTERNAL_HEADER = 'X-Skep-Internal';

/** Sends a watchdog-made error, or cuts the connection when the function's headers are already out. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, start?: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    [INTERNAL_HEADER]: 'watchdog',
  };
  if (start !== undefined) headers['X-Duration-Seconds'] = durationSince(start);
  res.writeHead(status, headers).end(body);
}

/** Seconds since start (a performance.now() reading), formatted as OpenFaaS does (`%f`). */
export function durationSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(6);
}
