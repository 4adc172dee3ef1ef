import type { LogMessage } from '../provider';
import { NAMESPACE } from '../../../../common/src/names';

/**
 * Splits Docker's multiplexed log stream (8-byte header: stream type, 3 zero bytes, big-endian length) into payload lines,
 * keeping partial frames and partial lines across chunks.
 */
export class LogDemuxer {
  private buf: Buffer = Buffer.alloc(0);
  private line = '';

  /** Feeds one chunk and returns the complete lines it finished. */
  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let text = '';
    while (this.buf.length >= 8 && this.buf[1] === 0 && this.buf[2] === 0 && this.buf[3] === 0 && this.buf[0] <= 2) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      text += this.buf.subarray(8, 8 + size).toString('utf8');
      this.buf = this.buf.subarray(8 + size);
    }
    // A TTY service sends raw text without frames.
    if (this.buf.length >= 8 && !(this.buf[1] === 0 && this.buf[2] === 0 && this.buf[3] === 0 && this.buf[0] <= 2)) {
      text += this.buf.toString('utf8');
      this.buf = Buffer.alloc(0);
    }
    const parts = (this.line + text).split('\n');
    this.line = parts.pop() ?? '';
    return parts;
  }

  /** The last line when the stream ends without a newline. */
  end(): string[] {
    const rest = this.line + (this.buf.length ? this.buf.subarray(8).toString('utf8') : '');
    this.line = '';
    this.buf = Buffer.alloc(0);
    return rest ? [rest] : [];
  }
}

/** Parses `<RFC3339Nano> <k=v,k=v details> <text>` (the shape of service logs with timestamps and details) into a LogMessage. */
export function parseLogLine(line: string, name: string): LogMessage | null {
  const m = /^(\S+) (\S*) ?(.*)$/s.exec(line.replace(/\r$/, ''));
  if (!m) return null;
  const [, timestamp, details, text] = m;
  let instance = '';
  let body = text;
  if (/(^|,)com\.docker\.swarm\.[a-z.]+=/.test(details)) {
    instance = /com\.docker\.swarm\.task\.id=([^,\s]+)/.exec(details)?.[1] ?? '';
  } else {
    // No details column: the second field was the first word of the text.
    body = details + (text ? ` ${text}` : '');
  }
  return { name, namespace: NAMESPACE, instance, timestamp, text: body.trim() };
}
