/** The ajv schema of a FunctionDeployment (the body of `POST` and `PUT /system/functions`). */
import { invalidFunctionName, NAMESPACE } from '../../../common/src/names';
import type { FunctionDeployment } from '../providers/provider';
import { validator } from '../http/validate';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const resources = { type: 'object', properties: { memory: { type: 'string' }, cpu: { type: 'string' } } };

const schema = {
  type: 'object',
  required: ['service', 'image'],
  properties: {
    service: { type: 'string' },
    image: { type: 'string', minLength: 1 },
    namespace: { type: 'string' },
    envProcess: { type: 'string' },
    envVars: stringMap,
    constraints: { type: 'array', items: { type: 'string' } },
    secrets: { type: 'array', items: { type: 'string' } },
    labels: stringMap,
    annotations: stringMap,
    limits: resources,
    requests: resources,
    readOnlyRootFilesystem: { type: 'boolean' },
    network: { type: 'string' },
    registryAuth: { type: 'string' },
  },
};

function extraProblems(body: FunctionDeployment): string[] {
  const problems: string[] = [];
  if (typeof body.service === 'string') {
    const bad = invalidFunctionName(body.service);
    if (bad) problems.push(`service: ${bad}`);
  }
  if (typeof body.namespace === 'string' && body.namespace !== '' && body.namespace !== NAMESPACE) {
    problems.push(`namespace: Skep serves only the namespace ${NAMESPACE}`);
  }
  return problems;
}

const checkDeployment = validator<FunctionDeployment>(schema, extraProblems);

/** Go clients (faas-cli, the OpenFaaS SDK) send nil maps and slices as `null`: an optional null field means absent. */
function dropNullFields(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** Validates a FunctionDeployment body, listing every problem (schema, DNS-label name, namespace). */
export const validateDeployment = (body: unknown): FunctionDeployment => checkDeployment(dropNullFields(body));

/** Validates the body of `DELETE /system/functions`. */
export const validateDelete = validator<{ functionName: string }>(
  { type: 'object', required: ['functionName'], properties: { functionName: { type: 'string', minLength: 1 } } },
);
