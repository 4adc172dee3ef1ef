/** The web console as a gateway extension: static files under `/ui/` (behind basic auth with `/system`), `/` → `/ui/`. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type RequestHandler } from 'express';
import type { GatewayExtension } from '../src/app';
import { UnavailableError } from '../src/errors';

/**
 * The built console (`npm run build` compiles console/src and copies console/public into dist/console).
 * From dist/gateway/ui it is ../../console; from the sources (tests through swc) it is ../../dist/console.
 */
export function defaultConsoleDir(): string {
  const candidates = [resolve(__dirname, '../../console'), resolve(__dirname, '../../dist/console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'main.js'))) ?? candidates[1];
}

/** Only the gateway itself may be contacted: the browser enforces what the console's code already keeps to. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
  + "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/** The console extension; `dir` holds index.html, style.css and the compiled modules. */
export function consoleExtension(dir = defaultConsoleDir()): GatewayExtension {
  return {
    name: 'console',
    routes(router) {
      router.get('/', (_req, res) => res.redirect(301, '/ui/'));
      router.use('/ui', securityHeaders, express.static(dir, {
        index: 'index.html',
        redirect: true,
        // no-cache: the browser revalidates, so a rebuilt console is picked up at once
        setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
      }));
      router.use('/ui', (_req, _res, next) => {
        next(existsSync(join(dir, 'index.html')) ? undefined : new UnavailableError(`the console is not built (no ${dir}/index.html); run npm run build`, 'console_not_built'));
      });
    },
  };
}
