/** `skep login` against a gateway with basic auth: 401 without credentials, refused bad ones, a 0600 store. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, makeProject, skep, startGateway, TestGateway } from '../support/skep-cli';

jest.setTimeout(60_000);

let gw: TestGateway;
let secrets: string;
let home: string;
let project: ReturnType<typeof makeProject>;

beforeAll(async () => {
  ensureBuilt();
  project = makeProject();
  secrets = mkdtempSync(join(tmpdir(), 'skep-auth-'));
  home = mkdtempSync(join(tmpdir(), 'skep-home-'));
  writeFileSync(join(secrets, 'basic-auth-user'), 'admin\n');
  writeFileSync(join(secrets, 'basic-auth-password'), 'letmein\n');
  gw = await startGateway({ stack_file: project.stackFile, basic_auth: 'true', secret_mount_path: secrets });
});

afterAll(async () => {
  await gw?.stop();
  for (const d of [secrets, home]) if (d) rmSync(d, { recursive: true, force: true });
  project?.cleanup();
});

const run = (args: string[], input?: string) => skep([...args, '--gateway', gw.url], { input, env: { HOME: home } });

describe('skep against a gateway with basic auth', () => {
  it('fails with 401 before login', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 401/);
  });

  it('refuses to save wrong credentials', async () => {
    const r = await run(['login', '-u', 'admin', '--password-stdin'], 'wrong\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused these credentials [unauthorized, HTTP 401]');
  });

  it('saves working credentials in a 0600 file and uses them', async () => {
    const r = await run(['login', '-u', 'admin', '--password-stdin'], 'letmein\n');
    expect(r.code).toBe(0);
    const file = join(home, '.skep', 'config.json');
    expect(r.stdout).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await run(['list'])).toMatchObject({ code: 0 });
  });

  it('forgets them on logout', async () => {
    expect((await run(['logout'])).stdout).toContain('removed');
    expect((await run(['list'])).code).toBe(1);
  });

  it('honours $SKEP_CONFIG', async () => {
    const cfg = join(home, 'elsewhere.json');
    const r = await skep(['login', '--gateway', gw.url, '--password', 'letmein'], { env: { HOME: home, SKEP_CONFIG: cfg } });
    expect(r.code).toBe(0);
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
    expect((await skep(['list', '--gateway', gw.url], { env: { HOME: home, SKEP_CONFIG: cfg } })).code).toBe(0);
  });
});
