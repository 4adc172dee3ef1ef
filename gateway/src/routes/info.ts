/** `GET /system/info` (gateway and provider versions) and `GET /system/namespaces` (`["openfaas-fn"]`). */
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { resolve } from 'node:path';
import { Router } from 'express';
import { NAMESPACE } from '../../../common/src/names';
import { methodNotAllowed } from '../http/error-handler';
import type { RouteContext } from './context';

/** The gateway's release, from the package.json at the package root (sources or dist/ alike). */
export const GATEWAY_VERSION: string = readVersion();

function readVersion(): string {
  for (const up of ['../../..', '../../../..']) {
    try {
      return (JSON.parse(readFileSync(resolve(__dirname, up, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/** Routes of the info and namespaces resources. */
export function infoRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.route('/system/info')
    .get((_req, res) => {
      res.json({
        provider: ctx.provider.info,
        version: { commit_message: '', sha: process.env.SKEP_GIT_SHA ?? '', release: GATEWAY_VERSION },
        arch: arch() === 'x64' ? 'x86_64' : arch(),
      });
    })
    .all(methodNotAllowed('GET'));
  router.route('/system/namespaces')
    .get((_req, res) => void res.json([NAMESPACE]))
    .all(methodNotAllowed('GET'));
  return router;
}
