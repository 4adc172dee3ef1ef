/** Pure text helpers of the console (no DOM, no imports), unit-tested in test/unit/console-parse.test.ts. */

/** Parses `KEY=VALUE` lines (blank lines and `#` comments skipped); returns the map or the first bad line. */
export function parseKeyValueLines(text: string): { map: Record<string, string> } | { error: string } {
  const map: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `line ${i + 1}: expected KEY=VALUE, got "${line}"` };
    map[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { map };
}

/** Parses `Name: value` header lines (as typed in the invoke panel); bad lines are reported, not dropped. */
export function parseHeaderLines(text: string): { headers: [string, string][] } | { error: string } {
  const headers: [string, string][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `line ${i + 1}: expected "Name: value", got "${line}"` };
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers };
}

/** Pretty-prints a body as JSON when it parses as JSON (and the type does not say otherwise), else returns it as is. */
export function prettyBody(body: string, contentType: string | null): string {
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(body);
  if (!looksJson) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** Splits a stream of text chunks into complete lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private tail = '';

  /** Feeds a chunk; returns the lines it completed (without newlines, blank lines dropped). */
  push(chunk: string): string[] {
    const parts = (this.tail + chunk).split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  }

  /** Returns the last unterminated line, if any, when the stream ends. */
  flush(): string[] {
    const rest = this.tail;
    this.tail = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

/** Form fields of the deploy form that an API error can point at. */
export type DeployField = 'service' | 'image' | 'envProcess' | 'envVars' | 'labels' | 'annotations' | 'secrets';

const FIELDS: DeployField[] = ['service', 'image', 'envProcess', 'envVars', 'labels', 'annotations', 'secrets'];

/** Words in a message that name a field, for errors that carry no structured details. */
const MESSAGE_HINTS: [RegExp, DeployField][] = [
  [/\benvProcess\b|\bfprocess\b/i, 'envProcess'],
  [/\bsecrets?\b/i, 'secrets'],
  [/\bimages?\b/i, 'image'],
  [/\blabels?\b/i, 'labels'],
  [/\bannotations?\b/i, 'annotations'],
  [/\benvVars\b|\benv\b|environment/i, 'envVars'],
  [/\bfunction name\b|\bservice\b|\bname\b/i, 'service'],
];

/** One problem an API error reports, attached to a deploy form field when it names one. */
export interface FieldError {
  field: DeployField | null;
  message: string;
}

function fieldOfPath(path: string): DeployField | null {
  const first = path.replace(/^[/.]+/, '').split(/[/.[]/)[0];
  return (FIELDS as string[]).includes(first) ? (first as DeployField) : null;
}

function fromDetail(detail: unknown): FieldError | null {
  if (typeof detail === 'string') return { field: fieldOfMessage(detail), message: detail };
  if (typeof detail !== 'object' || detail === null) return null;
  const d = detail as Record<string, unknown>;
  const params = (d.params ?? {}) as Record<string, unknown>;
  const message = typeof d.message === 'string' ? d.message : JSON.stringify(detail);
  const path = [d.field, d.instancePath, d.path, d.dataPath].find((p) => typeof p === 'string' && p !== '') as string | undefined;
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const field = (path && fieldOfPath(path)) || (missing && fieldOfPath(missing)) || (extra && fieldOfPath(extra)) || fieldOfMessage(message);
  const label = missing ?? extra;
  return { field, message: label && !message.includes(label) ? `${message}: ${label}` : message };
}

/** Guesses the field a message is about from the words in it; null when it names none. */
export function fieldOfMessage(message: string): DeployField | null {
  // the gateway's ajv messages start with the path: "service: ...", "envVars.FOO: must be string"
  const prefix = /^\s*([a-zA-Z]+)(?:[.[][^:]*)?:\s/.exec(message);
  if (prefix && (FIELDS as string[]).includes(prefix[1])) return prefix[1] as DeployField;
  for (const m of message.matchAll(/["'`/.]([a-zA-Z]+)\b/g)) {
    if ((FIELDS as string[]).includes(m[1])) return m[1] as DeployField;
  }
  for (const [re, field] of MESSAGE_HINTS) if (re.test(message)) return field;
  return null;
}

/** Maps the gateway's `{ code, message, details? }` error body to per-field messages (ajv details first, then the message). */
export function fieldErrors(body: unknown): FieldError[] {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = typeof b.message === 'string' ? b.message : typeof body === 'string' ? body : 'request failed';
  const details = Array.isArray(b.details) ? b.details : b.details !== undefined ? [b.details] : [];
  const mapped = details.map(fromDetail).filter((e): e is FieldError => e !== null);
  if (mapped.some((e) => e.field !== null)) return mapped;
  // no usable details: the message lists the problems joined by "; "
  const parts = message.split(/;\s+/).filter((p) => p.trim() !== '');
  return [...parts.map((p) => ({ field: fieldOfMessage(p), message: p })), ...mapped.filter((e) => !parts.includes(e.message))];
}

/** Where a resumed log follow starts, and which lines it must not show twice (those at the last timestamp). */
export class LogCursor {
  private lastMs = -Infinity;
  private atLast = new Set<string>();
  /** The original timestamp text of the newest line, for `?since=`; '' before any line. */
  since = '';

  /** True when the line is new; lines without a parsable timestamp are always shown. */
  accept(timestamp: string | undefined, key: string): boolean {
    const ms = timestamp ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(ms)) return true;
    // compared as numbers: providers differ in fractional digits, so the strings do not sort
    if (ms < this.lastMs || (ms === this.lastMs && this.atLast.has(key))) return false;
    if (ms !== this.lastMs) (this.lastMs = ms), (this.atLast = new Set());
    this.since = timestamp!;
    this.atLast.add(key);
    return true;
  }
}
