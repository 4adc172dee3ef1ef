/** Output helpers: aligned tables, colours only on a TTY, a small spinner on stderr, and `--json` for scripts. */
import { createColors } from 'picocolors';

/** Where a command writes; tests and `main()` pass real or captured streams. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Colour functions, real when stdout is a TTY (and NO_COLOR is unset), identity otherwise. */
export type Colors = ReturnType<typeof createColors>;

/** The output facade a command uses. */
export class Output {
  readonly c: Colors;
  readonly errC: Colors;

  constructor(
    readonly io: Io,
    readonly json: boolean,
  ) {
    const noColor = 'NO_COLOR' in io.env || io.env.TERM === 'dumb';
    this.c = createColors(!noColor && !!io.stdout.isTTY);
    this.errC = createColors(!noColor && !!io.stderr.isTTY);
  }

  /** Writes one line to stdout. */
  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Writes one progress or notice line to stderr (kept off stdout so pipes get only results). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Prints a value as pretty JSON on stdout. */
  printJson(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  /** Prints rows under a header, columns padded to the widest cell. */
  table(header: string[], rows: string[][]): void {
    for (const l of formatTable(header, rows, (h) => this.c.bold(h))) this.line(l);
  }

  /** Starts a spinner on stderr when it is a TTY; otherwise prints the text once. Returns a stop function. */
  spinner(text: string): (final?: string) => void {
    if (!this.io.stderr.isTTY || this.json) {
      return (final) => {
        if (final) this.note(final);
      };
    }
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let i = 0;
    const draw = () => this.io.stderr.write(`\r${this.errC.cyan(frames[i++ % frames.length])} ${text}`);
    draw();
    const timer = setInterval(draw, 80);
    return (final) => {
      clearInterval(timer);
      this.io.stderr.write(`\r\x1b[2K${final ? `${final}\n` : ''}`);
    };
  }
}

/** Lays out a table as lines of text; `style` decorates header cells after padding. */
export function formatTable(header: string[], rows: string[][], style: (h: string) => string = (h) => h): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (cell: string, w: number) => cell + ' '.repeat(Math.max(0, w - visibleLength(cell)));
  const fmt = (cells: string[], deco: (s: string) => string = (s) => s) =>
    cells.map((cell, i) => (i === cells.length - 1 ? deco(cell) : deco(pad(cell, widths[i])))).join('  ').trimEnd();
  return [fmt(header, style), ...rows.map((r) => fmt(r))];
}

/** Length of a string as shown, ignoring colour escapes. */
function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Parses repeated `KEY=VALUE` flags into a map, reporting the first malformed one. */
export function parsePairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects KEY=VALUE (got "${v}")`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** A mistake in how the command was called; printed without a stack, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads all of a stream into a Buffer. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}
