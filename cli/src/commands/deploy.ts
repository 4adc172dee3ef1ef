/** `skep deploy` (PUT, then POST when new) and `skep up` (build, then deploy), with a summary table of URLs. */
import { Command } from 'commander';
import type { FunctionDeployment } from '../../../gateway/src/providers/provider';
import { invalidFunctionName, invalidSecretName } from '../../../common/src/names';
import type { Context } from '../context';
import { DeployOverrides, functionUrl, toDeployment } from '../deployment';
import { GatewayError, UnreachableGatewayError } from '../gateway-client';
import { parsePairs, UsageError } from '../output';
import { filterFunctions, StackFunction } from '../stack-file';
import { findTemplate } from '../templates';
import type { Wrap } from '../main';
import { buildAll, BuildFlags, withBuildFlags } from './build';

interface DeployFlags {
  filter?: string;
  image?: string;
  name?: string;
  fprocess?: string;
  env: string[];
  label: string[];
  annotation: string[];
  secret: string[];
  constraint: string[];
}

const collect = (v: string, acc: string[]) => [...acc, v];

function withDeployFlags(cmd: Command, withFilter: boolean): Command {
  if (withFilter) cmd.option('--filter <names>', 'only these functions (comma-separated, * wildcard)');
  return cmd
    .option('--image <image>', 'deploy this image (one function: with --name, or a stack file filtered to one)')
    .option('--name <name>', 'with --image: deploy without a stack file')
    .option('--fprocess <cmd>', 'process the watchdog runs (envProcess)')
    .option('-e, --env <k=v>', 'environment variable (repeatable; wins over the stack file)', collect, [])
    .option('-l, --label <k=v>', 'label (repeatable)', collect, [])
    .option('--annotation <k=v>', 'annotation (repeatable)', collect, [])
    .option('--secret <name>', 'secret the function may read (repeatable)', collect, [])
    .option('--constraint <expr>', 'placement constraint (repeatable)', collect, []);
}

/** Registers `deploy` and `up`. */
export function registerDeployCommands(program: Command, wrap: Wrap): void {
  withDeployFlags(program.command('deploy').description('deploy the functions of the stack file, or one image with --image --name'), true).action(
    wrap((ctx: Context, flags: DeployFlags) => deploy(ctx, flags)),
  );
  withDeployFlags(withBuildFlags(program.command('up').description('build, then deploy (skep build + skep deploy)')), false)
    .option('--skip-deploy', 'build only')
    .action(
      wrap(async (ctx: Context, flags: DeployFlags & BuildFlags & { cache?: boolean; skipDeploy?: boolean }) => {
        const built = await buildAll(ctx, { ...flags, local: flags.local || (!flags.docker && (await gatewayRunsProcesses(ctx))), noCache: flags.cache === false });
        const ok = built.filter((b) => !b.error).map((b) => b.name);
        const buildFailed = ok.length < built.length;
        if (flags.skipDeploy || !ok.length) return buildFailed ? 1 : 0;
        const code = await deploy(ctx, flags, new Set(ok));
        return buildFailed ? 1 : code;
      }),
    );
}

/** True when the gateway's provider runs functions as local processes, so images would be of no use to it. */
async function gatewayRunsProcesses(ctx: Context): Promise<boolean> {
  try {
    const info = await ctx.client().info();
    return info.provider?.orchestration === 'process';
  } catch {
    // deploy will report an unreachable or refusing gateway; the build itself does not need it
    return false;
  }
}

function overridesFrom(flags: DeployFlags): DeployOverrides {
  for (const s of flags.secret) {
    const p = invalidSecretName(s);
    if (p) throw new UsageError(`--secret: ${p}`);
  }
  return {
    image: flags.image,
    fprocess: flags.fprocess,
    env: parsePairs(flags.env, '--env'),
    labels: parsePairs(flags.label, '--label'),
    annotations: parsePairs(flags.annotation, '--annotation'),
    secrets: flags.secret,
    constraints: flags.constraint,
  };
}

function deploymentsFrom(ctx: Context, flags: DeployFlags, only?: Set<string>): FunctionDeployment[] {
  const o = overridesFrom(flags);
  if (flags.name) {
    const p = invalidFunctionName(flags.name);
    if (p) throw new UsageError(`--name: ${p}`);
    if (!flags.image) throw new UsageError('--name needs --image (or deploy from a stack file with -f)');
    const bare: StackFunction = { name: flags.name, image: flags.image, environment: {}, secrets: [], constraints: [], labels: {}, annotations: {}, skipBuild: true, buildArgs: {} };
    return [toDeployment(bare, o)];
  }
  const stack = ctx.stack();
  const fns = filterFunctions(stack, flags.filter).filter((f) => !only || only.has(f.name));
  if (!fns.length) throw new UsageError(flags.filter ? `no function in ${stack.file} matches "${flags.filter}"` : `${stack.file} has no functions`);
  if (flags.image && fns.length > 1) throw new UsageError(`--image applies to one function, but ${fns.length} are selected: add --filter NAME or --name`);
  return fns.map((fn) => {
    const template = fn.lang ? findTemplate(fn.lang, stack.dir) : undefined;
    // In-process templates (the node one) have no process to run; only classic templates contribute fprocess.
    const templateFprocess = template?.skep?.mode === 'inproc' ? undefined : template?.fprocess;
    return toDeployment(fn, o, templateFprocess);
  });
}

interface Outcome {
  name: string;
  status: 'created' | 'updated' | 'failed';
  url: string;
  httpStatus?: number;
  error?: { code: string; message: string };
}

async function deploy(ctx: Context, flags: DeployFlags, only?: Set<string>): Promise<number> {
  const deployments = deploymentsFrom(ctx, flags, only);
  const client = ctx.client();
  const outcomes: Outcome[] = [];
  for (const dep of deployments) {
    const url = functionUrl(client.gateway, dep.service);
    const stop = ctx.out.spinner(`deploying ${dep.service}`);
    try {
      const r = await client.deploy(dep);
      stop(ctx.out.json ? undefined : `Deployed ${dep.service} (${r.created ? 'created' : 'updated'}, HTTP ${r.status}).`);
      outcomes.push({ name: dep.service, status: r.created ? 'created' : 'updated', url, httpStatus: r.status });
    } catch (err) {
      stop();
      // An unreachable gateway fails every function the same way: stop at once.
      if (err instanceof UnreachableGatewayError || !(err instanceof GatewayError)) throw err;
      if (!ctx.out.json) ctx.out.note(`${ctx.out.errC.red('Error:')} ${dep.service}: ${err.message} [${err.code}, HTTP ${err.status}]`);
      outcomes.push({ name: dep.service, status: 'failed', url, httpStatus: err.status, error: { code: err.code, message: err.message } });
    }
  }
  if (ctx.out.json) ctx.out.printJson(outcomes);
  else {
    const { c } = ctx.out;
    const paint = (s: Outcome['status']) => (s === 'failed' ? c.red(s) : c.green(s));
    ctx.out.line();
    ctx.out.table(['FUNCTION', 'STATUS', 'URL'], outcomes.map((o) => [o.name, paint(o.status), o.url]));
  }
  return outcomes.every((o) => o.status !== 'failed') ? 0 : 1;
}
