/** buildApp: the gateway as a request listener (never listens); `/function/*` takes a fast path before express. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { Express, Router } from 'express';
import pino, { Logger } from 'pino';
import type { GatewayConfig } from './config';
import { basicAuth, Credentials, readCredentials } from './http/basic-auth';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { GatewayMetrics } from './metrics/metrics';
import type { Provider } from './providers/provider';
import { Invoker, PickEndpoint } from './proxy/invoker';
import { upgradeHandler } from './proxy/websocket';
import type { RouteContext } from './routes/context';
import { functionsRoutes } from './routes/functions';
import { healthRoutes } from './routes/health';
import { infoRoutes } from './routes/info';
import { logsRoutes } from './routes/logs';
import { scaleRoutes } from './routes/scale';
import { secretsRoutes } from './routes/secrets';

/** A feature plugged into the gateway (scaling, async, console): routes, a wrapped endpoint choice, a close. */
export interface GatewayExtension {
  name: string;
  /** Wraps the endpoint choice; scale from zero holds a call here until a replica is ready. */
  wrapPick?(next: PickEndpoint, ctx: RouteContext): PickEndpoint;
  /** Adds routes; `/system/*` and `/ui/*` routes added here are behind basic auth when it is on. */
  routes?(router: Router, ctx: RouteContext): void;
  /** Called by main once the server listens at `url` (the async worker calls functions through it). */
  listening?(url: string): void;
  /** Stops the extension's loops and timers. */
  close?(): Promise<void>;
}

/** What buildApp needs. */
export interface AppDeps {
  config: Readonly<GatewayConfig>;
  provider: Provider;
  logger?: Logger;
  /** Basic-auth credentials; read from `secret_mount_path` when basic auth is on and none are given. */
  credentials?: Credentials;
  extensions?: GatewayExtension[];
}

/** The gateway: a Node request listener (supertest accepts it) with the parts other features hook into. */
export type GatewayApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
  express: Express;
  invoker: Invoker;
  metrics: GatewayMetrics;
  context: RouteContext;
  /** The server's `upgrade` listener (WebSocket pass-through on `/function/*`). */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Closes extensions and pooled connections (not the provider, which main owns). */
  close(): Promise<void>;
};

/** The express part: health and metrics open, then basic auth on `/system` and `/ui`, the API, extension routes, errors. */
function expressApp(deps: AppDeps, context: RouteContext, extensions: GatewayExtension[]): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(healthRoutes(context));
  if (config.basicAuth) {
    const auth = basicAuth(deps.credentials ?? readCredentials(config.secretMountPath));
    app.use(['/system', '/ui'], auth);
  }
  app.use('/system', express.json({ limit: config.maxBodyBytes, type: () => true, strict: false }));
  for (const routes of [functionsRoutes, scaleRoutes, secretsRoutes, logsRoutes, infoRoutes]) app.use(routes(context));
  for (const ext of extensions) {
    if (!ext.routes) continue;
    const router = Router();
    ext.routes(router, context);
    app.use(router);
  }
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** Builds the gateway app from its dependencies; it never listens. */
export function buildApp(deps: AppDeps): GatewayApp {
  const { config, provider } = deps;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const invoker = new Invoker({ provider, upstreamTimeoutMs: config.upstreamTimeoutMs, maxBodyBytes: config.maxInvokeBodyBytes, engine: config.proxyEngine });
  const metrics = new GatewayMetrics(provider, invoker);
  const context: RouteContext = { config, provider, invoker, metrics, logger };
  const extensions = deps.extensions ?? [];
  for (const ext of extensions) if (ext.wrapPick) invoker.wrapPick((next) => ext.wrapPick!(next, context));

  const app = expressApp(deps, context, extensions);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url !== undefined && req.url.startsWith('/function/')) void invoker.handle(req, res);
    else app(req, res);
  };
  return Object.assign(listener, {
    express: app,
    invoker,
    metrics,
    context,
    upgrade: upgradeHandler(invoker),
    close: async () => {
      for (const ext of extensions) await ext.close?.();
      invoker.close();
    },
  });
}
