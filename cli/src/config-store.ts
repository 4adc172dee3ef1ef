/** `skep login` credentials: one JSON file, `~/.skep/config.json` or `$SKEP_CONFIG`, readable by its owner only. */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Credentials saved for one gateway; `token` is base64 of `user:password`, as faas-cli stores it. */
export interface AuthEntry {
  gateway: string;
  auth: 'basic';
  token: string;
}

interface ConfigFile {
  auths: AuthEntry[];
}

/** Where the config lives: `$SKEP_CONFIG`, else `~/.skep/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SKEP_CONFIG || join(env.HOME || homedir(), '.skep', 'config.json');
}

/** Normalises a gateway URL so `http://h:8080/` and `http://h:8080` are one entry. */
export function normaliseGateway(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function read(path: string): ConfigFile {
  if (!existsSync(path)) return { auths: [] };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConfigFile>;
  return { auths: Array.isArray(parsed.auths) ? parsed.auths : [] };
}

function write(path: string, cfg: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Write beside and rename, so a crash never leaves half a file; chmod because mode only applies to new files.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Saves credentials for a gateway, replacing any earlier ones. */
export function saveCredentials(gateway: string, user: string, password: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = configPath(env);
  const cfg = read(path);
  const gw = normaliseGateway(gateway);
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  cfg.auths = [...cfg.auths.filter((a) => normaliseGateway(a.gateway) !== gw), { gateway: gw, auth: 'basic', token }];
  write(path, cfg);
  return path;
}

/** Forgets a gateway's credentials; returns whether there were any. */
export function removeCredentials(gateway: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = configPath(env);
  const cfg = read(path);
  const gw = normaliseGateway(gateway);
  const kept = cfg.auths.filter((a) => normaliseGateway(a.gateway) !== gw);
  if (kept.length === cfg.auths.length) return false;
  write(path, { auths: kept });
  return true;
}

/** The saved credentials for a gateway, if any. */
export function lookupCredentials(gateway: string, env: NodeJS.ProcessEnv = process.env): { user: string; password: string } | undefined {
  const path = configPath(env);
  let cfg: ConfigFile;
  try {
    cfg = read(path);
  } catch {
    return undefined;
  }
  const entry = cfg.auths.find((a) => normaliseGateway(a.gateway) === normaliseGateway(gateway));
  if (!entry) return undefined;
  const decoded = Buffer.from(entry.token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
