import type Docker from 'dockerode';
import type { FunctionStatus } from '../provider';
import { NAMESPACE } from '../../../../common/src/names';
import { formatCpu, formatMemory } from './resources';
import * as L from './labels';

/** What the engine returns for a service (dockerode's typings merge this with its Service class). */
export interface ServiceInfo {
  ID: string;
  Version?: { Index?: number };
  CreatedAt?: string;
  Spec?: Docker.ServiceSpec;
}

/** True when a Swarm service is one of Skep's (or OpenFaaS's) functions: replicated and marked with the function label. */
export function isFunctionService(svc: ServiceInfo): boolean {
  const labels = svc.Spec?.TaskTemplate && 'ContainerSpec' in svc.Spec.TaskTemplate ? svc.Spec.TaskTemplate.ContainerSpec?.Labels : undefined;
  return Boolean((labels?.[L.LABEL_FUNCTION_MARKER] || svc.Spec?.Labels?.[L.LABEL_FUNCTION_MARKER]) && svc.Spec?.Mode?.Replicated);
}

/** Reads a function service back into a FunctionStatus; `availableReplicas` comes from the task list. */
export function statusFromService(svc: ServiceInfo, availableReplicas = 0): FunctionStatus {
  const spec = svc.Spec ?? {};
  const task = (spec.TaskTemplate ?? {}) as Docker.ContainerTaskSpec;
  const cs = task.ContainerSpec ?? {};
  const all = spec.Labels ?? cs.Labels ?? {};
  const { labels, annotations } = splitLabels(all);
  const { envProcess, envVars } = splitEnv(cs.Env ?? []);
  for (const k of (all[L.LABEL_INJECTED_ENV] ?? '').split(',')) if (k) delete envVars[k];
  return {
    name: spec.Name ?? '',
    image: stripDigest(cs.Image ?? ''),
    namespace: NAMESPACE,
    envProcess,
    envVars,
    constraints: task.Placement?.Constraints ?? [],
    secrets: (cs.Secrets ?? []).map((s) => (s.File?.Name ?? s.SecretName ?? '').split('/').pop() ?? ''),
    labels,
    annotations,
    limits: resources(task.Resources?.Limits),
    requests: resources(task.Resources?.Reservations),
    readOnlyRootFilesystem: cs.ReadOnly === true,
    invocationCount: 0,
    replicas: spec.Mode?.Replicated?.Replicas ?? 0,
    availableReplicas,
    createdAt: svc.CreatedAt ?? '',
  };
}

function splitLabels(all: Record<string, string>): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith(L.LABEL_ANNOTATION_PREFIX)) annotations[k.slice(L.LABEL_ANNOTATION_PREFIX.length)] = v;
    else if (!L.INTERNAL_LABELS.has(k)) labels[k] = v;
  }
  return { labels, annotations };
}

function splitEnv(env: string[]): { envProcess: string; envVars: Record<string, string> } {
  let envProcess = '';
  const envVars: Record<string, string> = {};
  for (const kv of env) {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    const v = eq < 0 ? '' : kv.slice(eq + 1);
    if (k === 'fprocess') envProcess = v;
    else envVars[k] = v;
  }
  return { envProcess, envVars };
}

function resources(r: Docker.ResourceLimits | undefined): { memory?: string; cpu?: string } {
  const out: { memory?: string; cpu?: string } = {};
  if (r?.MemoryBytes) out.memory = formatMemory(r.MemoryBytes);
  if (r?.NanoCPUs) out.cpu = formatCpu(r.NanoCPUs);
  return out;
}

/** Swarm pins `image@sha256:…` when it can reach a registry; the user deployed the tag. */
function stripDigest(image: string): string {
  const at = image.indexOf('@sha256:');
  return at < 0 ? image : image.slice(0, at);
}
