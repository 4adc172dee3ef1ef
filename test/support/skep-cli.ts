/** Test helpers for the `skep` CLI: a real gateway child process (local provider) and a way to run the built CLI. */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli/src/main.js');
const GATEWAY = join(ROOT, 'dist/gateway/src/main.js');

/** Builds dist/ once when the compiled CLI, gateway or watchdog is missing (`npm test` builds before Jest). */
export function ensureBuilt(): void {
  const needed = [CLI, GATEWAY, join(ROOT, 'dist/watchdog/src/main.js')];
  if (needed.every((p) => existsSync(p))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
}

/** A gateway child process on a free loopback port. */
export interface TestGateway {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the gateway wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/gateway/src/main.js` on port 0 with a temporary data dir; resolves with its URL once it listens. */
export async function startGateway(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skep-gw-'));
  const child = spawn(process.execPath, [GATEWAY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, port: '0', host: '127.0.0.1', data_dir: dataDir, deploy_stack: 'false', log_level: 'info', scale_from_zero: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const started = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*gateway listening|gateway listening[^\n]*"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1] ?? m[2]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${out}`));
    });
  });
  let url: string;
  try {
    url = await started;
  } catch (err) {
    // never leave a half-started gateway or its folder behind
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, child, output: () => out, stop };
}

/** What one run of the CLI produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI without waiting for it (for `logs --follow`); the caller ends it. */
export function spawnSkep(args: string[], opts: { cwd?: string } = {}): ChildProcess & { output(): string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  return Object.assign(child, { output: () => out });
}

/** Runs `node dist/cli/src/main.js ...args` asynchronously, feeding `input` on stdin; bounded by `timeoutMs`. */
export function skep(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: opts.env?.HOME ?? tmpdir(), NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`skep ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 30_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // let the pipes drain
      setImmediate(() => resolveRun({ code, stdout, stderr }));
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A loopback URL where nothing listens: a port the kernel handed out and that was closed again. */
export async function deadGatewayUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** Handler folders a test project uses, as `name → handler.js source`. */
export const HANDLERS: Record<string, string> = {
  echoit: "module.exports = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: event.body });\n",
  hello: "module.exports = async (event) => (event.query.fail ? { statusCode: 500, body: 'nope, failing' } : `hello ${event.query.name || 'world'} ${event.method}`);\n",
  chatty: "module.exports = async (event) => { console.log('chatty says ' + String(event.body)); return 'ok'; };\n",
};

/** Writes a temporary project: a stack file with node functions (handlers above) and returns its folder. */
export function makeProject(extra = '', gateway = 'http://127.0.0.1:9'): { dir: string; stackFile: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skep-proj-'));
  // hello may be scaled to zero (the gateway refuses 0 replicas without this label)
  const extra0: Record<string, string> = { hello: '    labels:\n      com.openfaas.scale.zero: "true"\n' };
  const fns = Object.keys(HANDLERS).map((n) => `  ${n}:\n    lang: node\n    handler: ./${n}\n    image: skep-test/${n}:latest\n${extra0[n] ?? ''}`).join('');
  for (const [n, src] of Object.entries(HANDLERS)) {
    mkdirSync(join(dir, n));
    writeFileSync(join(dir, n, 'handler.js'), src);
  }
  // The node template is Skep's own; copy it so the project is self-contained like a faas-cli one.
  const template = join(ROOT, 'functions/templates/node');
  if (existsSync(template)) cpSync(template, join(dir, 'templates/node'), { recursive: true });
  const stackFile = join(dir, 'stack.yml');
  writeFileSync(stackFile, `version: 1.0\nprovider:\n  name: openfaas\n  gateway: ${gateway}\nfunctions:\n${fns}${extra}`);
  return { dir, stackFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
