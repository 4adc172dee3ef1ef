/** `skep build`: builds each function of the stack file and says what was built. */
import { relative } from 'node:path';
import { Command } from 'commander';
import type Docker from 'dockerode';
import { BuildError, buildImage, BuildResult, chooseBaseImage, createDocker, dockerReachable, localBundle } from '../builder';
import type { Context } from '../context';
import { UsageError } from '../output';
import { filterFunctions, StackFunction } from '../stack-file';
import type { Wrap } from '../main';

/** Flags of `build` (and of `up`, which builds first). */
export interface BuildFlags {
  filter?: string;
  docker?: boolean;
  local?: boolean;
  noCache?: boolean;
  baseImage?: string;
}

/** Adds the build flags to a command. */
export function withBuildFlags(cmd: Command): Command {
  return cmd
    .option('--filter <names>', 'only these functions (comma-separated, * wildcard)')
    .option('--docker', 'require a Docker engine and build images')
    .option('--local', 'only check the local provider\'s bundles, even when Docker is reachable')
    .option('--no-cache', 'build images without the Docker layer cache')
    .option('--base-image <image>', 'BASE_IMAGE build argument (default: $SKEP_BASE_IMAGE, else skep/node-base:20 when present)');
}

/** Registers `build`. */
export function registerBuildCommands(program: Command, wrap: Wrap): void {
  withBuildFlags(program.command('build').description('build function images (Docker) or local bundles (local provider)')).action(
    wrap(async (ctx: Context, flags: BuildFlags & { cache?: boolean }) => {
      const results = await buildAll(ctx, { ...flags, noCache: flags.cache === false });
      if (ctx.out.json) ctx.out.printJson(results);
      return results.every((r) => !r.error) ? 0 : 1;
    }),
  );
}

/** Builds the selected functions one by one, printing progress; failures are collected, not thrown. */
export async function buildAll(ctx: Context, flags: BuildFlags): Promise<(BuildResult & { error?: string })[]> {
  if (flags.docker && flags.local) throw new UsageError('give --docker or --local, not both');
  const stack = ctx.stack();
  const fns = filterFunctions(stack, flags.filter);
  if (!fns.length) throw new UsageError(flags.filter ? `no function in ${stack.file} matches "${flags.filter}"` : `${stack.file} has no functions`);
  const docker = flags.local ? undefined : createDocker();
  const useDocker = !!docker && (await dockerReachable(docker, ctx.io.env));
  if (flags.docker && !useDocker) throw new UsageError('--docker: no Docker engine is reachable (DOCKER_HOST or /var/run/docker.sock)');
  if (!ctx.out.json) {
    if (useDocker) ctx.out.note('Building images with the Docker engine.');
    else if (flags.local) ctx.out.note('Local provider: checking the local bundles (handler folders); no images are built.');
    else ctx.out.note('No Docker engine reachable: checking the local bundles for the local provider.');
  }
  const baseImage = useDocker && docker ? await chooseBaseImage(docker, flags.baseImage || ctx.io.env.SKEP_BASE_IMAGE) : undefined;
  const results: (BuildResult & { error?: string })[] = [];
  for (const fn of fns) {
    const stop = ctx.out.spinner(`building ${fn.name}`);
    try {
      const r = await buildOne(ctx, fn, stack.dir, useDocker && docker ? { docker, baseImage, noCache: flags.noCache } : undefined);
      stop(ctx.out.json ? undefined : `${ctx.out.errC.green('✔')} ${describe(r, stack.dir)}`);
      results.push(r);
    } catch (err) {
      if (!(err instanceof BuildError)) {
        stop();
        throw err;
      }
      stop(ctx.out.json ? undefined : `${ctx.out.errC.red('✘')} ${err.message}`);
      results.push({ name: fn.name, kind: 'skipped', artifact: '', error: err.message });
    }
  }
  return results;
}

/** Builds one function: an image when `docker` options are given, else the local bundle check. */
async function buildOne(ctx: Context, fn: StackFunction, dir: string, image?: { docker: Docker; baseImage?: string; noCache?: boolean }): Promise<BuildResult> {
  if (fn.skipBuild) return { name: fn.name, kind: 'skipped', artifact: fn.image, detail: 'skip_build: true' };
  if (!image) {
    const { handlerFile } = localBundle(fn, dir);
    return { name: fn.name, kind: 'local', artifact: handlerFile };
  }
  const onProgress = (l: string) => (ctx.out.json ? undefined : ctx.out.note(`  ${fn.name} | ${l}`));
  return buildImage(image.docker, fn, dir, { baseImage: image.baseImage, noCache: image.noCache, onProgress });
}

function describe(r: BuildResult, dir: string): string {
  if (r.kind === 'skipped') return `${r.name}: skipped (${r.detail})`;
  if (r.kind === 'local') return `${r.name}: local bundle ready (${relative(dir, r.artifact) || r.artifact})`;
  return `${r.name}: image ${r.artifact} built${r.detail ? ` (${r.detail})` : ''}`;
}
