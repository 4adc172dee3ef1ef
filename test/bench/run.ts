/**
 * `npm run bench`: runs every benchmark module in this folder (each exports `run()`), one after another.
 * `npm run bench -- watchdog gateway` runs only those. Figures are printed beside a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

interface BenchModule {
  run: () => Promise<void>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const names = readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_'))
    .map((f) => basename(f, '.js'))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  let failed = 0;
  for (const name of names) {
    const mod = require(join(__dirname, `${name}.js`)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue;
    console.log(`\n## bench: ${name}`);
    try {
      await mod.run();
    } catch (err) {
      failed++;
      console.error(`bench ${name} failed:`, err);
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
