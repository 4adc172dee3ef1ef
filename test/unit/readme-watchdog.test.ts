import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEnvTable } from '../../common/src/env-config';
import { watchdogSpec } from '../../watchdog/src/config';
import { renderMetricsTable, WatchdogMetrics } from '../../watchdog/src/metrics';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = (name: string): string => readme.split(`<!-- section:${name} -->`)[1]?.split(`<!-- /section:${name} -->`)[0] ?? '';

describe('README watchdog section', () => {
  it('carries the configuration table generated from watchdog/src/config.ts', () => {
    expect(section('watchdog')).toContain(renderEnvTable(watchdogSpec));
  });

  it('carries the metrics table generated from the registry, naming every metric', async () => {
    const { registry } = new WatchdogMetrics(() => 0);
    expect(section('watchdog')).toContain(await renderMetricsTable(registry));
    for (const m of await registry.getMetricsAsJSON()) expect(section('watchdog')).toContain(`\`${m.name}\``);
  });

  it('documents every sample function of functions/stack.yml', () => {
    for (const name of ['echoit', 'base64', 'decodebase64', 'wordcount', 'markdown', 'nodeinfo', 'sleep']) {
      expect(section('functions')).toContain(`\`${name}\``);
    }
  });
});
