import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderEnvTable } from '../../../common/src/env-config';
import { scalingEnvSpec } from '../../../gateway/src/scaling/config';
import { DEFAULTS, LABEL } from '../../../gateway/src/scaling/labels';

const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section:scaling -->'), readme.indexOf('<!-- /section:scaling -->'));

describe('README scaling section', () => {
  it('carries the scaling settings table generated from the config table', () => {
    expect(section).toContain(renderEnvTable(scalingEnvSpec));
  });

  it.each([
    [LABEL.min, `\`${DEFAULTS.min}\``],
    [LABEL.max, `\`${DEFAULTS.max}\``],
    [LABEL.factor, `\`${DEFAULTS.factor}\``],
    [LABEL.zero, '`false`'],
    [LABEL.idle, '`5m`'],
  ])('documents %s with its default %s', (label, def) => {
    expect(section).toContain(`| \`${label}\` | ${def} |`);
  });
});
