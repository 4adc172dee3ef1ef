/** Builds a function: a Docker image through dockerode when an engine answers, else the local provider's bundle check. */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type Docker from 'dockerode';
import type { StackFunction } from './stack-file';
import { findTemplate, Template } from './templates';

/** What was built for one function. */
export interface BuildResult {
  name: string;
  kind: 'image' | 'local' | 'skipped';
  /** Image tag, or the handler file the local provider will load. */
  artifact: string;
  detail?: string;
}

/** Thrown when a function cannot be built; says which function and why. */
export class BuildError extends Error {
  constructor(readonly fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.name = 'BuildError';
  }
}

/** A Docker client, loaded on first use: dockerode and its dependencies would slow every other command's start. */
export function createDocker(): Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Dockerode = require('dockerode') as typeof Docker;
  return new Dockerode();
}

/** The offline Node base image `scripts/images/node-base.sh` builds; used as BASE_IMAGE when the engine has it. */
export const LOCAL_BASE_IMAGE = 'skep/node-base:20';

/** BASE_IMAGE for a build: the flag or `SKEP_BASE_IMAGE`, else Skep's offline base when present, else the template's default. */
export async function chooseBaseImage(docker: Docker, explicit: string | undefined): Promise<string | undefined> {
  if (explicit) return explicit;
  try {
    await docker.getImage(LOCAL_BASE_IMAGE).inspect();
    return LOCAL_BASE_IMAGE;
  } catch {
    return undefined;
  }
}

/** The handler file the local provider loads for this function, checked to exist. */
export function localBundle(fn: StackFunction, stackDir: string): { handlerFile: string; template?: Template } {
  if (!fn.handler) throw new BuildError(fn.name, 'has no "handler" folder to build (set skip_build: true to deploy the image only)');
  if (!existsSync(fn.handler) || !statSync(fn.handler).isDirectory()) throw new BuildError(fn.name, `handler folder ${fn.handler} does not exist`);
  const template = fn.lang ? findTemplate(fn.lang, stackDir) : undefined;
  if (fn.lang && !template) throw new BuildError(fn.name, `no template for lang "${fn.lang}" (looked in templates/, template/ and Skep's functions/templates)`);
  const file = template?.skep?.handler ?? 'handler.js';
  const handlerFile = join(fn.handler, file);
  if (!existsSync(handlerFile)) throw new BuildError(fn.name, `handler folder ${fn.handler} has no ${file}`);
  return { handlerFile, template };
}

/** Resolves when a Docker engine answers a ping within `timeoutMs`; false when there is none. */
export async function dockerReachable(docker: Docker, env: NodeJS.ProcessEnv, timeoutMs = 2000): Promise<boolean> {
  if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([docker.ping(), new Promise((_r, rej) => (timer = setTimeout(() => rej(new Error('timeout')), timeoutMs)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listFiles(p, root) : [relative(root, p)];
  });
}

/**
 * Builds the function's image: the template is copied to a temporary folder with the handler under `function/`
 * (faas-cli's `build/<fn>/` layout, kept out of the project), then sent to the engine; `onProgress` gets each line.
 */
export async function buildImage(
  docker: Docker,
  fn: StackFunction,
  stackDir: string,
  opts: { baseImage?: string; noCache?: boolean; onProgress?: (line: string) => void },
): Promise<BuildResult> {
  const { template } = localBundle(fn, stackDir);
  if (!template || !existsSync(join(template.dir, 'Dockerfile'))) throw new BuildError(fn.name, `template for lang "${fn.lang ?? '?'}" has no Dockerfile`);
  const context = mkdtempSync(join(tmpdir(), `skep-build-${fn.name}-`));
  try {
    cpSync(template.dir, context, { recursive: true });
    cpSync(fn.handler as string, join(context, 'function'), { recursive: true });
    await runBuild(docker, fn, context, opts);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return { name: fn.name, kind: 'image', artifact: fn.image, detail: `${fn.lang} template + ${relative(stackDir, fn.handler as string) || fn.handler}` };
}

async function runBuild(docker: Docker, fn: StackFunction, context: string, opts: { baseImage?: string; noCache?: boolean; onProgress?: (line: string) => void }): Promise<void> {
  const stream = await docker.buildImage(
    { context, src: listFiles(context) },
    { t: fn.image, buildargs: { ...(opts.baseImage ? { BASE_IMAGE: opts.baseImage } : {}), ...fn.buildArgs }, nocache: opts.noCache ?? false, labels: { 'com.skep.function': fn.name } },
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(new BuildError(fn.name, `docker build failed: ${err.message}`)) : resolve()),
      (ev: { stream?: string; error?: string }) => {
        if (ev.error) reject(new BuildError(fn.name, `docker build failed: ${ev.error.trim()}`));
        else if (ev.stream?.trim()) opts.onProgress?.(ev.stream.trim());
      },
    );
  });
}
