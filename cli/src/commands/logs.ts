/** `skep logs NAME`: prints (or follows) a function's log lines from `/system/logs`. */
import { Command } from 'commander';
import { parseDuration } from '../../../common/src/duration';
import type { Context } from '../context';
import { UsageError } from '../output';
import type { Wrap } from '../main';

/** Registers `logs`. */
export function registerLogsCommand(program: Command, wrap: Wrap): void {
  program
    .command('logs <name>')
    .description('print a function\'s logs')
    .option('--follow', 'keep streaming new lines until interrupted')
    .option('--since <when>', 'only lines newer than a duration ago (5m, 1h) or an RFC 3339 time')
    .option('--tail <n>', 'only the last N lines')
    .option('--instance', 'show the replica each line came from')
    .action(wrap(logs));
}

/** Turns `5m` or an RFC 3339 time into the RFC 3339 time the API expects. */
export function sinceToRfc3339(raw: string, now: number = Date.now()): string {
  const ms = parseDuration(raw);
  if (!(ms instanceof Error)) return new Date(now - ms).toISOString();
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new UsageError(`--since expects a duration (5m) or an RFC 3339 time (got "${raw}")`);
  return new Date(t).toISOString();
}

async function logs(ctx: Context, name: string, f: { follow?: boolean; since?: string; tail?: string; instance?: boolean }): Promise<void> {
  let tail: number | undefined;
  if (f.tail !== undefined) {
    if (!/^\d+$/.test(f.tail)) throw new UsageError(`--tail expects a whole number (got "${f.tail}")`);
    tail = Number(f.tail);
  }
  const since = f.since ? sinceToRfc3339(f.since) : undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    for await (const m of ctx.client().logs(name, { follow: !!f.follow, since, tail }, abort.signal)) {
      if (ctx.out.json) ctx.out.line(JSON.stringify(m));
      else {
        const who = f.instance ? ` ${ctx.out.c.dim(`(${m.instance})`)}` : '';
        ctx.out.line(`${ctx.out.c.dim(m.timestamp)} ${ctx.out.c.cyan(m.name)}${who} ${m.text}`);
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
