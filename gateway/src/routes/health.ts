/** `GET /healthz` (open, `OK`) and `GET /metrics` (open, Prometheus text). */
import { Router } from 'express';
import { methodNotAllowed } from '../http/error-handler';
import type { RouteContext } from './context';

/** Routes of health and metrics. */
export function healthRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.route('/healthz')
    .get((_req, res) => void res.type('text/plain').send('OK'))
    .all(methodNotAllowed('GET'));
  router.route('/metrics')
    .get(async (_req, res) => {
      res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    })
    .all(methodNotAllowed('GET'));
  return router;
}
