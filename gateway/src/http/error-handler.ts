/** The one place errors become responses: SkepError → `{ code, message }` with its status and `X-Skep-Internal`. */
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError, SkepError, ValidationError } from '../errors';

/** Header marking an error the gateway made itself, so callers can tell it from a function's own 5xx. */
export const INTERNAL_HEADER = 'X-Skep-Internal';

/** Turns anything thrown into a SkepError (body-parser and unknown errors included). */
export function toSkepError(err: unknown): SkepError {
  if (err instanceof SkepError) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError(e.limit ?? 0);
  if (e?.type === 'entity.parse.failed') return new ValidationError(`request body is not valid JSON: ${e.message}`);
  if (e?.status && e.status >= 400 && e.status < 500) return new SkepError(e.status, 'bad_request', e.message ?? 'bad request');
  return new SkepError(500, 'internal', e?.message ?? String(err));
}

/** Writes `err` as a JSON error on a raw response (used by the invocation fast path and by express). */
export function sendError(res: ServerResponse, err: unknown, component = 'gateway'): void {
  const e = toSkepError(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: e.code, message: e.message });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    [INTERNAL_HEADER]: component,
  };
  if (e.statusCode === 401) headers['WWW-Authenticate'] = 'Basic realm="Restricted"';
  if (e instanceof MethodNotAllowedError) headers['Allow'] = e.allowed.join(', ');
  const retry = (e as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retry !== undefined) headers['Retry-After'] = retry;
  res.writeHead(e.statusCode, headers);
  res.end(body);
}

/** Express error middleware: the one handler mapping SkepError to `{ code, message }` + `X-Skep-Internal: gateway`. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  sendError(res, err);
};

/** Final middleware: a JSON 404 for any path no route claimed. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`));
};

/** Route terminator: a 405 listing the methods `allowed` on this path. */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  return (req, _res, next) => next(new MethodNotAllowedError(req.method, req.path, allowed));
}
