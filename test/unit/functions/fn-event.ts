/** Builds the (event, context) pair the watchdog gives a handler, so sample functions are tested with the real classes. */
import { FunctionContext, FunctionEvent } from '../../../watchdog/src/runners/inproc-context';
import { parseBody } from '../../../watchdog/src/runners/inproc';

/** What a test says about its request. */
export interface FakeRequest {
  body?: string | Buffer;
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
}

/** Calls a handler file as the watchdog would and returns its raw result. */
export async function invoke(handlerPath: string, r: FakeRequest = {}): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handler = require(handlerPath) as (e: FunctionEvent, c: FunctionContext) => unknown;
  const raw = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '');
  const headers = r.headers ?? {};
  const event = new FunctionEvent(parseBody(raw, headers['content-type']), headers, r.method ?? 'POST', r.path ?? '/', r.query ?? '', raw);
  return handler(event, new FunctionContext(() => undefined));
}
