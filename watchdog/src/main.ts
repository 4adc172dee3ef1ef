/** Entry point of `skep-watchdog`: config from env (exit 2 listing every problem), then serve until SIGTERM. */
import { ConfigError } from '../../common/src/env-config';
import { loadConfig, WatchdogConfig } from './config';
import { createLogger, Logger } from './log';
import { ForkRunner } from './runners/fork';
import { HttpRunner } from './runners/http';
import { InprocRunner } from './runners/inproc';
import type { Runner } from './runners/runner';
import { StaticRunner } from './runners/static';
import { Watchdog } from './server';

function createRunner(cfg: Readonly<WatchdogConfig>, log: Logger): Runner {
  switch (cfg.mode) {
    case 'http': return new HttpRunner(cfg, log);
    case 'fork': return new ForkRunner(cfg, log);
    case 'static': return new StaticRunner(cfg.staticPath);
    case 'inproc': return new InprocRunner(cfg, log);
  }
}

function main(): void {
  let cfg: Readonly<WatchdogConfig>;
  try {
    cfg = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`skep-watchdog: ${err.message}\n`);
    process.exit(2);
  }
  // Once whoever reads our output is gone (EPIPE), logging must fail quietly rather than become an uncaught error loop.
  process.stdout.on('error', () => undefined);
  const log = createLogger({ component: 'watchdog' });
  let runner: Runner;
  try {
    runner = createRunner(cfg, log);
  } catch (err) {
    log.fatal({ err }, `cannot load the function: ${(err as Error).message}`);
    process.exit(1);
  }
  const wd = new Watchdog(cfg, runner, log, (code) => process.exit(code));
  wd.start().catch((err: Error) => {
    log.fatal({ err }, `cannot start: ${err.message}`);
    process.exit(1);
  });
  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    void wd.shutdown().then(() => process.exit(0));
  };
  // A handler's stray async error kills an inproc watchdog: say so, answer what is in flight, and exit 1 to be restarted.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, `uncaught exception: ${err.message}`);
    if (wd.state === 'draining' || wd.state === 'crashed') process.exit(1); // already on the way out
    wd.crash(`uncaught exception: ${err.message}`);
  });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main();
