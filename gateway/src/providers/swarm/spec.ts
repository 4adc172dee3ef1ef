import type Docker from 'dockerode';
import { ValidationError } from '../../errors';
import type { FunctionDeployment } from '../provider';
import { invalidFunctionName } from '../../../../common/src/names';
import { parseCpu, parseMemory } from './resources';
import * as L from './labels';

/** A Docker secret a function mounts, already looked up by its logical name. */
export interface SecretRef {
  id: string;
  dockerName: string;
}

/** Everything makeServiceSpec needs besides the deployment itself; the provider looks these up. */
export interface SpecOptions {
  /** The overlay network to attach when the deployment names none. */
  network: string;
  endpointMode: 'dnsrr' | 'vip';
  /** Docker secrets by logical name; a name the deployment uses but this map lacks is a 400. */
  secrets: ReadonlyMap<string, SecretRef>;
  /** Replicas to keep (update keeps the current count); default: the scale.min label or 1. */
  replicas?: number;
  /** Bumped on every update so the tasks restart even when the spec is otherwise equal (a re-tagged image). */
  forceUpdate?: number;
  /** Overrides of the image's HEALTHCHECK timing (its test is kept: Docker merges empty fields from the image). */
  healthCheck?: Docker.HealthConfig;
  /** Env defaults added unless the deployment sets them (recorded in a label so status can leave them out). */
  defaultEnv?: Record<string, string>;
}

const SECOND = 1e9;

/** Maps a FunctionDeployment to a Swarm ServiceSpec; pure, throws ValidationError for anything Docker would refuse later. */
export function makeServiceSpec(fn: FunctionDeployment, opts: SpecOptions): Docker.ServiceSpec {
  const nameProblem = invalidFunctionName(fn.service);
  if (nameProblem) throw new ValidationError(nameProblem);
  if (!fn.image || typeof fn.image !== 'string') throw new ValidationError('image is required');
  const labels = makeLabels(fn);
  const injected = Object.keys(opts.defaultEnv ?? {}).filter((k) => !(k in (fn.envVars ?? {})));
  if (injected.length) labels[L.LABEL_INJECTED_ENV] = injected.join(',');
  const readOnly = fn.readOnlyRootFilesystem === true;
  const containerSpec: Docker.ContainerSpec = {
    Image: fn.image,
    Labels: labels,
    Env: makeEnv(fn, opts.defaultEnv ?? {}),
    ReadOnly: readOnly,
    // The watchdog writes its lock file to /tmp, so a read-only root still needs a writable /tmp.
    Mounts: readOnly ? [{ Type: 'tmpfs', Target: '/tmp' } as Docker.MountSettings] : [],
    Secrets: makeSecrets(fn.secrets ?? [], opts.secrets),
    ...(opts.healthCheck ? { HealthCheck: opts.healthCheck } : {}),
  };
  return {
    Name: fn.service,
    Labels: { ...labels },
    TaskTemplate: {
      ContainerSpec: containerSpec,
      Resources: { Limits: makeResources(fn.limits, 'limits'), Reservations: makeResources(fn.requests, 'requests') },
      RestartPolicy: { Condition: 'any', Delay: 2 * SECOND, MaxAttempts: 10, Window: 60 * SECOND },
      Placement: { Constraints: fn.constraints?.length ? [...fn.constraints] : ['node.platform.os == linux'] },
      Networks: [{ Target: fn.network || opts.network }],
      ...(opts.forceUpdate !== undefined ? { ForceUpdate: opts.forceUpdate } : {}),
    },
    Mode: { Replicated: { Replicas: opts.replicas ?? minReplicas(labels) } },
    UpdateConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'rollback', Monitor: 2 * SECOND },
    RollbackConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'pause' },
    EndpointSpec: { Mode: opts.endpointMode },
  };
}

function makeLabels(fn: FunctionDeployment): Record<string, string> {
  const labels: Record<string, string> = {
    ...(fn.labels ?? {}),
    [L.LABEL_FUNCTION]: fn.service,
    [L.LABEL_FUNCTION_MARKER]: 'true',
    [L.LABEL_MANAGED]: 'true',
  };
  for (const [k, v] of Object.entries(fn.annotations ?? {})) {
    const key = L.LABEL_ANNOTATION_PREFIX + k;
    if (key in labels) throw new ValidationError(`annotation "${k}" clashes with label "${key}"`);
    labels[key] = String(v);
  }
  return labels;
}

function makeEnv(fn: FunctionDeployment, defaults: Record<string, string>): string[] {
  const env = fn.envProcess ? [`fprocess=${fn.envProcess}`] : [];
  for (const [k, v] of Object.entries(fn.envVars ?? {})) {
    if (!k || k.includes('=') || k.includes('\0')) throw new ValidationError(`envVars: "${k}" is not a valid variable name`);
    env.push(`${k}=${v}`);
  }
  for (const [k, v] of Object.entries(defaults)) if (!(k in (fn.envVars ?? {}))) env.push(`${k}=${v}`);
  return env;
}

function makeSecrets(names: string[], known: ReadonlyMap<string, SecretRef>): Docker.SecretReference[] {
  if (new Set(names).size !== names.length) throw new ValidationError(`secrets: a name is listed twice in [${names.join(', ')}]`);
  return names.map((name) => {
    const ref = known.get(name);
    if (!ref) throw new ValidationError(`secret not found: ${name}; possible choices: [${[...known.keys()].join(', ')}]`);
    return { SecretID: ref.id, SecretName: ref.dockerName, File: { Name: `${L.SECRET_MOUNT_PATH}/${name}`, UID: '0', GID: '0', Mode: 0o444 } };
  });
}

function makeResources(res: FunctionDeployment['limits'], field: string): Docker.ResourceLimits {
  const out: Docker.ResourceLimits = {};
  if (res?.memory) out.MemoryBytes = parseMemory(res.memory, `${field}.memory`);
  if (res?.cpu) out.NanoCPUs = parseCpu(res.cpu, `${field}.cpu`);
  return out;
}

/** The initial replica count from `com.openfaas.scale.min` (default 1); a non-integer is a 400, not a silent 0. */
export function minReplicas(labels: Record<string, string> | undefined): number {
  const raw = labels?.[L.LABEL_SCALE_MIN];
  if (raw === undefined || raw === '') return 1;
  if (!/^\d+$/.test(raw.trim())) throw new ValidationError(`label ${L.LABEL_SCALE_MIN}: "${raw}" is not a whole number`);
  return Number(raw);
}

/** Builds Docker's X-Registry-Auth object from OpenFaaS's `registryAuth` (base64 `user:pass`). */
export function makeRegistryAuth(registryAuth: string | undefined, image: string): Record<string, string> | undefined {
  if (!registryAuth) return undefined;
  const decoded = Buffer.from(registryAuth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new ValidationError('Invalid registry auth: expected base64 of "user:password"');
  const first = image.split('/')[0];
  const registry = image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'https://index.docker.io/v1/';
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry };
}
