/** `/system/functions` (list, deploy, update, delete) and `/system/function/:name` (status). */
import { Router } from 'express';
import { methodNotAllowed } from '../http/error-handler';
import type { FunctionStatus } from '../providers/provider';
import { functionName, isOwnNamespace, RouteContext } from './context';
import { validateDelete, validateDeployment } from './function-schema';

/** Routes of the function resource. */
export function functionsRoutes(ctx: RouteContext): Router {
  const router = Router();
  const withCount = (s: FunctionStatus): FunctionStatus => ({ ...s, invocationCount: ctx.metrics.invocationCount(s.name) });

  router.route('/system/functions')
    .get(async (req, res) => {
      if (!isOwnNamespace(req.query.namespace)) return void res.json([]);
      res.json((await ctx.provider.list()).map(withCount));
    })
    .post(async (req, res) => {
      const fn = validateDeployment(req.body);
      await ctx.provider.deploy(fn);
      res.status(202).end();
    })
    .put(async (req, res) => {
      const fn = validateDeployment(req.body);
      await ctx.provider.update(fn);
      res.status(202).end();
    })
    .delete(async (req, res) => {
      const name = functionName(validateDelete(req.body).functionName, req.query.namespace);
      await ctx.provider.remove(name);
      ctx.metrics.forget(name);
      res.status(202).end();
    })
    .all(methodNotAllowed('GET', 'POST', 'PUT', 'DELETE'));

  router.route('/system/function/:name')
    .get(async (req, res) => {
      const name = functionName(req.params.name, req.query.namespace);
      res.json(withCount(await ctx.provider.status(name)));
    })
    .all(methodNotAllowed('GET'));
  return router;
}
