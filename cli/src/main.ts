/** `skep`: the command line that publishes functions to a Skep (or OpenFaaS) gateway. */
import { Command, CommanderError } from 'commander';
import { Context, GlobalOptions } from './context';
import { GatewayError, UnreachableGatewayError } from './gateway-client';
import { Io, Output, UsageError } from './output';
import { StackFileError } from './stack-file';
import { cliVersion } from './version';
import { registerAsyncCommands } from './commands/async';
import { registerBuildCommands } from './commands/build';
import { registerDeployCommands } from './commands/deploy';
import { registerFunctionCommands } from './commands/functions';
import { registerInvokeCommand } from './commands/invoke';
import { registerLogsCommand } from './commands/logs';
import { registerLoginCommands } from './commands/login';
import { registerNewCommand } from './commands/new';
import { registerSecretCommands } from './commands/secret';
import { registerSystemCommands } from './commands/system';

/** A command body: gets the context, then commander's positional arguments and options; may return an exit status. */
export type Action = (ctx: Context, ...args: any[]) => Promise<number | void>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Wraps an action so it receives a Context and records its exit status. */
export type Wrap = (action: Action) => (...args: unknown[]) => Promise<void>;

/** Builds the program; `io` lets tests run it in-process. */
export function buildProgram(io: Io, status: { code: number }): Command {
  const program = new Command('skep')
    .description('Publish and run functions on a Skep gateway (OpenFaaS-compatible).')
    .version(cliVersion(), '-v, --version', 'print the CLI version')
    .option('-g, --gateway <url>', 'gateway URL (default: $SKEP_GATEWAY, the stack file, then http://127.0.0.1:8080)')
    .option('-f, --yaml <file>', 'stack file (default: ./stack.yml)')
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError('(run skep --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const wrap: Wrap = (action) => async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = new Context(io, cmd.optsWithGlobals<GlobalOptions>());
    const code = await action(ctx, ...args.slice(0, -1));
    status.code = typeof code === 'number' ? code : 0;
  };
  registerNewCommand(program, wrap);
  registerBuildCommands(program, wrap);
  registerDeployCommands(program, wrap);
  registerFunctionCommands(program, wrap);
  registerInvokeCommand(program, wrap);
  registerAsyncCommands(program, wrap);
  registerLogsCommand(program, wrap);
  registerSecretCommands(program, wrap);
  registerLoginCommands(program, wrap);
  registerSystemCommands(program, wrap);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function run(argv: string[], io: Io): Promise<number> {
  const status = { code: 0 };
  const json = argv.includes('--json');
  try {
    await buildProgram(io, status).parseAsync(argv, { from: 'user' });
    return status.code;
  } catch (err) {
    return reportError(err, new Output(io, json));
  }
}

/** Prints an error the way a user needs it (code, message, HTTP status) and returns its exit status. */
export function reportError(err: unknown, out: Output): number {
  if (err instanceof CommanderError) {
    // commander has printed its own message; help and version are not failures
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
  }
  const e = describeError(err);
  if (out.json) out.note(JSON.stringify({ error: e }));
  else {
    const tag = e.status ? ` [${e.code}, HTTP ${e.status}]` : e.code ? ` [${e.code}]` : '';
    out.note(`${out.errC.red('Error:')} ${e.message}${tag}`);
  }
  return err instanceof UsageError ? 2 : 1;
}

function describeError(err: unknown): { code: string; message: string; status?: number; problems?: unknown[] } {
  if (err instanceof GatewayError) return { code: err.code, message: err.message, ...(err.status ? { status: err.status } : {}) };
  if (err instanceof UnreachableGatewayError) return { code: 'gateway_unreachable', message: err.message };
  if (err instanceof StackFileError) return { code: 'invalid_stack_file', message: err.message, problems: err.problems };
  if (err instanceof UsageError) return { code: 'usage', message: err.message };
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** Entry point of `bin/skep.js`: runs with the process's argv and streams, and sets the exit status. */
export function main(): void {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
