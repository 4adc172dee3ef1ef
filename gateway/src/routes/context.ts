/** What every route module receives from buildApp. */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { GatewayMetrics } from '../metrics/metrics';
import type { Provider } from '../providers/provider';
import type { Invoker } from '../proxy/invoker';
import type { ScaleEventLog } from '../scaling/scale-events';
import { NotFoundError } from '../errors';
import { NAMESPACE, splitFunctionRef } from '../../../common/src/names';

/** Shared services handed to route modules and to extensions. */
export interface RouteContext {
  config: Readonly<GatewayConfig>;
  provider: Provider;
  invoker: Invoker;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Set by the scaling extension: manual scale calls are recorded there with reason `manual`. */
  scaleEvents?: ScaleEventLog;
}

/** Resolves `name` or `name.openfaas-fn` (and an optional `?namespace=`) to a bare function name, else 404. */
export function functionName(ref: string, namespace?: unknown): string {
  const split = splitFunctionRef(ref);
  if (!split || (typeof namespace === 'string' && namespace !== '' && namespace !== NAMESPACE)) {
    throw new NotFoundError(`function ${ref} not found: Skep serves only the namespace ${NAMESPACE}`);
  }
  return split.name;
}

/** True when a `?namespace=` value names Skep's namespace (or is absent). */
export function isOwnNamespace(namespace: unknown): boolean {
  return namespace === undefined || namespace === '' || namespace === NAMESPACE;
}
