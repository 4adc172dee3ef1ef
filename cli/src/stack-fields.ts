/** Typed readers for stack-file values; each reports a problem through `bad(key, message)` instead of throwing. */

/** Receives a problem at a key of the function being read. */
export type Bad = (key: string | undefined, message: string) => void;

const RESOURCE_KEYS = new Set(['memory', 'cpu']);

/** True for a plain mapping (not null, not a list). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for a YAML scalar the file may use where a string is expected. */
export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** An optional string (numbers and booleans are turned into text). */
export function optString(o: Record<string, unknown>, key: string, bad: Bad): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isScalar(v)) {
    bad(key, 'must be a string');
    return undefined;
  }
  return String(v);
}

/** An optional boolean. */
export function optBool(o: Record<string, unknown>, key: string, bad: Bad): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') bad(key, 'must be true or false');
  return v === true;
}

/** A mapping of key to scalar, as strings (labels, environment, ...). */
export function stringMap(o: Record<string, unknown>, key: string, bad: Bad): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isMap(v)) {
    bad(key, 'must be a mapping of key: value');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (isScalar(val)) out[k] = String(val);
    else if (val === null) out[k] = '';
    else bad(`${key}.${k}`, 'must be a string, number or boolean');
  }
  return out;
}

/** A list of scalars, as strings. */
export function stringList(o: Record<string, unknown>, key: string, bad: Bad): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isScalar)) {
    bad(key, 'must be a list of strings');
    return [];
  }
  return v.map(String);
}

/** `limits` / `requests`: `{ memory, cpu }`. */
export function resources(o: Record<string, unknown>, key: string, bad: Bad): { memory?: string; cpu?: string } | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isMap(v)) {
    bad(key, 'must be a mapping with memory and/or cpu');
    return undefined;
  }
  for (const k of Object.keys(v)) if (!RESOURCE_KEYS.has(k)) bad(`${key}.${k}`, 'unknown key (use memory or cpu)');
  const out: { memory?: string; cpu?: string } = {};
  if (v.memory !== undefined) out.memory = String(v.memory);
  if (v.cpu !== undefined) out.cpu = String(v.cpu);
  return out;
}
