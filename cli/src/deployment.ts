/** Turns a stack-file function plus command-line overrides into the FunctionDeployment the gateway expects. */
import type { FunctionDeployment } from '../../gateway/src/providers/provider';
import type { StackFunction } from './stack-file';

/** Flags of `skep deploy` that override the stack file. */
export interface DeployOverrides {
  image?: string;
  fprocess?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  secrets?: string[];
  constraints?: string[];
}

/**
 * Builds the request body. Precedence follows faas-cli: `environment` < `environment_file` (merged by the parser)
 * < `--env`; `fprocess` key, else the template's.
 */
export function toDeployment(fn: StackFunction, o: DeployOverrides = {}, templateFprocess?: string): FunctionDeployment {
  const dep: FunctionDeployment = {
    service: fn.name,
    image: o.image ?? fn.image,
    envVars: { ...fn.environment, ...(o.env ?? {}) },
    labels: { ...fn.labels, ...(o.labels ?? {}) },
    annotations: { ...fn.annotations, ...(o.annotations ?? {}) },
    secrets: unique([...fn.secrets, ...(o.secrets ?? [])]),
    constraints: unique([...fn.constraints, ...(o.constraints ?? [])]),
  };
  const fprocess = o.fprocess ?? fn.fprocess ?? templateFprocess;
  if (fprocess) dep.envProcess = fprocess;
  if (fn.limits) dep.limits = fn.limits;
  if (fn.requests) dep.requests = fn.requests;
  if (fn.readOnlyRootFilesystem !== undefined) dep.readOnlyRootFilesystem = fn.readOnlyRootFilesystem;
  return dep;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** The URL a function is invoked at through the gateway. */
export function functionUrl(gateway: string, name: string): string {
  return `${gateway.replace(/\/+$/, '')}/function/${name}`;
}
