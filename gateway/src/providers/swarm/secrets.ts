import { invalidSecretName } from '../../../../common/src/names';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { Secret } from '../provider';
import type { SecretInfo, SwarmDocker } from './client';
import { translateDockerError } from './docker-errors';
import * as L from './labels';
import type { SecretRef } from './spec';

/** The current Docker secret behind each logical name: Skep's labelled ones (newest version), then unlabelled ones by name. */
export function secretRefs(all: SecretInfo[]): Map<string, SecretRef & { version: number }> {
  const out = new Map<string, SecretRef & { version: number }>();
  for (const s of all) {
    const logical = s.Spec?.Labels?.[L.LABEL_SECRET_NAME];
    if (!logical) continue;
    const version = Number(s.Spec?.Labels?.[L.LABEL_SECRET_VERSION] ?? 1) || 1;
    const prev = out.get(logical);
    if (!prev || version > prev.version) out.set(logical, { id: s.ID, dockerName: s.Spec?.Name ?? logical, version });
  }
  // Secrets made outside Skep (e.g. the stack's basic-auth ones) can still be mounted by their Docker name.
  for (const s of all) {
    const name = s.Spec?.Name ?? '';
    if (!s.Spec?.Labels?.[L.LABEL_SECRET_NAME] && name && !out.has(name)) out.set(name, { id: s.ID, dockerName: name, version: 0 });
  }
  return out;
}

/** The bytes of a secret request, from `value` or base64 `rawValue`. */
export function secretData(secret: Secret): string {
  if (secret.rawValue !== undefined) return secret.rawValue;
  if (secret.value === undefined) throw new ValidationError('a secret needs value or rawValue');
  return Buffer.from(secret.value, 'utf8').toString('base64');
}

/** Validates a secret name or throws a ValidationError. */
export function checkSecretName(name: unknown): string {
  const problem = invalidSecretName(name);
  if (problem) throw new ValidationError(problem);
  return name as string;
}

/** Lists, creates and removes Skep's Swarm secrets (rotation lives in the provider, which re-points services). */
export class SwarmSecrets {
  constructor(private readonly docker: SwarmDocker) {}

  /** Every Docker secret (Skep's and others'), raw. */
  async all(): Promise<SecretInfo[]> {
    try {
      return (await this.docker.listSecrets()) as unknown as SecretInfo[];
    } catch (err) {
      throw translateDockerError(err, 'secrets');
    }
  }

  /** Skep's secrets by logical name; values are never returned. */
  async list(): Promise<Secret[]> {
    const names = new Set((await this.all()).map((s) => s.Spec?.Labels?.[L.LABEL_SECRET_NAME]).filter((n): n is string => !!n));
    return [...names].sort().map((name) => ({ name }));
  }

  /** Creates version 1 of a secret; 409 when the logical name is taken. */
  async create(secret: Secret): Promise<void> {
    const name = checkSecretName(secret.name);
    const data = secretData(secret);
    const current = secretRefs(await this.all()).get(name);
    if (current && current.version > 0) throw new ConflictError(`secret "${name}" already exists`);
    await this.createVersion(name, 1, data, name);
  }

  /** Creates the Docker secret for one version of a logical secret and returns its id. */
  async createVersion(name: string, version: number, data: string, dockerName = `${name}-${version}`): Promise<string> {
    try {
      const created = await this.docker.createSecret({
        Name: dockerName,
        Labels: { [L.LABEL_MANAGED]: 'true', [L.LABEL_SECRET_NAME]: name, [L.LABEL_SECRET_VERSION]: String(version), [L.LABEL_SECRET_OWNER]: 'openfaas' },
        Data: data,
      });
      return (created as unknown as { id: string }).id;
    } catch (err) {
      throw translateDockerError(err, `secret "${dockerName}"`);
    }
  }

  /** Removes every version of a logical secret; 404 when none exists. */
  async remove(name: string): Promise<void> {
    checkSecretName(name);
    const versions = (await this.all()).filter((s) => s.Spec?.Labels?.[L.LABEL_SECRET_NAME] === name);
    if (!versions.length) throw new NotFoundError(`secret "${name}" not found`);
    for (const s of versions) await this.removeId(s.ID, name);
  }

  /** Removes one Docker secret by id. */
  async removeId(id: string, name: string): Promise<void> {
    try {
      await this.docker.getSecret(id).remove();
    } catch (err) {
      const e = translateDockerError(err, `secret "${name}"`);
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}
