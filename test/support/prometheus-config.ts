/**
 * Renders the short-interval variant of `prometheus/*.yml` for tests and benches: the same files, with 1 s scrape and
 * evaluation, `for: 1s`, 1 s grouping, loopback targets and a temporary password file, so tests exercise what ships.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';

/** Where the shipped configuration lives. */
export const PROMETHEUS_DIR = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../../prometheus' : '../../prometheus');

/** What the rendered variant points at. */
export interface ShortConfigOptions {
  /** Folder the three files are written to. */
  dir: string;
  /** `host:port` of the gateway to scrape. */
  gateway: string;
  /** `host:port` of Alertmanager. */
  alertmanager: string;
  /** File holding the gateway's basic-auth password (omit when basic auth is off). */
  passwordFile?: string;
  username?: string;
  /** Range of the rate() in the rule, e.g. `5s`. */
  rateWindow?: string;
  /** Seconds between two notifications of a still-firing alert (each one adds a step). */
  repeatSeconds?: number;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const load = (name: string): Doc => YAML.parse(readFileSync(join(PROMETHEUS_DIR, name), 'utf8')) as Doc;

/** Writes prometheus.yml, alert.rules.yml and alertmanager.yml into `opts.dir`; returns their paths. */
export function renderShortConfigs(opts: ShortConfigOptions): { prometheus: string; rules: string; alertmanager: string } {
  const paths = { prometheus: join(opts.dir, 'prometheus.yml'), rules: join(opts.dir, 'alert.rules.yml'), alertmanager: join(opts.dir, 'alertmanager.yml') };

  const prom = load('prometheus.yml');
  prom.global.scrape_interval = '1s';
  prom.global.evaluation_interval = '1s';
  prom.rule_files = [paths.rules];
  prom.alerting.alertmanagers = [{ static_configs: [{ targets: [opts.alertmanager] }] }];
  const gatewayJob = (prom.scrape_configs as Doc[]).find((j) => j.job_name === 'gateway');
  if (!gatewayJob) throw new Error('prometheus/prometheus.yml has no gateway job');
  delete gatewayJob.dns_sd_configs;
  prom.scrape_configs = [{ ...gatewayJob, scrape_interval: '1s', static_configs: [{ targets: [opts.gateway] }] }];
  writeFileSync(paths.prometheus, YAML.stringify(prom));

  const rules = load('alert.rules.yml');
  const rule = (rules.groups as Doc[]).flatMap((g) => g.rules as Doc[]).find((r) => r.alert === 'APIHighInvocationRate');
  if (!rule) throw new Error('prometheus/alert.rules.yml has no APIHighInvocationRate rule');
  rule.for = '1s';
  if (opts.rateWindow) rule.expr = String(rule.expr).replace(/\[\d+[smh]\]/, `[${opts.rateWindow}]`);
  writeFileSync(paths.rules, YAML.stringify(rules));

  const am = load('alertmanager.yml');
  Object.assign(am.route, { group_wait: '1s', group_interval: '1s', repeat_interval: `${opts.repeatSeconds ?? 2}s` });
  const hook = (am.receivers as Doc[]).find((r) => r.name === am.route.receiver)?.webhook_configs?.[0];
  if (!hook) throw new Error('prometheus/alertmanager.yml has no webhook for its route');
  hook.url = `http://${opts.gateway}/system/alert`;
  if (opts.passwordFile) hook.http_config.basic_auth = { username: opts.username ?? 'admin', password_file: opts.passwordFile };
  else delete hook.http_config;
  writeFileSync(paths.alertmanager, YAML.stringify(am));
  return paths;
}
