/** What every command needs: the resolved gateway URL, a client with saved credentials, the stack file, and output. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { lookupCredentials } from './config-store';
import { GatewayClient } from './gateway-client';
import { Io, Output } from './output';
import { loadStack, peekGateway, Stack } from './stack-file';

/** The default gateway, as faas-cli's latest default. */
export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';

/** Options every command accepts (set on the program, so they work before or after the command name). */
export interface GlobalOptions {
  gateway?: string;
  json?: boolean;
  yaml?: string;
}

/** Picks the gateway: `--gateway`, then `SKEP_GATEWAY`, then the stack file's `provider.gateway`, then the default. */
export function resolveGateway(flag: string | undefined, env: NodeJS.ProcessEnv, stackGateway: string | undefined): string {
  const url = flag || env.SKEP_GATEWAY || stackGateway || DEFAULT_GATEWAY;
  return url.replace(/\/+$/, '');
}

/** Per-invocation context built from the global options. */
export class Context {
  readonly out: Output;
  private stackCache?: Stack;

  constructor(
    readonly io: Io,
    readonly opts: GlobalOptions,
  ) {
    this.out = new Output(io, !!opts.json);
  }

  /** The stack file named by `-f`, else `./stack.yml` (or `stack.yaml`); throws StackFileError with every problem. */
  stack(): Stack {
    if (!this.stackCache) this.stackCache = loadStack(this.stackPath() ?? resolve(this.io.cwd, 'stack.yml'), this.io.env);
    return this.stackCache;
  }

  /** The path of the stack file in use, or undefined when none was named and none exists in the directory. */
  stackPath(): string | undefined {
    if (this.opts.yaml) return resolve(this.io.cwd, this.opts.yaml);
    for (const name of ['stack.yml', 'stack.yaml']) {
      const p = resolve(this.io.cwd, name);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  /** The gateway URL, looking at the stack file only when one is loaded or lies at hand. */
  gateway(): string {
    const path = this.stackPath();
    const fromStack = this.stackCache?.provider.gateway ?? (path ? peekGateway(path, this.io.env) : undefined);
    return resolveGateway(this.opts.gateway, this.io.env, fromStack);
  }

  /** A client for the resolved gateway, with credentials from `skep login` when saved for it. */
  client(): GatewayClient {
    const gw = this.gateway();
    return new GatewayClient(gw, lookupCredentials(gw, this.io.env));
  }
}
