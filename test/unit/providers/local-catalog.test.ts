import { resolve } from 'node:path';
import { loadCatalog } from '../../../gateway/src/providers/local/catalog';
import { PARENT_GUARD, runSpecFor, RunContext } from '../../../gateway/src/providers/local/run-spec';
import { ValidationError } from '../../../gateway/src/errors';

const STACK = resolve(__dirname, '../../../functions/stack.yml');

describe('loadCatalog', () => {
  it('keys every stack function by its image, as an in-process node handler', async () => {
    const catalog = await loadCatalog(STACK);
    const echo = catalog.get('skep/echoit:latest');
    expect(echo).toMatchObject({ name: 'echoit', lang: 'node', env: { mode: 'inproc' } });
    expect(echo!.env.handler_path).toBe(resolve(__dirname, '../../../functions/echoit/handler.js'));
    expect(catalog.get('skep/sleep:latest')!.environment).toMatchObject({ exec_timeout: '2m' });
    expect(catalog.get('skep/sleep:latest')!.env).toMatchObject({ exec_timeout: '2m', mode: 'inproc' });
  });

  it('gives an empty catalog for a missing stack file', async () => {
    expect((await loadCatalog('/nonexistent/stack.yml')).size).toBe(0);
  });
});

describe('runSpecFor', () => {
  const ctx = async (): Promise<RunContext> => ({
    catalog: await loadCatalog(STACK), watchdogPath: '/wd.js', nodePath: '/node', secretDir: '/data/functions/f/secrets', workDir: '/data/functions/f',
    parentEnv: { PATH: '/bin', SECRET_TOKEN: 'leak?', HOME: '/root' },
  });

  it.each([
    ['a catalog image', { service: 'f', image: 'skep/echoit:latest', envVars: { a: '1' } }, { mode: 'inproc', a: '1' }],
    ['a foreign image with envProcess (fork by default)', { service: 'f', image: 'functions/alpine', envProcess: 'cat' }, { mode: 'fork', fprocess: 'cat' }],
    ['a foreign image in http mode', { service: 'f', image: 'x/y', envProcess: 'node server.js', envVars: { mode: 'http', upstream_url: 'http://127.0.0.1:3000' } }, { mode: 'http', fprocess: 'node server.js' }],
  ])('runs %s under the watchdog', async (_why, fn, env) => {
    const spec = runSpecFor(fn, await ctx());
    expect(spec.command).toBe('/node');
    expect(spec.args).toEqual(['-e', PARENT_GUARD, '/wd.js']);
    expect(spec.env).toMatchObject({ ...env, suppress_lock: 'true', secret_mount_path: '/data/functions/f/secrets', PATH: '/bin' });
    expect(spec.env.SECRET_TOKEN).toBeUndefined();
  });

  it('lets no function override the secret folder or the lock', async () => {
    const spec = runSpecFor({ service: 'f', image: 'skep/echoit:latest', envVars: { secret_mount_path: '/etc', suppress_lock: 'false' } }, await ctx());
    expect(spec.env).toMatchObject({ secret_mount_path: '/data/functions/f/secrets', suppress_lock: 'true' });
  });

  it('refuses an unknown image without envProcess, naming the catalog', async () => {
    expect(() => runSpecFor({ service: 'f', image: 'nope' }, { ...({} as RunContext), catalog: new Map(), parentEnv: {} } as RunContext)).toThrow(ValidationError);
    const c = await ctx();
    expect(() => runSpecFor({ service: 'f', image: 'nope' }, c)).toThrow(/skep\/echoit:latest/);
  });
});
