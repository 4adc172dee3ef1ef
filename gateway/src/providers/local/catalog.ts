/** The local image catalog: every function of a faas-cli stack file, keyed by its image name, runnable without Docker. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

/** How a catalog image runs under the watchdog. */
export interface CatalogEntry {
  /** Function name in the stack file. */
  name: string;
  image: string;
  lang: string;
  handlerDir: string;
  /** Watchdog env from the template (`mode`, `handler_path` or `fprocess`) and the stack's `environment`. */
  env: Record<string, string>;
  /** The stack entry's own `environment` (also part of `env`), sent as `envVars` when `npm start` deploys it. */
  environment: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  limits?: { memory?: string; cpu?: string };
  secrets: string[];
}

/** Catalog entries by image name (`skep/echoit:latest`). */
export type Catalog = Map<string, CatalogEntry>;

interface StackFunction {
  lang?: string;
  handler?: string;
  image?: string;
  environment?: Record<string, unknown>;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  limits?: { memory?: string; cpu?: string };
  secrets?: string[];
}

interface TemplateYaml {
  fprocess?: string;
  skep?: { mode?: string; handler?: string };
}

const strings = (m: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, String(v)]));

async function readTemplate(stackDir: string, lang: string): Promise<TemplateYaml> {
  for (const dir of ['templates', 'template']) {
    const file = join(stackDir, dir, lang, 'template.yml');
    if (existsSync(file)) return (parse(await readFile(file, 'utf8')) ?? {}) as TemplateYaml;
  }
  return lang === 'node' ? { skep: { mode: 'inproc', handler: 'handler.js' } } : {};
}

/** Finds the JavaScript handler: next to the sources, or compiled under dist/ when the handler is TypeScript. */
export function findHandler(root: string, handlerDir: string, file: string): string {
  const direct = join(handlerDir, file);
  if (existsSync(direct)) return direct;
  const compiled = join(root, 'dist', relative(root, handlerDir), file);
  return existsSync(compiled) ? compiled : direct;
}

/** The run env of one stack function from its template. */
async function entryEnv(root: string, stackDir: string, fn: StackFunction, handlerDir: string): Promise<Record<string, string>> {
  const tpl = await readTemplate(stackDir, fn.lang ?? '');
  const mode = tpl.skep?.mode ?? (tpl.fprocess ? 'fork' : 'inproc');
  const env: Record<string, string> = { mode };
  if (mode === 'inproc') env.handler_path = findHandler(root, handlerDir, tpl.skep?.handler ?? 'handler.js');
  if (tpl.fprocess) env.fprocess = tpl.fprocess;
  return { ...env, ...strings(fn.environment) };
}

/** Reads the stack file into a catalog; a missing file gives an empty catalog. */
export async function loadCatalog(stackFile: string): Promise<Catalog> {
  const catalog: Catalog = new Map();
  if (!existsSync(stackFile)) return catalog;
  const stack = (parse(await readFile(stackFile, 'utf8')) ?? {}) as { functions?: Record<string, StackFunction> };
  const stackDir = dirname(resolve(stackFile));
  const root = dirname(stackDir);
  for (const [name, fn] of Object.entries(stack.functions ?? {})) {
    if (!fn.image) continue;
    const handlerDir = resolve(stackDir, fn.handler ?? `./${name}`);
    catalog.set(fn.image, {
      name, image: fn.image, lang: fn.lang ?? '', handlerDir,
      env: await entryEnv(root, stackDir, fn, handlerDir),
      environment: strings(fn.environment), labels: strings(fn.labels), annotations: strings(fn.annotations), limits: fn.limits, secrets: fn.secrets ?? [],
    });
  }
  return catalog;
}
