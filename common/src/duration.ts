/** Durations as OpenFaaS accepts them: a plain number of seconds (`10`), or Go-style units (`10s`, `1m30s`, `250ms`, `1h`). */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parses a duration into milliseconds, or returns an Error that says what is wrong with it. */
export function parseDuration(raw: string): number | Error {
  const text = raw.trim();
  if (text === '') return new Error('empty duration');
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return new Error(`"${raw}" is not a duration (use 10, 10s, 1m30s or 500ms)`);
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

/** Formats milliseconds the way Go prints durations (`1m30s`, `500ms`), for messages and defaults. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
