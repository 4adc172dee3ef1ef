/** The lock file that tells Docker's HEALTHCHECK the watchdog is ready (OpenFaaS's `/tmp/.lock`). */
import { rmSync, writeFileSync } from 'node:fs';

/** Writes or removes the lock file, or does nothing when suppressed. */
export class LockFile {
  constructor(private readonly path: string, private readonly suppressed: boolean) {}

  /** Creates the empty lock file; a failure stops the watchdog, as in OpenFaaS. */
  write(): void {
    if (!this.suppressed) writeFileSync(this.path, '');
  }

  /** Removes the lock file if present. */
  remove(): void {
    if (!this.suppressed) rmSync(this.path, { force: true });
  }
}
