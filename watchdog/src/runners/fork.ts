/** `fork` mode: one process per request, body on stdin, stdout (and stderr when combined) as the response. */
import { spawn } from 'node:child_process';
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
    const headers: OutgoingHttpHeaders = {};
    const type = this.cfg.contentType || req.headers['content-type'];
    if (type) headers['content-type'] = type;
    let chunks: Buffer[] = [];
    let size = 0;
    let streaming = false;
    let done = false;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (): boolean => (done ? false : ((done = true), clearTimeout(timer), true));
    const onData = (stream: Readable) => (chunk: Buffer): void => {
      if (!streaming) {
        chunks.push(chunk);
        size += chunk.length;
        if (size <= FLUSH_AT) return;
        streaming = true;
        headers['X-Duration-Seconds'] = durationSince(start);
        res.writeHead(200, headers);
        for (const c of chunks) res.write(c);
        chunks = [];
        return;
      }
      if (!res.write(chunk)) {
        stream.pause();
        res.once('drain', () => stream.resume());
      }
    };
    child.stdout.on('data', onData(child.stdout));
    if (this.cfg.combineOutput) child.stderr.on('data', onData(child.stderr));
    else pipeLines(child.stderr, 'stderr', this.cfg.prefixLogs);
    child.stdin.on('error', () => undefined); // the process may exit without reading its input
    req.pipe(child.stdin);

    const timer = this.deadline > 0 ? setTimeout(() => {
      if (!finish()) return;
      killGroup();
      this.log.warn({ pid: child.pid, ms: this.deadline }, 'killed process group after exec_timeout');
      sendError(res, 504, 'timeout', `the function did not finish within ${this.deadline} ms (exec_timeout); its process was killed`, start);
    }, this.deadline) : undefined;

    child.once('error', (err) => {
      if (finish()) sendError(res, 500, 'fork_failed', `cannot start "${this.cfg.fprocess}": ${err.message}`, start);
    });
    child.once('close', (code, signal) => {
      if (!finish()) return;
      if (streaming) {
        if (code === 0) res.end();
        else res.destroy(); // the status is out already: a cut response is the only way left to say it failed
        return;
      }
      const out = Buffer.concat(chunks, size);
      if (code === 0) {
        headers['X-Duration-Seconds'] = durationSince(start);
        headers['content-length'] = out.length;
        res.writeHead(200, headers).end(out);
        return;
      }
      const body = Buffer.concat([Buffer.from(`exit status ${code ?? signal}\n`), out]);
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': body.length, 'X-Duration-Seconds': durationSince(start), [INTERNAL_HEADER]: 'watchdog' }).end(body);
    });
    res.once('close', () => {
      if (!res.writableFinished && finish()) killGroup(); // the caller went away
    });
  }
}
