/** The `(event, context)` pair an inproc handler receives, and how its result becomes an HTTP response. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** What a handler is given about the request (the OpenFaaS node template's event). */
export class FunctionEvent {
  private parsedQuery?: Record<string, string>;

  constructor(
    readonly body: unknown,
    readonly headers: IncomingHttpHeaders,
    readonly method: string,
    readonly path: string,
    private readonly rawQuery: string,
    /** The body exactly as received, for handlers that must not see it parsed (echo, hashing, signatures). */
    readonly rawBody: Buffer,
  ) {}

  /** The query string as an object (last value wins), parsed on first use. */
  get query(): Record<string, string> {
    return (this.parsedQuery ??= Object.fromEntries(new URLSearchParams(this.rawQuery)));
  }
}

/** The handler's side channel, shaped like the OpenFaaS node template's (`status`, `headers`, `succeed`, `fail`). */
export class FunctionContext {
  statusValue = 200;
  headerValues: OutgoingHttpHeaders | undefined;
  settled = false;
  private controller?: AbortController;

  constructor(private readonly done: (err: unknown, value: unknown) => void) {}

  /** Aborted when exec_timeout passes, so a handler can stop its own work; created on first use. */
  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  /** Aborts the signal, if anyone asked for it. */
  abort(reason: Error): void {
    this.controller?.abort(reason);
  }

  /** Sets the status code (chainable), or returns it when called with no argument. */
  status(code?: number): this | number {
    if (code === undefined) return this.statusValue;
    this.statusValue = code;
    return this;
  }

  /** Adds response headers (chainable), or returns them when called with no argument. */
  headers(values?: OutgoingHttpHeaders): this | OutgoingHttpHeaders {
    if (values === undefined) return this.headerValues ?? {};
    this.headerValues = { ...this.headerValues, ...values };
    return this;
  }

  /** Answers with value; later results are ignored. */
  succeed(value: unknown): this {
    if (!this.settled) this.done(undefined, value);
    return this;
  }

  /** Answers 500 with the error; later results are ignored. */
  fail(err: unknown): this {
    if (!this.settled) this.done(err ?? new Error('context.fail() called'), undefined);
    return this;
  }
}

/** A result in the `{ statusCode, headers, body }` shape. */
interface Structured {
  statusCode: number;
  headers?: OutgoingHttpHeaders;
  body?: unknown;
}

const isStructured = (v: unknown): v is Structured => typeof v === 'object' && v !== null && typeof (v as Structured).statusCode === 'number';

/** A response ready to write: status, headers (content-type included when known) and body bytes. */
export interface Encoded {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | string;
}

/** Turns a handler's result into status, headers and body: strings as text, Buffers as bytes, anything else as JSON. */
export function encodeResult(value: unknown, ctx: FunctionContext, forcedType: string): Encoded {
  let status = ctx.statusValue;
  let headers = ctx.headerValues;
  if (value === ctx) value = undefined; // `return context.status(201)` without succeed()
  if (isStructured(value)) {
    status = value.statusCode;
    headers = value.headers ? { ...headers, ...value.headers } : headers;
    value = value.body;
  }
  let body: Buffer | string;
  let type: string | undefined;
  if (value === undefined || value === null) body = '';
  else if (typeof value === 'string') (body = value), (type = 'text/plain; charset=utf-8');
  else if (Buffer.isBuffer(value)) (body = value), (type = 'application/octet-stream');
  else if (value instanceof Uint8Array) (body = Buffer.from(value.buffer, value.byteOffset, value.byteLength)), (type = 'application/octet-stream');
  else (body = JSON.stringify(value)), (type = 'application/json');
  const out: OutgoingHttpHeaders = {};
  let hasType = false;
  if (headers) {
    for (const k in headers) {
      const lower = k.toLowerCase();
      if (lower === 'content-length') continue; // computed below, from the bytes actually sent
      if (lower === 'content-type') hasType = true;
      out[k] = headers[k];
    }
  }
  if (!hasType && (forcedType || type)) out['content-type'] = forcedType || type;
  out['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return { status, headers: out, body };
}
