import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { PROMETHEUS_DIR, renderShortConfigs } from '../../support/prometheus-config';

const PROMTOOL = '/usr/bin/promtool';
const AMTOOL = '/usr/bin/amtool';

function check(tool: string, args: string[]): string {
  if (!existsSync(tool)) throw new Error(`${tool} is missing: install the Debian packages prometheus and prometheus-alertmanager (scripts/ci/apt-packages.txt)`);
  return execFileSync(tool, args, { encoding: 'utf8', stdio: 'pipe' });
}

describe('prometheus/ configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skep-prom-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships an APIHighInvocationRate rule on gateway_function_invocation_total', () => {
    const rules = YAML.parse(readFileSync(join(PROMETHEUS_DIR, 'alert.rules.yml'), 'utf8'));
    const rule = rules.groups[0].rules.find((r: { alert: string }) => r.alert === 'APIHighInvocationRate');
    expect(rule.expr).toContain('gateway_function_invocation_total');
    expect(rule.labels).toEqual({ service: 'gateway', severity: 'major' });
  });

  it('sends resolved alerts to /system/alert with basic auth from a password file', () => {
    const am = YAML.parse(readFileSync(join(PROMETHEUS_DIR, 'alertmanager.yml'), 'utf8'));
    const hook = am.receivers[0].webhook_configs[0];
    expect(hook).toMatchObject({ url: 'http://gateway:8080/system/alert', send_resolved: true });
    expect(hook.http_config.basic_auth.password_file).toBe('/run/secrets/basic-auth-password');
  });

  it('renders a 1-second variant with loopback targets', () => {
    const p = renderShortConfigs({ dir, gateway: '127.0.0.1:1234', alertmanager: '127.0.0.1:5678', passwordFile: join(dir, 'pw'), rateWindow: '5s' });
    const prom = YAML.parse(readFileSync(p.prometheus, 'utf8'));
    expect(prom.global).toMatchObject({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(prom.scrape_configs).toEqual([expect.objectContaining({ job_name: 'gateway', scrape_interval: '1s', static_configs: [{ targets: ['127.0.0.1:1234'] }] })]);
    const rule = YAML.parse(readFileSync(p.rules, 'utf8')).groups[0].rules.find((r: { alert: string }) => r.alert === 'APIHighInvocationRate');
    expect(rule.for).toBe('1s');
    expect(rule.expr).toContain('[5s]');
    const am = YAML.parse(readFileSync(p.alertmanager, 'utf8'));
    expect(am.route).toMatchObject({ group_wait: '1s', group_interval: '1s' });
    expect(am.receivers[0].webhook_configs[0]).toMatchObject({ url: 'http://127.0.0.1:1234/system/alert', http_config: { basic_auth: { username: 'admin', password_file: join(dir, 'pw') } } });
  });

  it('passes promtool and amtool checks, shipped and rendered', () => {
    check(PROMTOOL, ['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')]);
    check(AMTOOL, ['check-config', join(PROMETHEUS_DIR, 'alertmanager.yml')]);
    const p = renderShortConfigs({ dir, gateway: '127.0.0.1:1234', alertmanager: '127.0.0.1:5678' });
    expect(check(PROMTOOL, ['check', 'config', p.prometheus])).toContain('SUCCESS');
    expect(check(AMTOOL, ['check-config', p.alertmanager])).toContain('SUCCESS');
  });
});
