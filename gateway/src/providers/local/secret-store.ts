/** Secrets of the local provider: one file each (0600) in a 0700 folder, copied into each function's own folder. */
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { Secret } from '../provider';
import { invalidSecretName } from '../../../../common/src/names';

/** Secret values on disk under `<dataDir>/secrets`, and per-function copies under `<dataDir>/functions/<fn>/secrets`. */
export class SecretStore {
  private readonly dir: string;

  constructor(private readonly dataDir: string) {
    this.dir = join(dataDir, 'secrets');
  }

  /** Creates the folders with owner-only permissions. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
  }

  private bytes(s: Secret): Buffer {
    if (s.rawValue !== undefined) return Buffer.from(s.rawValue, 'base64');
    return Buffer.from(s.value ?? '', 'utf8');
  }

  /** Names of every secret. */
  async names(): Promise<string[]> {
    return (await readdir(this.dir)).sort();
  }

  /** Stores a secret; `mustExist` selects update (404 if absent) over create (409 if present). */
  async put(s: Secret, mustExist: boolean): Promise<void> {
    const bad = invalidSecretName(s.name);
    if (bad) throw new ValidationError(bad);
    const exists = (await this.names()).includes(s.name);
    if (mustExist && !exists) throw new NotFoundError(`secret ${s.name} not found`);
    if (!mustExist && exists) throw new ConflictError(`secret ${s.name} already exists`);
    await writeFile(join(this.dir, s.name), this.bytes(s), { mode: 0o600 });
  }

  /** Deletes a secret (404 if absent). */
  async remove(name: string): Promise<void> {
    if (!(await this.names()).includes(name)) throw new NotFoundError(`secret ${name} not found`);
    await rm(join(this.dir, name));
  }

  /** Throws 400 naming the secrets that do not exist. */
  async check(names: string[]): Promise<void> {
    const have = await this.names();
    const missing = names.filter((n) => !have.includes(n));
    if (missing.length) throw new ValidationError(`secret not found: ${missing.join(', ')}; possible choices: [${have.join(', ')}]`);
  }

  /** The folder a function reads its secrets from (its `secret_mount_path`). */
  functionDir(fn: string): string {
    return join(this.dataDir, 'functions', fn, 'secrets');
  }

  /** Copies exactly `names` into the function's folder (0700 folder, 0600 files), replacing what was there. */
  async mount(fn: string, names: string[]): Promise<string> {
    const dir = this.functionDir(fn);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const n of names) await writeFile(join(dir, n), await readFile(join(this.dir, n)), { mode: 0o600 });
    return dir;
  }

  /** Deletes the function's copies. */
  async unmount(fn: string): Promise<void> {
    await rm(join(this.dataDir, 'functions', fn), { recursive: true, force: true });
  }
}
