/** Copies a function's output streams to the watchdog's stdout, one line at a time. */
import type { Readable } from 'node:stream';

/** Writes each line of stream to out, prefixed with the time and stream name when prefix is on. */
export function pipeLines(stream: Readable, name: string, prefix: boolean, out: (line: string) => void = writeStdout): void {
  let rest = '';
  stream.setEncoding('utf8');
  const emit = (line: string): void => out(prefix ? `${new Date().toISOString()} ${name}: ${line}\n` : `${line}\n`);
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    // A line with no end in sight is flushed rather than held forever (of-watchdog's log_buffer_size is 64 KiB).
    if (rest.length > 65536) {
      lines.push(rest);
      rest = '';
    }
    for (const l of lines) emit(l);
  });
  stream.on('end', () => {
    if (rest) emit(rest);
    rest = '';
  });
  stream.on('error', () => undefined);
}

function writeStdout(line: string): void {
  process.stdout.write(line);
}
