/** `fork` mode: one process per request, body on stdin, stdout (and stderr when combined) as the response. */
import { ChildProcess, spawn } from 'node:child_process';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '../log';
import { cgiEnv } from '../cgi-env';
import type { WatchdogConfig } from '../config';
import { pipeLines } from '../log-lines';
import { durationSince, INTERNAL_HEADER, sendError } from '../respond';
import { deadlineMs, Runner } from './runner';

/** Output held back before streaming starts, so a process that fails early still gets its 500 (classic buffers all). */
export const FLUSH_AT = 1 << 20;

/** Forks fprocess for each request in its own process group, so a timeout kills it and everything it started. */
export class ForkRunner implements Runner {
  private readonly argv: string[];
  private readonly deadline: number;
  private readonly baseEnv = { ...process.env };

  constructor(private readonly cfg: Readonly<WatchdogConfig>, private readonly log: Logger) {
    this.argv = cfg.fprocess.split(' ').filter(Boolean);
    this.deadline = deadlineMs(cfg.execTimeout, cfg.writeTimeout);
  }

  /** Nothing runs between requests, so fork mode is ready at once. */
  async start(): Promise<void> {}

  /** Nothing to stop: in-flight processes end with their requests. */
  async stop(): Promise<void> {}

  /** Runs fprocess for one request, streaming the body in and the output out. */
  handle(req: IncomingMessage, res: ServerResponse, start: number): void {
    const child = spawn(this.argv[0], this.argv.slice(1), { detached: true, env: cgiEnv(req, this.baseEnv), stdio: 'pipe' });
    const call = new ForkedCall(child, res, start, this.cfg.contentType || req.headers['content-type']);
    child.stdout.on('data', call.output(child.stdout));
    if (this.cfg.combineOutput) child.stderr.on('data', call.output(child.stderr));
    else pipeLines(child.stderr, 'stderr', this.cfg.prefixLogs);
    child.stdin.on('error', () => undefined); // the process may exit without reading its input
    req.pipe(child.stdin);
    if (this.deadline > 0) {
      call.timer = setTimeout(() => {
        if (!call.finish()) return;
        call.killGroup();
        this.log.warn({ pid: child.pid, ms: this.deadline }, 'killed process group after exec_timeout');
        sendError(res, 504, 'timeout', `the function did not finish within ${this.deadline} ms (exec_timeout); its process was killed`, start);
      }, this.deadline);
    }
    child.once('error', (err) => {
      if (call.finish()) sendError(res, 500, 'fork_failed', `cannot start "${this.cfg.fprocess}": ${err.message}`, start);
    });
    child.once('close', (code, signal) => call.closed(code, signal));
    res.once('close', () => {
      if (!res.writableFinished && call.finish()) call.killGroup(); // the caller went away
    });
  }
}

/** One forked process and its response: output held up to FLUSH_AT, then streamed. */
class ForkedCall {
  timer?: NodeJS.Timeout;
  private chunks: Buffer[] = [];
  private size = 0;
  private streaming = false;
  private done = false;
  private readonly headers: OutgoingHttpHeaders = {};

  constructor(private readonly child: ChildProcess, private readonly res: ServerResponse, private readonly start: number, type: string | undefined) {
    if (type) this.headers['content-type'] = type;
  }

  /** Marks the call answered; false when it was already (timeout, error and exit race). */
  finish(): boolean {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    return true;
  }

  /** Kills the process group: the process and everything it started. */
  killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** A data listener for one output stream. */
  output(stream: Readable): (chunk: Buffer) => void {
    return (chunk) => {
      if (this.streaming) {
        if (!this.res.write(chunk)) {
          stream.pause();
          this.res.once('drain', () => stream.resume());
        }
        return;
      }
      this.chunks.push(chunk);
      this.size += chunk.length;
      if (this.size <= FLUSH_AT) return;
      this.streaming = true;
      this.headers['X-Duration-Seconds'] = durationSince(this.start);
      this.res.writeHead(200, this.headers);
      for (const c of this.chunks) this.res.write(c);
      this.chunks = [];
    };
  }

  /** The process ended and its output is read: 200 with it, or 500 with the exit status as the classic watchdog. */
  closed(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.finish()) return;
    const res = this.res;
    if (this.streaming) {
      if (code === 0) res.end();
      else res.destroy(); // the status is out already: a cut response is the only way left to say it failed
      return;
    }
    const out = Buffer.concat(this.chunks, this.size);
    if (code === 0) {
      this.headers['X-Duration-Seconds'] = durationSince(this.start);
      this.headers['content-length'] = out.length;
      res.writeHead(200, this.headers).end(out);
      return;
    }
    const body = Buffer.concat([Buffer.from(`exit status ${code ?? signal}\n`), out]);
    res.writeHead(500, { 'content-type': 'text/plain', 'content-length': body.length, 'X-Duration-Seconds': durationSince(this.start), [INTERNAL_HEADER]: 'watchdog' }).end(body);
  }
}
