import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderEnvTable } from '../../../common/src/env-config';
import { ASYNC_LABELS, asyncEnvSpec } from '../../../gateway/src/async/config';

const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section:async -->'), readme.indexOf('<!-- /section:async -->'));

describe('README async section', () => {
  it('carries the async settings table generated from the config table', () => {
    expect(section).toContain(renderEnvTable(asyncEnvSpec));
  });

  it.each(Object.values(ASYNC_LABELS))('documents the label %s', (label) => {
    expect(section).toContain(`\`${label}\``);
  });
});
