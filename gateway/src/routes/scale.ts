/** `POST /system/scale-function/:name` with `{ serviceName, replicas }`; the name in the URL wins, as on faas-swarm. */
import { Router } from 'express';
import { methodNotAllowed } from '../http/error-handler';
import { validator } from '../http/validate';
import { functionName, RouteContext } from './context';

/** Most replicas one scale request may ask for; a guard against typos like 10000. */
export const MAX_REPLICAS = 100;

const validateScale = validator<{ serviceName?: string; replicas: number; namespace?: string }>({
  type: 'object',
  required: ['replicas'],
  properties: {
    serviceName: { type: 'string' },
    namespace: { type: 'string' },
    replicas: { type: 'integer', minimum: 0, maximum: MAX_REPLICAS },
  },
});

/** Routes of the scale resource. */
export function scaleRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.route('/system/scale-function/:name')
    .post(async (req, res) => {
      const body = validateScale(req.body);
      const name = functionName(req.params.name, req.query.namespace ?? body.namespace);
      await ctx.provider.scale(name, body.replicas);
      res.status(202).end();
    })
    .all(methodNotAllowed('POST'));
  return router;
}
