/** The watchdog's HTTP front: health and readiness, the in-flight limit, metrics, lock file and SIGTERM drain. */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from './log';
import type { WatchdogConfig } from './config';
import { LockFile } from './lock';
import { WatchdogMetrics } from './metrics';
import { sendError } from './respond';
import type { Runner } from './runners/runner';

/** Where the watchdog is in its life. */
export type WatchdogState = 'starting' | 'ready' | 'draining' | 'crashed';

/** Owns the listening servers and the lifecycle around a Runner. */
export class Watchdog {
  state: WatchdogState = 'starting';
  inflight = 0;
  readonly metrics = new WatchdogMetrics(() => this.inflight);
  private readonly server: Server;
  private metricsServer?: Server;
  private readonly lock: LockFile;
  private idle: (() => void) | undefined;

  constructor(
    private readonly cfg: Readonly<WatchdogConfig>,
    private readonly runner: Runner,
    private readonly log: Logger,
    private readonly exit: (code: number) => void,
  ) {
    this.lock = new LockFile(cfg.lockPath, cfg.suppressLock);
    this.server = createServer(this.onRequest);
    this.server.requestTimeout = cfg.readTimeout;
    this.server.headersTimeout = cfg.readTimeout > 0 ? Math.min(cfg.readTimeout, 60_000) : 60_000;
    // Callers' keep-alive pools (the gateway's) seldom time idle sockets out; closing them late makes reuse races rare.
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens on both ports, prints `listening on <port>`, then starts the runner and writes the lock once it is ready. */
  async start(): Promise<{ port: number; metricsPort: number }> {
    this.metricsServer = await this.metrics.listen(this.cfg.metricsPort);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.cfg.port, resolve);
    });
    const port = (this.server.address() as AddressInfo).port;
    const metricsPort = (this.metricsServer.address() as AddressInfo).port;
    this.log.info({ port, metricsPort, mode: this.cfg.mode }, `listening on ${port}`);
    this.runner.start({ crashed: (reason) => this.crash(reason) }).then(
      () => this.markReady(),
      (err: Error) => this.crash(err.message),
    );
    return { port, metricsPort };
  }

  private markReady(): void {
    if (this.state !== 'starting') return;
    try {
      this.lock.write();
    } catch (err) {
      this.crash(`cannot write lock file ${this.cfg.lockPath}: ${(err as Error).message}`);
      return;
    }
    this.state = 'ready';
    this.log.info('ready');
  }

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url as string;
    if (url.startsWith('/_/') && this.serveProbe(url, req, res)) return;
    if (this.state === 'crashed') return sendError(res, 502, 'function_crashed', 'the function process has exited; the watchdog is restarting');
    const max = this.cfg.maxInflight;
    if (max > 0 && this.inflight >= max) {
      this.metrics.observe(req.method as string, 429, 0);
      return sendError(res, 429, 'busy', `Concurrent request limit exceeded. Max concurrent requests: ${max}`);
    }
    this.inflight++;
    const start = performance.now();
    res.once('close', () => {
      this.inflight--;
      this.metrics.observe(req.method as string, res.statusCode, (performance.now() - start) / 1000);
      if (this.inflight === 0 && this.idle) this.idle();
    });
    this.runner.handle(req, res, start);
  };

  /** Answers `/_/health` and `/_/ready`; returns false for other `/_/` paths, which go to the function. */
  private serveProbe(url: string, req: IncomingMessage, res: ServerResponse): boolean {
    const path = url.split('?')[0];
    if (path !== '/_/health' && path !== '/_/ready') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', `${path} answers GET and HEAD only`);
      return true;
    }
    let status = this.state === 'ready' ? 200 : 503;
    if (path === '/_/ready' && status === 200 && this.cfg.maxInflight > 0 && this.inflight >= this.cfg.maxInflight) status = 429;
    const text = status === 200 ? 'OK' : status === 429 ? 'busy' : this.state;
    res.writeHead(status, { 'content-type': 'text/plain', 'cache-control': 'no-cache' }).end(`${text}\n`);
    return true;
  }

  /** SIGTERM: turn unhealthy, remove the lock, stop accepting, let in-flight requests finish up to write_timeout. */
  async shutdown(): Promise<void> {
    if (this.state === 'draining' || this.state === 'crashed') return;
    this.state = 'draining';
    this.lock.remove();
    this.log.info({ inflight: this.inflight }, 'draining');
    if (this.cfg.healthcheckInterval > 0) await sleep(this.cfg.healthcheckInterval);
    this.server.close();
    const drained = await this.waitIdle(this.cfg.writeTimeout);
    this.server.closeAllConnections();
    this.metricsServer?.close();
    this.metricsServer?.closeAllConnections();
    await this.runner.stop();
    this.log.info({ drained, left: this.inflight }, 'stopped');
  }

  /** The function process died: answer 502, turn unhealthy and exit non-zero so the orchestrator restarts it. */
  crash(reason: string): void {
    if (this.state === 'draining' || this.state === 'crashed') return;
    this.state = 'crashed';
    this.lock.remove();
    this.log.error({ reason }, 'function process crashed');
    this.server.close();
    void this.waitIdle(Math.min(this.cfg.writeTimeout, 5000))
      .then(() => this.runner.stop())
      .finally(() => this.exit(1));
  }

  private waitIdle(limitMs: number): Promise<boolean> {
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), limitMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
