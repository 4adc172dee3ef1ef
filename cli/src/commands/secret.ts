/** `skep secret create|list|update|remove`. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { invalidSecretName } from '../../../common/src/names';
import type { Context } from '../context';
import { readAll, UsageError } from '../output';
import type { Wrap } from '../main';

interface ValueFlags {
  fromLiteral?: string;
  fromFile?: string;
}

/** Registers the `secret` command group. */
export function registerSecretCommands(program: Command, wrap: Wrap): void {
  const secret = program.command('secret').description('manage secrets functions can read');
  const withValue = (cmd: Command) =>
    cmd
      .option('--from-literal <value>', 'the secret value')
      .option('--from-file <path>', 'read the value from a file')
      .addHelpText('after', '\nWithout --from-literal or --from-file the value is read from stdin.');
  withValue(secret.command('create <name>').description('create a secret')).action(wrap(create));
  withValue(secret.command('update <name>').description('replace a secret\'s value')).action(wrap(update));
  secret.command('list').alias('ls').description('list secret names').action(wrap(list));
  secret.command('remove <name>').alias('rm').description('remove a secret').action(wrap(remove));
}

async function readValue(ctx: Context, f: ValueFlags): Promise<string> {
  if (f.fromLiteral !== undefined && f.fromFile !== undefined) throw new UsageError('give --from-literal or --from-file, not both');
  if (f.fromLiteral !== undefined) return f.fromLiteral;
  if (f.fromFile !== undefined) {
    try {
      return readFileSync(resolve(ctx.io.cwd, f.fromFile), 'utf8');
    } catch (err) {
      throw new UsageError(`--from-file: cannot read ${f.fromFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (ctx.io.stdin.isTTY) throw new UsageError('give the value with --from-literal, --from-file or on stdin');
  // Trailing newlines from `echo` are almost never part of a secret.
  return (await readAll(ctx.io.stdin)).toString('utf8').replace(/\r?\n$/, '');
}

function checkName(name: string): void {
  const problem = invalidSecretName(name);
  if (problem) throw new UsageError(problem);
}

async function create(ctx: Context, name: string, f: ValueFlags): Promise<void> {
  checkName(name);
  const value = await readValue(ctx, f);
  if (value === '') throw new UsageError('the secret value is empty');
  await ctx.client().createSecret(name, value);
  if (ctx.out.json) return ctx.out.printJson({ name, created: true });
  ctx.out.line(`Created secret ${name}.`);
}

async function update(ctx: Context, name: string, f: ValueFlags): Promise<void> {
  checkName(name);
  const value = await readValue(ctx, f);
  if (value === '') throw new UsageError('the secret value is empty');
  await ctx.client().updateSecret(name, value);
  if (ctx.out.json) return ctx.out.printJson({ name, updated: true });
  ctx.out.line(`Updated secret ${name}.`);
}

async function list(ctx: Context): Promise<void> {
  const secrets = await ctx.client().listSecrets();
  if (ctx.out.json) return ctx.out.printJson(secrets.map((s) => ({ name: s.name })));
  ctx.out.table(['NAME'], [...secrets].sort((a, b) => a.name.localeCompare(b.name)).map((s) => [s.name]));
}

async function remove(ctx: Context, name: string): Promise<void> {
  checkName(name);
  await ctx.client().removeSecret(name);
  if (ctx.out.json) return ctx.out.printJson({ name, removed: true });
  ctx.out.line(`Removed secret ${name}.`);
}
