/** Function and secret names, validated before they reach a process table or Docker. */

/** The one namespace Skep reports, so faas-cli's `name.openfaas-fn` addressing works. */
export const NAMESPACE = 'openfaas-fn';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Returns null when `name` is a valid function name (a DNS label), else the reason it is not. */
export function invalidFunctionName(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'a function name is required';
  if (name.length > 63) return `function name "${name}" is longer than 63 characters`;
  if (!DNS_LABEL.test(name)) return `function name "${name}" must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit`;
  return null;
}

/** Secret names may also hold dots and underscores (Docker allows them), 1 to 64 characters. */
export function invalidSecretName(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'a secret name is required';
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9])?$/.test(name)) return `secret name "${name}" must be 1-64 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  return null;
}

/** Splits `name.namespace` on the last dot, as the OpenFaaS gateway does; returns null for a foreign namespace. */
export function splitFunctionRef(ref: string): { name: string; namespace: string } | null {
  const dot = ref.lastIndexOf('.');
  if (dot < 0) return { name: ref, namespace: NAMESPACE };
  const namespace = ref.slice(dot + 1);
  return namespace === NAMESPACE ? { name: ref.slice(0, dot), namespace } : null;
}
