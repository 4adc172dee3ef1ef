/** Helpers every provider uses to build a full FunctionStatus and read scaling labels. */
import { NAMESPACE } from '../../../common/src/names';
import type { FunctionDeployment, FunctionStatus } from './provider';

/** A FunctionStatus with every field present (labels and annotations always objects), from a deployment. */
export function statusOf(fn: FunctionDeployment, replicas: number, available: number, createdAt: Date): FunctionStatus {
  return {
    name: fn.service,
    image: fn.image,
    namespace: NAMESPACE,
    envProcess: fn.envProcess ?? '',
    envVars: { ...(fn.envVars ?? {}) },
    constraints: [...(fn.constraints ?? [])],
    secrets: [...(fn.secrets ?? [])],
    labels: { ...(fn.labels ?? {}) },
    annotations: { ...(fn.annotations ?? {}) },
    limits: { ...(fn.limits ?? {}) },
    requests: { ...(fn.requests ?? {}) },
    readOnlyRootFilesystem: fn.readOnlyRootFilesystem ?? false,
    invocationCount: 0,
    replicas,
    availableReplicas: available,
    createdAt: createdAt.toISOString(),
  };
}

/** `com.openfaas.scale.min` as a whole number ≥ 0, default 1 (invalid values fall back to the default). */
export function minReplicas(labels: Record<string, string> | undefined): number {
  const raw = labels?.['com.openfaas.scale.min'];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 1;
}
