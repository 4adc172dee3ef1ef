import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderEnvTable } from '../../../common/src/env-config';
import { swarmEnvSpec } from '../../../gateway/src/providers/swarm/config';

describe('README swarm section', () => {
  it('carries the Swarm provider env table as config.ts renders it', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:swarm -->'), readme.indexOf('<!-- /section:swarm -->'));
    expect(section).toContain(renderEnvTable(swarmEnvSpec));
  });
});
