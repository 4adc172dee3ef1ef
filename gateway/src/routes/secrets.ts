/** `/system/secrets`: list (names only), create (201), update (202), delete (200). */
import { Router } from 'express';
import { invalidSecretName } from '../../../common/src/names';
import { methodNotAllowed } from '../http/error-handler';
import { validator } from '../http/validate';
import type { Secret } from '../providers/provider';
import { isOwnNamespace, RouteContext } from './context';

const namespaceProblem = (s: { namespace?: unknown }): string[] =>
  isOwnNamespace(s.namespace) ? [] : ['namespace: Skep serves only the namespace openfaas-fn'];

const nameProblem = (s: { name?: unknown }): string[] => {
  const bad = typeof s.name === 'string' ? invalidSecretName(s.name) : null;
  return bad ? [`name: ${bad}`] : [];
};

const validateSecret = validator<Secret>(
  {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, namespace: { type: 'string' }, value: { type: 'string' }, rawValue: { type: 'string', contentEncoding: 'base64' } },
    anyOf: [{ required: ['value'] }, { required: ['rawValue'] }],
  },
  (s) => [...nameProblem(s), ...namespaceProblem(s)],
);

const validateSecretName = validator<{ name: string; namespace?: string }>(
  { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
  (s) => [...nameProblem(s), ...namespaceProblem(s)],
);

/** Routes of the secret resource. */
export function secretsRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.route('/system/secrets')
    .get(async (req, res) => {
      if (!isOwnNamespace(req.query.namespace)) return void res.json([]);
      res.json((await ctx.provider.listSecrets()).map((s) => ({ name: s.name, namespace: 'openfaas-fn' })));
    })
    .post(async (req, res) => {
      await ctx.provider.createSecret(validateSecret(req.body));
      res.status(201).end();
    })
    .put(async (req, res) => {
      await ctx.provider.updateSecret(validateSecret(req.body));
      res.status(202).end();
    })
    .delete(async (req, res) => {
      await ctx.provider.removeSecret(validateSecretName(req.body).name);
      res.status(200).end();
    })
    .all(methodNotAllowed('GET', 'POST', 'PUT', 'DELETE'));
  return router;
}
