/** `POST /system/scale-function/:name` with `{ serviceName, replicas }`; the name in the URL wins, as on faas-swarm. */
import { Router } from 'express';
import { methodNotAllowed } from '../http/error-handler';
import { validator } from '../http/validate';
import { ValidationError } from '../errors';
import { parseScaleLabels } from '../scaling/labels';
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
      const before = await ctx.provider.status(name);
      if (body.replicas === 0 && !parseScaleLabels(before.labels).scale.zero) {
        throw new ValidationError(`function ${name} does not allow scale to zero: label it com.openfaas.scale.zero=true or com.openfaas.scale.min=0`);
      }
      await ctx.provider.scale(name, body.replicas);
      if (before.replicas !== body.replicas) {
        ctx.scaleEvents?.record({ function: name, from: before.replicas, to: body.replicas, reason: 'manual', time: new Date().toISOString() });
      }
      res.status(202).end();
    })
    .all(methodNotAllowed('POST'));
  return router;
}
