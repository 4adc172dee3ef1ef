/**
 * A pino-shaped JSON line logger. The watchdog runs beside every function replica, and pino alone costs about 8 MB of
 * resident memory there; these few lines write the same format (`level`, `time`, `msg`) for what the watchdog logs.
 */

/** The logger methods the watchdog uses, as in pino: `(fields, msg)` or `(msg)`. */
export interface Logger {
  info(fields: object | string, msg?: string): void;
  warn(fields: object | string, msg?: string): void;
  error(fields: object | string, msg?: string): void;
  fatal(fields: object | string, msg?: string): void;
}

const LEVELS = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

function errorFields(err: unknown): unknown {
  return err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : err;
}

/** Creates a logger writing one JSON object per line through write (stdout by default). */
export function createLogger(base: object, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: keyof typeof LEVELS) => (fields: object | string, msg?: string): void => {
    const extra = typeof fields === 'string' ? {} : { ...fields };
    if ('err' in extra) (extra as { err: unknown }).err = errorFields((extra as { err: unknown }).err);
    const text = typeof fields === 'string' ? fields : msg;
    write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), ...base, ...extra, msg: text })}\n`);
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error'), fatal: emit('fatal') };
}
