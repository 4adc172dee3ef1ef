/** Language templates: found beside the stack file (`templates/` or faas-cli's `template/`) or in Skep's own `functions/templates`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import YAML from 'yaml';

/** What a template's `template.yml` tells the CLI. */
export interface Template {
  lang: string;
  dir: string;
  fprocess?: string;
  /** Skep's own block: how the local provider runs a handler of this language. */
  skep?: { mode?: string; handler?: string };
}

/** Skep's bundled templates folder, found by walking up from this file (works from `cli/src` and `dist/cli/src`). */
export function bundledTemplatesDir(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'functions', 'templates');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Finds and reads the template for `lang`, looking beside the stack file first; undefined when none exists. */
export function findTemplate(lang: string, stackDir: string): Template | undefined {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(lang)) return undefined;
  const roots = [join(stackDir, 'templates'), join(stackDir, 'template'), bundledTemplatesDir()].filter((r): r is string => !!r);
  for (const root of roots) {
    const dir = resolve(root, lang);
    const file = join(dir, 'template.yml');
    if (!existsSync(file)) continue;
    const raw = (YAML.parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    const skep = typeof raw.skep === 'object' && raw.skep !== null ? (raw.skep as Template['skep']) : undefined;
    return { lang, dir, fprocess: typeof raw.fprocess === 'string' ? raw.fprocess : undefined, skep };
  }
  return undefined;
}
