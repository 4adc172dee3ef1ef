/** faas-cli stack files: `${VAR}` substitution, `environment_file` merging, and validation that reports every problem. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { invalidFunctionName, invalidSecretName, NAMESPACE } from '../../common/src/names';
import { Bad, isMap, optBool, optString, resources, stringList, stringMap } from './stack-fields';

/** One problem in a stack file, located by file, function and key. */
export interface StackProblem {
  file: string;
  fn?: string;
  key?: string;
  message: string;
}

/** Thrown when a stack file cannot be used; lists every problem found. */
export class StackFileError extends Error {
  constructor(readonly problems: StackProblem[]) {
    super(`invalid stack file:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'StackFileError';
  }
}

/** Renders a problem as `file: functions.NAME.KEY: message`. */
export function formatProblem(p: StackProblem): string {
  const where = p.fn ? `functions.${p.fn}${p.key ? `.${p.key}` : ''}` : p.key;
  return `${p.file}: ${where ? `${where}: ` : ''}${p.message}`;
}

/** A function of the stack file, with paths made absolute and environment files merged. */
export interface StackFunction {
  name: string;
  image: string;
  lang?: string;
  /** Absolute path of the handler folder, when the entry has one. */
  handler?: string;
  fprocess?: string;
  environment: Record<string, string>;
  secrets: string[];
  constraints: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  limits?: { memory?: string; cpu?: string };
  requests?: { memory?: string; cpu?: string };
  readOnlyRootFilesystem?: boolean;
  skipBuild: boolean;
  buildArgs: Record<string, string>;
}

/** A parsed and validated stack file. */
export interface Stack {
  file: string;
  dir: string;
  provider: { name: string; gateway?: string };
  functions: StackFunction[];
}

const TOP_KEYS = new Set(['version', 'provider', 'functions', 'configuration']);
const PROVIDER_KEYS = new Set(['name', 'gateway', 'network']);
const PROVIDER_NAMES = new Set(['openfaas', 'faas']);
const FUNCTION_KEYS = new Set([
  'lang', 'handler', 'image', 'fprocess', 'environment', 'environment_file', 'secrets', 'skip_build', 'constraints',
  'labels', 'annotations', 'limits', 'requests', 'readonly_root_filesystem', 'build_options', 'build_args',
  'build_secrets', 'platforms', 'namespace',
]);

/** Replaces `${VAR}` and `${VAR:-default}` with values from env, as envsubst does (unset ⇒ empty). */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt?: string) => {
    const v = env[name];
    return v !== undefined && v !== '' ? v : (dflt ?? '');
  });
}

/** Reads, substitutes and validates a stack file; throws StackFileError listing every problem. */
export function loadStack(path: string, env: NodeJS.ProcessEnv = process.env): Stack {
  const file = resolve(path);
  if (!existsSync(file)) throw new StackFileError([{ file: path, message: 'file not found' }]);
  return parseStack(readFileSync(file, 'utf8'), path, env);
}

/** Parses stack-file text; `file` names it in problems and anchors relative paths. */
export function parseStack(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Stack {
  const dir = dirname(resolve(file));
  const problems: StackProblem[] = [];
  const doc = YAML.parseDocument(substituteEnv(text, env));
  if (doc.errors.length) throw new StackFileError(doc.errors.map((e) => ({ file, message: `YAML: ${e.message.split('\n')[0]}` })));
  const root: unknown = doc.toJS();
  if (!isMap(root)) throw new StackFileError([{ file, message: 'expected a mapping with "provider" and "functions"' }]);
  for (const k of Object.keys(root)) if (!TOP_KEYS.has(k)) problems.push({ file, key: k, message: 'unknown key' });

  const provider = { name: 'openfaas', gateway: undefined as string | undefined };
  if (root.provider !== undefined) {
    if (!isMap(root.provider)) problems.push({ file, key: 'provider', message: 'must be a mapping' });
    else {
      for (const k of Object.keys(root.provider)) if (!PROVIDER_KEYS.has(k)) problems.push({ file, key: `provider.${k}`, message: 'unknown key' });
      const { name, gateway } = root.provider;
      if (name !== undefined) {
        if (typeof name !== 'string' || !PROVIDER_NAMES.has(name)) problems.push({ file, key: 'provider.name', message: `must be "openfaas" (got ${JSON.stringify(name)})` });
        else provider.name = name;
      }
      if (gateway !== undefined) {
        if (typeof gateway !== 'string' || !/^https?:\/\/[^\s]+$/.test(gateway)) problems.push({ file, key: 'provider.gateway', message: `must be an http(s) URL (got ${JSON.stringify(gateway)})` });
        else provider.gateway = gateway.replace(/\/+$/, '');
      }
    }
  }

  const functions: StackFunction[] = [];
  if (!isMap(root.functions)) problems.push({ file, key: 'functions', message: root.functions === undefined ? 'missing' : 'must be a mapping of name → function' });
  else {
    for (const [name, raw] of Object.entries(root.functions)) {
      const fn = parseFunction(name, raw, { file, dir, problems });
      if (fn) functions.push(fn);
    }
  }
  if (problems.length) throw new StackFileError(problems);
  return { file, dir, provider, functions };
}

interface Ctx {
  file: string;
  dir: string;
  problems: StackProblem[];
}

function parseFunction(name: string, raw: unknown, ctx: Ctx): StackFunction | null {
  const { file, problems } = ctx;
  const bad = (key: string | undefined, message: string) => problems.push({ file, fn: name, key, message });
  const nameProblem = invalidFunctionName(name);
  if (nameProblem) bad(undefined, nameProblem);
  if (!isMap(raw)) {
    bad(undefined, 'must be a mapping');
    return null;
  }
  for (const k of Object.keys(raw)) if (!FUNCTION_KEYS.has(k)) bad(k, 'unknown key');
  const image = optString(raw, 'image', bad);
  if (!image) bad('image', 'missing (every function needs an image)');
  else if (/\s/.test(image)) bad('image', `"${image}" must not contain spaces`);
  const handler = optString(raw, 'handler', bad);
  const ns = optString(raw, 'namespace', bad);
  if (ns && ns !== NAMESPACE) bad('namespace', `must be "${NAMESPACE}" or empty (got "${ns}")`);
  const environment = { ...stringMap(raw, 'environment', bad) };
  Object.assign(environment, environmentFiles(raw.environment_file, ctx, bad));
  const secrets = stringList(raw, 'secrets', bad);
  secrets.forEach((s, i) => {
    const p = invalidSecretName(s);
    if (p) bad(`secrets[${i}]`, p);
  });
  return {
    name,
    image: image ?? '',
    lang: optString(raw, 'lang', bad)?.replace(/^Dockerfile$/, 'dockerfile'),
    handler: handler ? resolve(ctx.dir, handler) : undefined,
    fprocess: optString(raw, 'fprocess', bad),
    environment,
    secrets,
    constraints: stringList(raw, 'constraints', bad),
    labels: stringMap(raw, 'labels', bad),
    annotations: stringMap(raw, 'annotations', bad),
    limits: resources(raw, 'limits', bad),
    requests: resources(raw, 'requests', bad),
    readOnlyRootFilesystem: optBool(raw, 'readonly_root_filesystem', bad),
    skipBuild: optBool(raw, 'skip_build', bad) ?? false,
    buildArgs: stringMap(raw, 'build_args', bad),
  };
}

function environmentFiles(value: unknown, ctx: Ctx, bad: Bad): Record<string, string> {
  if (value === undefined || value === null) return {};
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
    bad('environment_file', 'must be a list of file names');
    return {};
  }
  const merged: Record<string, string> = {};
  for (const [i, rel] of (list as string[]).entries()) {
    const key = `environment_file[${i}]`;
    const path = resolve(ctx.dir, rel);
    if (!existsSync(path)) {
      bad(key, `file "${rel}" does not exist (looked for ${path})`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = YAML.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      bad(key, `"${rel}" is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!isMap(parsed) || (parsed.environment !== undefined && !isMap(parsed.environment))) {
      bad(key, `"${rel}" must have a top-level "environment:" mapping`);
      continue;
    }
    Object.assign(merged, stringMap(parsed, 'environment', (_k, m) => bad(key, `"${rel}": ${m}`)));
  }
  return merged;
}

/** Keeps the functions named by `filter` (comma-separated names or one `*` glob), or all of them. */
export function filterFunctions(stack: Stack, filter?: string): StackFunction[] {
  if (!filter) return stack.functions;
  const patterns = filter.split(',').map((p) => p.trim()).filter(Boolean);
  const regs = patterns.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return stack.functions.filter((f) => regs.some((r) => r.test(f.name)));
}

/** Reads only `provider.gateway` from a stack file, ignoring any other problem (for commands that need nothing else). */
export function peekGateway(path: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const root: unknown = YAML.parse(substituteEnv(readFileSync(path, 'utf8'), env));
    const gw = isMap(root) && isMap(root.provider) ? root.provider.gateway : undefined;
    return typeof gw === 'string' && gw ? gw.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}
