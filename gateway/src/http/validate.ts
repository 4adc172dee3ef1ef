/** JSON body validation with ajv: every problem is listed in one 400. */
import Ajv, { ErrorObject, JSONSchemaType } from 'ajv';
import { ValidationError } from '../errors';

const ajv = new Ajv({ allErrors: true, strict: false });

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'body';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field "${String(e.params.additionalProperty)}"`;
  return `${where}: ${e.message ?? 'is invalid'}`;
}

/** Compiles `schema` into a function that returns the typed body or throws a ValidationError listing every problem. */
export function validator<T>(schema: JSONSchemaType<T> | object, extra?: (body: T) => string[]): (body: unknown) => T {
  const check = ajv.compile<T>(schema);
  return (body: unknown): T => {
    if (body === undefined || body === null || typeof body !== 'object') throw new ValidationError('a JSON object body is required');
    const problems = check(body) ? [] : (check.errors ?? []).map(describe);
    if (extra) problems.push(...extra(body as T));
    if (problems.length) throw new ValidationError(problems.join('; '), problems);
    return body as T;
  };
}
