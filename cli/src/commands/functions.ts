/** `list`, `describe`, `ready`, `scale`, `remove`: commands about deployed functions. */
import { Command } from 'commander';
import { parseDuration } from '../../../common/src/duration';
import type { FunctionStatus } from '../../../gateway/src/providers/provider';
import type { Context } from '../context';
import { functionUrl } from '../deployment';
import { GatewayError } from '../gateway-client';
import { UsageError } from '../output';
import { filterFunctions } from '../stack-file';
import type { Wrap } from '../main';

/** Registers the commands that read or change deployed functions. */
export function registerFunctionCommands(program: Command, wrap: Wrap): void {
  program.command('list').alias('ls').description('list deployed functions').action(wrap(list));
  program.command('describe <name>').description('show one function: status, replicas, invocations, image, URL').action(wrap(describe));
  program
    .command('ready <name>')
    .description('wait until the function has an available replica')
    .option('--timeout <duration>', 'give up after this long', '60s')
    .option('--interval <duration>', 'time between checks', '500ms')
    .action(wrap(ready));
  program
    .command('scale <name>')
    .description('set the desired number of replicas')
    .requiredOption('-r, --replicas <n>', 'replicas (0 or more)')
    .action(wrap(scale));
  program
    .command('remove [name]')
    .alias('rm')
    .description('remove a function, or every function of the stack file (-f) when no name is given')
    .option('--filter <names>', 'with a stack file: only these functions (comma-separated, * wildcard)')
    .action(wrap(remove));
}

async function list(ctx: Context): Promise<void> {
  const fns = await ctx.client().list();
  if (ctx.out.json) return ctx.out.printJson(fns);
  const rows = [...fns]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => [f.name, String(Math.round(f.invocationCount ?? 0)), String(f.replicas ?? 0), String(f.availableReplicas ?? 0), f.image ?? '']);
  ctx.out.table(['NAME', 'INVOCATIONS', 'REPLICAS', 'AVAILABLE', 'IMAGE'], rows);
}

async function describe(ctx: Context, name: string): Promise<void> {
  const client = ctx.client();
  const st = await client.describe(name);
  if (ctx.out.json) return ctx.out.printJson(st);
  const { c } = ctx.out;
  const isReady = (st.availableReplicas ?? 0) > 0;
  const rows: [string, string][] = [
    ['Name', st.name],
    ['Status', isReady ? c.green('Ready') : c.yellow('Not Ready')],
    ['Replicas', String(st.replicas ?? 0)],
    ['Available replicas', String(st.availableReplicas ?? 0)],
    ['Invocations', String(Math.round(st.invocationCount ?? 0))],
    ['Image', st.image ?? ''],
    ['Function process', st.envProcess || '<default>'],
    ['URL', functionUrl(client.gateway, st.name)],
    ['Async URL', `${client.gateway}/async-function/${st.name}`],
    ...mapRows('Labels', st.labels),
    ...mapRows('Annotations', st.annotations),
    ['Secrets', (st.secrets ?? []).join(', ') || '<none>'],
    ...(st.createdAt ? [['Created', st.createdAt] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  for (const [k, v] of rows) ctx.out.line(`${`${k}:`.padEnd(width)} ${v}`);
}

function mapRows(title: string, m: Record<string, string> | undefined): [string, string][] {
  const entries = Object.entries(m ?? {});
  if (!entries.length) return [[title, '<none>']];
  return entries.map(([k, v], i) => [i === 0 ? title : '', `${k}: ${v}`]);
}

function durationOption(raw: string, flag: string): number {
  const ms = parseDuration(raw);
  if (ms instanceof Error) throw new UsageError(`${flag}: ${ms.message}`);
  return ms;
}

async function ready(ctx: Context, name: string, opts: { timeout: string; interval: string }): Promise<void> {
  const timeoutMs = durationOption(opts.timeout, '--timeout');
  const intervalMs = Math.max(50, durationOption(opts.interval, '--interval'));
  const stop = ctx.out.spinner(`waiting for ${name} to be ready`);
  let st: FunctionStatus;
  try {
    st = await ctx.client().ready(name, { timeoutMs, intervalMs });
  } catch (err) {
    stop();
    throw err;
  }
  stop();
  if (ctx.out.json) return ctx.out.printJson({ name, ready: true, replicas: st.replicas, availableReplicas: st.availableReplicas });
  ctx.out.line(`${ctx.out.c.green('✔')} ${name} is ready (${st.availableReplicas}/${st.replicas} replicas available)`);
}

async function scale(ctx: Context, name: string, opts: { replicas: string }): Promise<void> {
  const replicas = Number(opts.replicas);
  if (!/^\d+$/.test(opts.replicas) || !Number.isSafeInteger(replicas)) throw new UsageError(`--replicas must be a whole number ≥ 0 (got "${opts.replicas}")`);
  await ctx.client().scale(name, replicas);
  if (ctx.out.json) return ctx.out.printJson({ name, replicas });
  ctx.out.line(`Scaled ${name} to ${replicas} replica${replicas === 1 ? '' : 's'}.`);
}

async function remove(ctx: Context, name: string | undefined, opts: { filter?: string }): Promise<number> {
  const names = name ? [name] : stackNames(ctx, opts.filter);
  const client = ctx.client();
  const results: { name: string; removed: boolean; error?: string }[] = [];
  for (const n of names) {
    try {
      await client.remove(n);
      results.push({ name: n, removed: true });
      if (!ctx.out.json) ctx.out.line(`Removed ${n}.`);
    } catch (err) {
      if (!(err instanceof GatewayError) || names.length === 1) throw err;
      results.push({ name: n, removed: false, error: err.message });
      ctx.out.note(`${ctx.out.errC.red('Error:')} ${n}: ${err.message} [${err.code}, HTTP ${err.status}]`);
    }
  }
  if (ctx.out.json) ctx.out.printJson(results);
  return results.every((r) => r.removed) ? 0 : 1;
}

function stackNames(ctx: Context, filter?: string): string[] {
  if (!ctx.opts.yaml && !ctx.stackPath()) throw new UsageError('give a function name, or a stack file with -f');
  const fns = filterFunctions(ctx.stack(), filter);
  if (!fns.length) throw new UsageError(filter ? `no function in the stack file matches "${filter}"` : 'the stack file has no functions');
  return fns.map((f) => f.name);
}
