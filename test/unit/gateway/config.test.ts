import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, EnvSpec, renderEnvTable } from '../../../common/src/env-config';
import { asyncEnvSpec } from '../../../gateway/src/async/config';
import { GatewayConfig, gatewayEnvSpec, loadConfig, parseSize } from '../../../gateway/src/config';
import { scalingEnvSpec } from '../../../gateway/src/scaling/config';

/** The gateway's own rows; scaling and async render theirs in their README sections. */
function ownSpec(): EnvSpec<Partial<GatewayConfig>> {
  return Object.fromEntries(Object.entries(gatewayEnvSpec).filter(([k]) => !(k in scalingEnvSpec) && !(k in asyncEnvSpec))) as EnvSpec<Partial<GatewayConfig>>;
}

describe('gateway config', () => {
  it('has OpenFaaS defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', readTimeoutMs: 60_000, writeTimeoutMs: 60_000, upstreamTimeoutMs: 60_000, basicAuth: false, secretMountPath: '/run/secrets/', provider: 'local' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads OpenFaaS env names and durations', () => {
    const c = loadConfig({ port: '9000', read_timeout: '5m5s', upstream_timeout: '30', basic_auth: 'true', provider: 'swarm', max_body_size: '2mb' });
    expect(c).toMatchObject({ port: 9000, readTimeoutMs: 305_000, upstreamTimeoutMs: 30_000, basicAuth: true, provider: 'swarm', maxBodyBytes: 2 * 1024 * 1024 });
  });

  it('reports every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig({ port: 'x', provider: 'k8s', upstream_timeout: 'soon', max_body_size: 'big' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['max_body_size', 'port', 'provider', 'upstream_timeout']);
  });

  it.each([['1024', 1024], ['512kb', 524288], ['10mb', 10485760], ['1g', 1073741824]])('parses the size %s', (raw, want) => {
    expect(parseSize(raw)).toBe(want);
  });

  it('is documented in the README gateway section, table generated from the spec', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:gateway -->'), readme.indexOf('<!-- /section:gateway -->'));
    expect(section).toContain(renderEnvTable(ownSpec()));
  });
});
