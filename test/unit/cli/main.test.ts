import { PassThrough } from 'node:stream';
import { run } from '../../../cli/src/main';
import type { Io } from '../../../cli/src/output';

/** Runs the CLI in-process with captured streams (no gateway is needed for these paths). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = { stdout, stderr, stdin, env: { HOME: '/nonexistent' }, cwd: '/' };
  const code = await run(args, io);
  return { code, stdout: out, stderr: err };
}

describe('skep (in-process)', () => {
  it('prints its version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('exits 0 for --help and 2 for an unknown command', async () => {
    expect((await cli(['--help'])).code).toBe(0);
    const r = await cli(['nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'nope'");
  });

  it('exits 2 when a required option is missing', async () => {
    const r = await cli(['scale', 'echoit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-r, --replicas <n>' not specified");
  });

  it('reports a missing stack file as JSON with --json', async () => {
    const r = await cli(['deploy', '-f', '/nonexistent/stack.yml', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'invalid_stack_file', message: expect.stringContaining('file not found'), problems: [{ file: '/nonexistent/stack.yml', message: 'file not found' }] },
    });
  });

  it('rejects malformed --env before anything is sent', async () => {
    const r = await cli(['deploy', '--image', 'x', '--name', 'fn', '--env', 'novalue']);
    expect(r).toMatchObject({ code: 2, stderr: 'Error: --env expects KEY=VALUE (got "novalue") [usage]\n' });
  });

  it('refuses an invalid function name for deploy --name', async () => {
    const r = await cli(['deploy', '--image', 'x', '--name', 'Bad_Name']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be a DNS label');
  });
});
