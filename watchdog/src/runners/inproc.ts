/** `inproc` mode: the Node handler runs in the watchdog's own process, so a request costs no second hop. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { WatchdogConfig } from '../config';
import { durationSince, INTERNAL_HEADER, sendError } from '../respond';
import { encodeResult, FunctionContext, FunctionEvent } from './inproc-context';
import { deadlineMs, Runner } from './runner';

/** A function handler as the node template defines it. */
export type Handler = (event: FunctionEvent, context: FunctionContext) => unknown;

/** Loads handler_path once; accepts `module.exports = fn`, `exports.handler` or `exports.default`. */
export function loadHandler(path: string): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path) as Handler | { handler?: Handler; default?: Handler };
  const fn = typeof mod === 'function' ? mod : (mod?.handler ?? mod?.default);
  if (typeof fn !== 'function') throw new Error(`${path} does not export a function (module.exports = async (event, context) => ...)`);
  return fn;
}

/** Parses the body as the OpenFaaS node template does: JSON to a value, text/* to a string, the rest as a Buffer. */
export function parseBody(raw: Buffer, type: string | undefined): unknown {
  if (type === undefined) return raw.length ? raw : '';
  if (type.startsWith('application/json') || /^[^;]*\+json/.test(type)) return raw.length ? JSON.parse(raw.toString('utf8')) : '';
  if (type.startsWith('text/')) return raw.toString('utf8');
  return raw;
}

/** Calls a handler loaded in-process for each request, with exec_timeout, 500 on a throw and 504 on a timeout. */
export class InprocRunner implements Runner {
  private readonly handler: Handler;
  private readonly deadline: number;

  constructor(private readonly cfg: Readonly<WatchdogConfig>, private readonly log: Logger) {
    this.handler = loadHandler(cfg.handlerPath);
    this.deadline = deadlineMs(cfg.execTimeout, cfg.writeTimeout);
  }

  /** The handler is loaded already. */
  async start(): Promise<void> {}

  /** Nothing to stop. */
  async stop(): Promise<void> {}

  /** Reads the body, calls the handler and writes what it returns. */
  handle(req: IncomingMessage, res: ServerResponse, start: number): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.invoke(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), start));
  }

  private invoke(req: IncomingMessage, res: ServerResponse, raw: Buffer, start: number): void {
    let body: unknown;
    try {
      body = parseBody(raw, req.headers['content-type']);
    } catch (err) {
      return sendError(res, 400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`, start);
    }
    const url = req.url as string;
    const q = url.indexOf('?');
    const event = new FunctionEvent(body, req.headers, req.method as string, q < 0 ? url : url.slice(0, q), q < 0 ? '' : url.slice(q + 1), raw);
    let timer: NodeJS.Timeout | undefined;
    const ctx = new FunctionContext((err, value) => {
      ctx.settled = true;
      clearTimeout(timer);
      if (err === undefined) this.respond(res, value, ctx, start);
      else this.fail(res, err, start);
    });
    if (this.deadline > 0) {
      timer = setTimeout(() => {
        ctx.settled = true;
        ctx.abort(new Error('exec_timeout'));
        sendError(res, 504, 'timeout', `the function did not answer within ${this.deadline} ms (exec_timeout)`, start);
      }, this.deadline);
    }
    let result: unknown;
    try {
      result = this.handler(event, ctx);
    } catch (err) {
      return void ctx.fail(err);
    }
    if (result !== null && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (result as PromiseLike<unknown>).then((v) => ctx.succeed(v), (e: unknown) => ctx.fail(e));
    else ctx.succeed(result);
  }

  private respond(res: ServerResponse, value: unknown, ctx: FunctionContext, start: number): void {
    let enc;
    try {
      enc = encodeResult(value, ctx, this.cfg.contentType);
    } catch (err) {
      return this.fail(res, err, start);
    }
    enc.headers['X-Duration-Seconds'] = durationSince(start);
    res.writeHead(enc.status, enc.headers).end(enc.body);
  }

  private fail(res: ServerResponse, err: unknown, start: number): void {
    const message = err instanceof Error ? err.message : String(err);
    this.log.error({ err }, 'handler failed');
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ code: 'function_error', message: `the handler failed: ${message}` });
    res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'X-Duration-Seconds': durationSince(start), [INTERNAL_HEADER]: 'watchdog' }).end(body);
  }
}
