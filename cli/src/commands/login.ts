/** `skep login` and `skep logout`: basic-auth credentials saved per gateway in a 0600 file. */
import { Command } from 'commander';
import { configPath, removeCredentials, saveCredentials } from '../config-store';
import type { Context } from '../context';
import { GatewayClient, GatewayError } from '../gateway-client';
import { readAll, UsageError } from '../output';
import type { Wrap } from '../main';

/** Registers `login` and `logout`. */
export function registerLoginCommands(program: Command, wrap: Wrap): void {
  program
    .command('login')
    .description('check and save basic-auth credentials for the gateway')
    .option('-u, --username <user>', 'user name', 'admin')
    .option('-p, --password <password>', 'password (prefer --password-stdin: flags show up in ps)')
    .option('-s, --password-stdin', 'read the password from stdin')
    .action(wrap(login));
  program.command('logout').description('forget the saved credentials for the gateway').action(wrap(logout));
}

async function login(ctx: Context, f: { username: string; password?: string; passwordStdin?: boolean }): Promise<void> {
  if (f.password !== undefined && f.passwordStdin) throw new UsageError('give --password or --password-stdin, not both');
  let password = f.password;
  if (f.passwordStdin) password = (await readAll(ctx.io.stdin)).toString('utf8').trim();
  if (!password) throw new UsageError('a password is required (--password-stdin or --password)');
  if (!f.username) throw new UsageError('a user name is required (--username)');
  const gateway = ctx.gateway();
  // Check the credentials first, as faas-cli does, so a typo is not saved.
  try {
    await new GatewayClient(gateway, { user: f.username, password }).list();
  } catch (err) {
    if (err instanceof GatewayError && err.status === 401) throw new GatewayError(401, 'unauthorized', `the gateway at ${gateway} refused these credentials`);
    throw err;
  }
  const path = saveCredentials(gateway, f.username, password, ctx.io.env);
  if (ctx.out.json) return ctx.out.printJson({ gateway, user: f.username, config: path });
  ctx.out.line(`Credentials saved for ${f.username} on ${gateway} (${path}).`);
}

async function logout(ctx: Context): Promise<void> {
  const gateway = ctx.gateway();
  const removed = removeCredentials(gateway, ctx.io.env);
  if (ctx.out.json) return ctx.out.printJson({ gateway, removed, config: configPath(ctx.io.env) });
  ctx.out.line(removed ? `Credentials for ${gateway} removed.` : `No credentials saved for ${gateway}.`);
}
