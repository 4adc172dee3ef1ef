/** Splits a child's output stream into lines, capping each so a process printing no newline cannot grow memory. */
import type { Readable } from 'node:stream';

/** Longest line kept; longer output is cut into pieces of this size. */
export const MAX_LINE = 16 * 1024;

/** Calls `onLine` for each line of `stream` (without the newline). */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
    while (pending.length > MAX_LINE) {
      onLine(pending.slice(0, MAX_LINE));
      pending = pending.slice(MAX_LINE);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}
