/** Typed errors: each carries an HTTP status and a stable code; one handler maps them to `{ code, message }` responses. */

/** Base of every error the gateway answers with on purpose. */
export class SkepError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or fails validation. */
export class ValidationError extends SkepError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

/** 404: no function (or secret) by that name. */
export class NotFoundError extends SkepError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** 409: the function or secret exists already. */
export class ConflictError extends SkepError {
  constructor(message: string) {
    super(409, 'exists', message);
  }
}

/** 413: the body is larger than the configured limit. */
export class PayloadTooLargeError extends SkepError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `request body exceeds the limit of ${limit} bytes`);
  }
}

/** 429: a bounded queue is full. */
export class BusyError extends SkepError {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(429, 'busy', message);
  }
}

/** 502: the function could not be reached. */
export class UnreachableError extends SkepError {
  constructor(message: string) {
    super(502, 'function_unreachable', message);
  }
}

/** 503: no replica ready, or the orchestrator (Docker) is unavailable. */
export class UnavailableError extends SkepError {
  constructor(message: string, code = 'unavailable', readonly retryAfterSeconds?: number) {
    super(503, code, message);
  }
}

/** 504: the function did not answer within upstream_timeout. */
export class TimeoutError extends SkepError {
  constructor(message: string) {
    super(504, 'timeout', message);
  }
}

/** 501: the provider cannot do this. */
export class NotImplementedError extends SkepError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}

/** 401: basic auth is on and the credentials are missing or wrong. */
export class UnauthorizedError extends SkepError {
  constructor() {
    super(401, 'unauthorized', 'invalid credentials');
  }
}

/** 405: the route exists but not for this method. */
export class MethodNotAllowedError extends SkepError {
  constructor(method: string, path: string, readonly allowed: string[]) {
    super(405, 'method_not_allowed', `${method} is not allowed on ${path} (allowed: ${allowed.join(', ')})`);
  }
}
