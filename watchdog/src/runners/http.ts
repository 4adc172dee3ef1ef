/** `http` mode: start fprocess once and reverse-proxy every request to upstream_url, streaming both ways. */
import { spawn, ChildProcess } from 'node:child_process';
import { Agent, IncomingMessage, request, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log';
import type { WatchdogConfig } from '../config';
import { pipeLines } from '../log-lines';
import { durationSince, sendError } from '../respond';
import { deadlineMs, isHopByHop, Runner, RunnerEvents } from './runner';

/** Runs a long-lived HTTP server process and proxies to it through a keep-alive pool. */
export class HttpRunner implements Runner {
  private child?: ChildProcess;
  private stopping = false;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  private readonly target: URL;
  private readonly basePath: string;
  private readonly deadline: number;
  private readonly port: number;

  constructor(private readonly cfg: Readonly<WatchdogConfig>, private readonly log: Logger) {
    this.target = new URL(cfg.upstreamUrl);
    this.basePath = this.target.pathname.replace(/\/$/, '');
    this.deadline = deadlineMs(cfg.execTimeout, cfg.writeTimeout);
    this.port = Number(this.target.port || 80);
  }

  /** Spawns fprocess (argv split on spaces, no shell) and resolves once upstream_url accepts connections. */
  async start(events: RunnerEvents): Promise<void> {
    const [cmd, ...args] = this.cfg.fprocess.split(' ').filter(Boolean);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    pipeLines(child.stdout, 'stdout', this.cfg.prefixLogs);
    pipeLines(child.stderr, 'stderr', this.cfg.prefixLogs);
    let exited = false;
    child.once('error', (err) => {
      exited = true;
      events.crashed(`cannot start "${this.cfg.fprocess}": ${err.message}`);
    });
    child.once('exit', (code, signal) => {
      exited = true;
      if (!this.stopping) events.crashed(`"${this.cfg.fprocess}" exited (${signal ?? `code ${code}`})`);
    });
    this.log.info({ pid: child.pid, fprocess: this.cfg.fprocess }, 'started function process');
    while (!exited && !this.stopping && !(await this.upstreamAccepts())) await new Promise((r) => setTimeout(r, 100));
  }

  private upstreamAccepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect(this.port, this.target.hostname);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  }

  /** Proxies one request; exec_timeout aborts the upstream call and answers 504. */
  handle(req: IncomingMessage, res: ServerResponse, start: number): void {
    // Raw header pairs skip Node's per-header validation and keep the caller's Host and header case as sent.
    const raw = req.rawHeaders;
    const conn = req.headers.connection;
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      // Expect is dropped: the watchdog's own server has answered 100-continue already.
      if (name === 'transfer-encoding' || (name !== 'expect' && !isHopByHop(name, conn))) headers.push(raw[i], raw[i + 1]);
    }
    const up = request({ agent: this.agent, hostname: this.target.hostname, port: this.port, method: req.method, path: this.basePath + req.url, headers });
    let timer: NodeJS.Timeout | undefined;
    if (this.deadline > 0) {
      timer = setTimeout(() => {
        up.destroy();
        sendError(res, 504, 'timeout', `the function did not answer within ${this.deadline} ms (exec_timeout)`, start);
      }, this.deadline);
    }
    up.on('response', (upRes) => this.relay(upRes, res, start));
    up.on('error', (err) => {
      clearTimeout(timer);
      if (!res.writableEnded) sendError(res, 502, 'upstream_unreachable', `the function's server failed: ${err.message}`, start);
    });
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) up.destroy();
    });
    const len = req.headers['content-length'];
    if (len === '0' || (len === undefined && req.headers['transfer-encoding'] === undefined)) up.end();
    else forward(req, up);
  }

  private relay(upRes: IncomingMessage, res: ServerResponse, start: number): void {
    const raw = upRes.rawHeaders;
    const conn = upRes.headers.connection;
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += 2) if (!isHopByHop(raw[i].toLowerCase(), conn)) out.push(raw[i], raw[i + 1]);
    out.push('X-Duration-Seconds', durationSince(start));
    res.writeHead(upRes.statusCode as number, upRes.statusMessage, out);
    upRes.once('error', () => res.destroy());
    upRes.once('close', () => {
      if (!upRes.complete) res.destroy(); // the function's server cut its response short
    });
    forward(upRes, res);
  }

  /** Sends SIGTERM to the function process and waits (up to 5 s, then SIGKILL) for it to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.agent.destroy();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(kill), resolve()));
      child.kill('SIGTERM');
    });
  }
}

/** Copies a body with backpressure; cheaper than pipe() for the one or two chunks most requests have. */
function forward(from: Readable, to: Writable): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.once('end', () => to.end());
}
