/** `skep invoke NAME`: sends stdin to a function and prints its answer untouched. */
import { Command } from 'commander';
import type { Context } from '../context';
import { readAll, UsageError } from '../output';
import type { Wrap } from '../main';

interface InvokeFlags {
  method: string;
  query: string[];
  header: string[];
  contentType?: string;
  async?: boolean;
  callbackUrl?: string;
  idempotencyKey?: string;
}

const collect = (v: string, acc: string[]) => [...acc, v];

/** Registers `invoke`. */
export function registerInvokeCommand(program: Command, wrap: Wrap): void {
  program
    .command('invoke <name>')
    .description('call a function with the body read from stdin; prints its response body')
    .option('-m, --method <method>', 'HTTP method', 'POST')
    .option('--query <k=v>', 'query parameter (repeatable)', collect, [])
    .option('-H, --header <k=v>', 'request header, "K=V" or "K: V" (repeatable)', collect, [])
    .option('--content-type <type>', 'Content-Type of the body', 'text/plain')
    .option('-a, --async', 'queue the call (POST /async-function/NAME); prints the call id')
    .option('--callback-url <url>', 'with --async: where the result is posted (X-Callback-Url)')
    .option('--idempotency-key <key>', 'with --async: a repeat with the same key returns the first call id (X-Idempotency-Key)')
    .action(wrap(invoke));
}

function splitHeader(h: string): [string, string] {
  const m = /^([^=:]+)(?:=|:\s*)(.*)$/.exec(h);
  if (!m || !m[1].trim()) throw new UsageError(`--header expects "K=V" or "K: V" (got "${h}")`);
  return [m[1].trim(), m[2]];
}

function splitQuery(q: string): [string, string] {
  const eq = q.indexOf('=');
  if (eq <= 0) throw new UsageError(`--query expects k=v (got "${q}")`);
  return [q.slice(0, eq), q.slice(eq + 1)];
}

async function invoke(ctx: Context, name: string, f: InvokeFlags): Promise<number> {
  const method = f.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`--method "${f.method}" is not an HTTP method`);
  if (f.async && method !== 'POST') throw new UsageError('--async calls are always POST');
  const headers: Record<string, string> = { 'content-type': f.contentType ?? 'text/plain' };
  for (const h of f.header) {
    const [k, v] = splitHeader(h);
    headers[k.toLowerCase()] = v;
  }
  if ((f.callbackUrl || f.idempotencyKey) && !f.async) throw new UsageError('--callback-url and --idempotency-key need --async');
  if (f.callbackUrl) headers['x-callback-url'] = f.callbackUrl;
  if (f.idempotencyKey) headers['x-idempotency-key'] = f.idempotencyKey;
  const query = f.query.map(splitQuery);
  // A terminal on stdin means there is no body to wait for.
  const body = method === 'GET' || method === 'HEAD' || ctx.io.stdin.isTTY ? undefined : await readAll(ctx.io.stdin);
  const res = await ctx.client().invoke(name, { method, headers, query, body, async: f.async });
  const internal = res.headers.get('x-skep-internal') ?? res.headers.get('x-openfaas-internal');
  if (f.async && res.status === 202) {
    const callId = res.headers.get('x-call-id') ?? '';
    const replay = res.headers.get('x-skep-idempotent-replay') === 'true';
    if (ctx.out.json) ctx.out.printJson({ name, status: 202, callId, ...(replay ? { replay } : {}) });
    else {
      ctx.out.note(`Function submitted asynchronously${callId ? ` (X-Call-Id: ${callId})` : ''}${replay ? ' (idempotent replay: an earlier call with this key)' : ''}.`);
      // The bare id on stdout, so `id=$(skep invoke NAME --async)` works.
      if (callId) ctx.out.line(callId);
    }
    return 0;
  }
  if (res.status >= 200 && res.status < 300) {
    ctx.io.stdout.write(res.body);
    return 0;
  }
  if (ctx.out.json) {
    ctx.out.note(JSON.stringify({ error: { status: res.status, internal: internal ?? undefined, body: res.body.toString('utf8') } }));
    return 1;
  }
  const text = res.body.toString('utf8').trim();
  if (internal) {
    // An error the gateway made itself: show it like every other gateway error.
    let parsed: { code?: string; message?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // plain text from an OpenFaaS component
    }
    ctx.out.note(`${ctx.out.errC.red('Error:')} ${parsed.message ?? (text || `HTTP ${res.status}`)} [${parsed.code ?? internal}, HTTP ${res.status}]`);
    return 1;
  }
  ctx.out.note(`${ctx.out.errC.red('Error:')} function ${name} returned HTTP ${res.status}${text ? `: ${text}` : ''}`);
  return 1;
}
