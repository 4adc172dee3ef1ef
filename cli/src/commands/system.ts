/** `skep version` (CLI + gateway versions, `GET /system/info`) and `skep namespace list`. */
import { Command } from 'commander';
import type { Context } from '../context';
import { cliVersion } from '../version';
import type { Wrap } from '../main';

/** Registers `version` and `namespace list`. */
export function registerSystemCommands(program: Command, wrap: Wrap): void {
  program.command('version').description('print the CLI version and the gateway\'s (GET /system/info)').action(wrap(version));
  const ns = program.command('namespace').alias('namespaces').description('namespaces of the provider');
  ns.command('list').alias('ls').description('list namespaces').action(wrap(namespaces));
}

async function version(ctx: Context): Promise<void> {
  const info = await ctx.client().info();
  if (ctx.out.json) return ctx.out.printJson({ cli: { version: cliVersion() }, gateway: info });
  const rows: [string, string][] = [
    ['CLI version', cliVersion()],
    ['Gateway', ctx.gateway()],
    ['Gateway version', `${info.version?.release ?? '?'} (${info.version?.sha ?? '?'})`],
    ['Provider', `${info.provider?.provider ?? '?'} ${info.provider?.version?.release ?? ''}`.trim()],
    ['Orchestration', info.provider?.orchestration ?? '?'],
    ['Architecture', info.arch ?? '?'],
  ];
  for (const [k, v] of rows) ctx.out.line(`${`${k}:`.padEnd(17)} ${v}`);
}

async function namespaces(ctx: Context): Promise<void> {
  const list = await ctx.client().namespaces();
  if (ctx.out.json) return ctx.out.printJson(list);
  if (!list.length) ctx.out.line('(no namespaces)');
  for (const n of list) ctx.out.line(n);
}
