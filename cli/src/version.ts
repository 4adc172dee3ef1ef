/** The CLI's version, from the package.json of the install. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read from the package.json above this file (works from `cli/src` and `dist/cli/src`). */
export function cliVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'skep' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
