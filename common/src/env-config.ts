import { parseDuration, formatDuration } from './duration';

/** One environment variable: its name, aliases, default, how it is parsed, and the sentence the README shows. */
export interface EnvVarSpec<T> {
  name: string;
  aliases?: string[];
  description: string;
  default: T;
  /** How the default is shown in the README table, when String(default) would not read well. */
  shownDefault?: string;
  parse: (raw: string) => T | Error;
}

/** A table of environment variables, keyed by the property they fill in the config object. */
export type EnvSpec<C> = { [K in keyof C]: EnvVarSpec<C[K]> };

/** Thrown by loadFromEnv with every problem found, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every variable of the spec from env, collecting all errors before failing, and returns a frozen config. */
export function loadFromEnv<C>(spec: EnvSpec<C>, env: NodeJS.ProcessEnv): Readonly<C> {
  const out: Partial<C> = {};
  const problems: string[] = [];
  for (const key of Object.keys(spec) as (keyof C)[]) {
    const v = spec[key];
    const names = [v.name, ...(v.aliases ?? [])];
    const found = names.find((n) => env[n] !== undefined && env[n] !== '');
    if (found === undefined) {
      out[key] = v.default;
      continue;
    }
    const parsed = v.parse(env[found] as string);
    if (parsed instanceof Error) problems.push(`${found}: ${parsed.message}`);
    else out[key] = parsed;
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out as C);
}

/** Renders the spec as the Markdown table the README carries (a test keeps the two equal). */
export function renderEnvTable<C>(spec: EnvSpec<C>): string {
  const rows = (Object.values(spec) as EnvVarSpec<unknown>[]).map((v) => {
    const names = [v.name, ...(v.aliases ?? [])].map((n) => `\`${n}\``).join(' / ');
    const def = v.shownDefault ?? (v.default === undefined || v.default === '' ? '' : `\`${String(v.default)}\``);
    return `| ${names} | ${def} | ${v.description} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Parsers shared by every config table. */
export const parsers = {
  string: (raw: string): string => raw,
  /** OpenFaaS treats a boolean as true only when it is exactly "true"; Skep also accepts 1/yes and rejects junk. */
  bool: (raw: string): boolean | Error => {
    const t = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(t)) return true;
    if (['false', '0', 'no', 'off'].includes(t)) return false;
    return new Error(`"${raw}" is not a boolean (use true or false)`);
  },
  duration: (raw: string): number | Error => parseDuration(raw),
  int: (min: number, max = Number.MAX_SAFE_INTEGER) => (raw: string): number | Error => {
    if (!/^-?\d+$/.test(raw.trim())) return new Error(`"${raw}" is not a whole number`);
    const n = Number(raw);
    return n < min || n > max ? new Error(`${n} is out of range (${min} to ${max})`) : n;
  },
  oneOf: <T extends string>(...allowed: T[]) => (raw: string): T | Error =>
    (allowed as string[]).includes(raw) ? (raw as T) : new Error(`"${raw}" is not one of ${allowed.join(', ')}`),
};

/** Shows a duration default in the README as Go would print it. */
export const showDuration = (ms: number): string => `\`${formatDuration(ms)}\``;
