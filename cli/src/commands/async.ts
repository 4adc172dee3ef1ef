/** `skep async list|show|dead|redrive|purge`: the gateway's durable async requests and dead-letter queue. */
import { Command } from 'commander';
import type { Context } from '../context';
import type { AsyncJob } from '../gateway-client';
import { UsageError } from '../output';
import type { Wrap } from '../main';

interface ListFlags {
  function?: string;
  state?: string;
  limit?: string;
}

interface PurgeFlags {
  function?: string;
  all?: boolean;
}

/** Registers the `async` command group. */
export function registerAsyncCommands(program: Command, wrap: Wrap): void {
  const group = program.command('async').description('inspect, redrive and purge async requests (/system/async)');
  const listing = (cmd: Command) =>
    cmd.option('--function <name>', 'only this function\'s requests').option('--limit <n>', 'at most this many, newest first (gateway default 100)');
  listing(group.command('list').alias('ls').description('list async requests, newest first'))
    .option('--state <state>', 'queued, running, succeeded, failed or dead')
    .action(wrap(list));
  group.command('show <callId>').description('show one async request: every field, headers and body size').action(wrap(show));
  listing(group.command('dead').description('list the dead-letter queue')).action(wrap(dead));
  group.command('redrive <callId>').description('queue a dead-lettered request again, attempts reset').action(wrap(redrive));
  group
    .command('purge [callId]')
    .description('delete dead-lettered requests: one by call id, a function\'s (--function), or all (--all)')
    .option('--function <name>', 'purge this function\'s dead letters')
    .option('--all', 'purge the whole dead-letter queue')
    .action(wrap(purge));
}

function limitOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--limit expects a whole number of 1 or more (got "${raw}")`);
  return Number(raw);
}

/** A job's status, as "200" or the error text when no status came back. */
const lastOf = (j: AsyncJob) => (j.lastStatus !== undefined ? String(j.lastStatus) : j.lastError ? 'error' : '-');

function printJobs(ctx: Context, jobs: AsyncJob[], empty: string): void {
  if (ctx.out.json) return ctx.out.printJson(jobs);
  if (!jobs.length) return ctx.out.line(empty);
  const rows = jobs.map((j) => [j.callId, j.function, colourState(ctx, j.state), String(j.attempts), lastOf(j), j.createdAt ?? '']);
  ctx.out.table(['CALL ID', 'FUNCTION', 'STATE', 'ATTEMPTS', 'LAST STATUS', 'CREATED'], rows);
}

function colourState(ctx: Context, state: AsyncJob['state']): string {
  const { c } = ctx.out;
  if (state === 'succeeded') return c.green(state);
  if (state === 'failed' || state === 'dead') return c.red(state);
  return c.yellow(state);
}

async function list(ctx: Context, f: ListFlags): Promise<void> {
  const jobs = await ctx.client().asyncList({ function: f.function, state: f.state, limit: limitOf(f.limit) });
  printJobs(ctx, jobs, '(no async requests)');
}

async function dead(ctx: Context, f: ListFlags): Promise<void> {
  const jobs = await ctx.client().asyncList({ function: f.function, limit: limitOf(f.limit), dead: true });
  printJobs(ctx, jobs, '(the dead-letter queue is empty)');
}

async function show(ctx: Context, callId: string): Promise<void> {
  const j = await ctx.client().asyncGet(callId);
  if (ctx.out.json) return ctx.out.printJson(j);
  const rows: [string, string | undefined][] = [
    ['Call ID', j.callId],
    ['Function', j.function],
    ['State', colourState(ctx, j.state)],
    ['Attempts', String(j.attempts)],
    ['Last status', j.lastStatus !== undefined ? String(j.lastStatus) : undefined],
    ['Last error', j.lastError],
    ['Dead reason', j.deadReason],
    ['Request', `${j.method} /function/${j.function}${j.path ?? ''}${j.query ? `?${j.query}` : ''}`],
    ['Body', `${j.bodyBytes} bytes`],
    ['Callback URL', j.callbackUrl],
    ['Idempotency key', j.idempotencyKey],
    ['Interrupted', j.interrupted ? 'yes (a gateway stopped during a call)' : undefined],
    ['Created', j.createdAt],
    ['Enqueued', j.enqueuedAt],
    ['Started', j.startedAt],
    ['Finished', j.finishedAt],
    ['Next attempt', j.nextAttemptAt],
  ];
  for (const [k, v] of rows) if (v !== undefined && v !== '') ctx.out.line(`${`${k}:`.padEnd(17)} ${v}`);
  const headers = Object.entries(j.headers ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (headers.length) {
    ctx.out.line('Headers:');
    for (const [k, v] of headers) ctx.out.line(`  ${k}: ${v}`);
  }
}

async function redrive(ctx: Context, callId: string): Promise<void> {
  const j = await ctx.client().asyncRedrive(callId);
  if (ctx.out.json) return ctx.out.printJson(j);
  ctx.out.line(`Redrove ${j.callId} (${j.function}): ${j.state}.`);
}

async function purge(ctx: Context, callId: string | undefined, f: PurgeFlags): Promise<void> {
  const given = [callId !== undefined, f.function !== undefined, !!f.all].filter(Boolean).length;
  // Purging is permanent: the whole queue goes only when asked for by name.
  if (given !== 1) throw new UsageError('give one of CALL_ID, --function NAME or --all');
  const purged = await ctx.client().asyncPurge({ callId, function: f.function });
  if (ctx.out.json) return ctx.out.printJson({ purged });
  ctx.out.line(`Purged ${purged} dead-lettered request${purged === 1 ? '' : 's'}.`);
}
