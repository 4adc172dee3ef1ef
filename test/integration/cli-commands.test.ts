/** Drives the built `skep` CLI against a real gateway (local provider) and checks output and exit codes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadGatewayUrl, ensureBuilt, makeProject, skep, spawnSkep, startGateway, TestGateway } from '../support/skep-cli';

jest.setTimeout(120_000);

let gw: TestGateway;
let project: ReturnType<typeof makeProject>;
let dead: string;
const run = (args: string[], input?: string) => skep([...args, '--gateway', gw.url], { input, cwd: project.dir });

beforeAll(async () => {
  ensureBuilt();
  dead = await deadGatewayUrl();
  project = makeProject('', dead);
  gw = await startGateway({ stack_file: project.stackFile });
});

afterAll(async () => {
  await gw?.stop();
  project?.cleanup();
});

describe('skep up', () => {
  it('builds the local bundles, deploys every function and prints each URL', async () => {
    // The gateway runs processes (local provider), so up builds no image even when a Docker engine is reachable.
    const r = await run(['up', '-f', project.stackFile]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toContain('Local provider: checking the local bundles (handler folders); no images are built.');
    expect(r.stderr).toMatch(/echoit: local bundle ready \(echoit\/handler\.js\)/);
    for (const n of ['echoit', 'hello', 'chatty']) expect(r.stdout).toMatch(new RegExp(`${n}\\s+created\\s+${gw.url}/function/${n}`));
  });

  it('updates (PUT) on a second deploy', async () => {
    const r = await run(['deploy', '-f', project.stackFile, '--filter', 'echoit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/echoit\s+updated/);
  });
});

describe('skep ready / invoke', () => {
  it.each(['echoit', 'hello', 'chatty'])('waits until %s is ready', async (name) => {
    const r = await run(['ready', name, '--timeout', '30s']);
    expect(r.stdout).toContain(`${name} is ready`);
    expect(r.code).toBe(0);
  });

  it('sends stdin as the body and prints the answer untouched', async () => {
    expect(await run(['invoke', 'echoit'], 'hi there\n')).toEqual({ code: 0, stdout: 'hi there\n', stderr: '' });
  });

  it('passes --method and --query', async () => {
    const r = await run(['invoke', 'hello', '--method', 'GET', '--query', 'name=bob']);
    expect(r).toMatchObject({ code: 0, stdout: 'hello bob GET' });
  });

  it('fails with the gateway code and status for an unknown function', async () => {
    const r = await run(['invoke', 'nope'], 'x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*nope.* \[not_found, HTTP 404\]\n$/);
  });

  it('fails with the status and body of a function\'s own error', async () => {
    const r = await run(['invoke', 'hello', '--query', 'fail=1']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error: function hello returned HTTP 500: nope, failing\n' });
  });

  it('queues with --async and the function runs', async () => {
    const r = await run(['invoke', 'chatty', '--async'], 'async-marker');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Function submitted asynchronously \(X-Call-Id: \S+\)\.\n$/);
    let out = '';
    for (let i = 0; i < 40 && !out.includes('chatty says async-marker'); i++) {
      if (i) await new Promise((res) => setTimeout(res, 250));
      out = (await run(['logs', 'chatty'])).stdout;
    }
    expect(out).toContain('chatty says async-marker');
  });
});

describe('skep list / describe', () => {
  it('prints a table of functions with invocations and replicas', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+INVOCATIONS\s+REPLICAS\s+AVAILABLE\s+IMAGE$/);
    expect(r.stdout).toMatch(/echoit\s+\d+\s+1\s+1\s+skep-test\/echoit:latest/);
  });

  it('prints JSON with --json', async () => {
    const r = await run(['list', '--json']);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((f) => f.name).sort();
    expect(names).toEqual(['chatty', 'echoit', 'hello']);
  });

  it('describes a function', async () => {
    const r = await run(['describe', 'echoit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Status:\s+Ready/);
    expect(r.stdout).toMatch(new RegExp(`URL:\\s+${gw.url}/function/echoit`));
    expect(r.stdout).toMatch(/Image:\s+skep-test\/echoit:latest/);
  });

  it.each([['describe'], ['scale', '--replicas', '1'], ['remove'], ['ready']])('%s fails with not_found for an unknown function', async (cmd, ...rest) => {
    const r = await run([cmd, 'nope', ...rest]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: .*nope.* \[not_found, HTTP 404\]/);
  });
});

describe('skep scale', () => {
  it('sets replicas, and ready times out at zero', async () => {
    expect(await run(['scale', 'hello', '--replicas', '0'])).toMatchObject({ code: 0, stdout: 'Scaled hello to 0 replicas.\n' });
    const r = await run(['ready', 'hello', '--timeout', '1s', '--interval', '200ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no available replica after 1s .*\[not_ready\]/);
    expect((await run(['scale', 'hello', '--replicas', '2'])).code).toBe(0);
    expect((await run(['ready', 'hello', '--timeout', '30s'])).code).toBe(0);
    expect(JSON.parse((await run(['describe', 'hello', '--json'])).stdout)).toMatchObject({ replicas: 2 });
  });

  it('shows the gateway refusing zero replicas for a function without the scale-to-zero label', async () => {
    const r = await run(['scale', 'echoit', '--replicas', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: .*scale to zero.* \[invalid_request, HTTP 400\]/);
  });

  it('rejects a replica count that is not a number (usage error, exit 2)', async () => {
    const r = await run(['scale', 'hello', '--replicas', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--replicas must be a whole number');
  });
});

describe('skep logs', () => {
  it('prints the lines a function wrote', async () => {
    expect((await run(['invoke', 'chatty'], 'marker-123')).code).toBe(0);
    let out = '';
    for (let i = 0; i < 20 && !out.includes('chatty says marker-123'); i++) {
      out = (await run(['logs', 'chatty'])).stdout;
      if (!out.includes('marker-123')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(out).toContain('chatty says marker-123');
    const json = (await run(['logs', 'chatty', '--json', '--tail', '50'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string });
    expect(json.every((m) => m.name === 'chatty')).toBe(true);
  });

  it('follows new lines until interrupted, then exits 0', async () => {
    const child = spawnSkep(['logs', 'chatty', '--follow', '--since', '1s', '--gateway', gw.url]);
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    try {
      for (let i = 0; i < 80 && !child.output().includes('follow-marker'); i++) {
        if (i % 8 === 0) await run(['invoke', 'chatty'], 'follow-marker');
        await new Promise((res) => setTimeout(res, 250));
      }
      expect(child.output()).toContain('chatty says follow-marker');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects a bad --since', async () => {
    const r = await run(['logs', 'chatty', '--since', 'yesterday-ish']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain('--since expects');
  });
});

describe('skep secret', () => {
  it('creates, lists, updates and removes a secret', async () => {
    expect(await run(['secret', 'create', 'api-key', '--from-literal', 's3cret'])).toMatchObject({ code: 0, stdout: 'Created secret api-key.\n' });
    expect((await run(['secret', 'list'])).stdout).toMatch(/^NAME\napi-key\n$/);
    expect(await run(['secret', 'update', 'api-key'], 'new-value\n')).toMatchObject({ code: 0, stdout: 'Updated secret api-key.\n' });
    const dup = await run(['secret', 'create', 'api-key', '--from-literal', 'x']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/HTTP 409/);
    expect(await run(['secret', 'remove', 'api-key'])).toMatchObject({ code: 0, stdout: 'Removed secret api-key.\n' });
    const gone = await run(['secret', 'remove', 'api-key']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/HTTP 404/);
  });

  it('refuses an invalid secret name before sending anything', async () => {
    const r = await run(['secret', 'create', 'bad name', '--from-literal', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('secret name "bad name"');
  });
});

describe('skep deploy --image', () => {
  it('deploys an image outside the catalog with --fprocess, and removes it', async () => {
    const d = await run(['deploy', '--image', 'functions/alpine:latest', '--name', 'cat', '--fprocess', 'cat', '--env', 'mode=fork', '--label', 'team=cli']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/cat\s+created\s+http:\/\/\S+\/function\/cat/);
    expect((await run(['ready', 'cat', '--timeout', '30s'])).code).toBe(0);
    expect((await run(['invoke', 'cat'], 'meow')).stdout).toBe('meow');
    expect(JSON.parse((await run(['describe', 'cat', '--json'])).stdout)).toMatchObject({ envProcess: 'cat', labels: expect.objectContaining({ team: 'cli' }) });
    expect(await run(['remove', 'cat'])).toMatchObject({ code: 0, stdout: 'Removed cat.\n' });
  });

  it('shows the gateway error for an image it cannot run', async () => {
    const r = await run(['deploy', '--image', 'nobody/unknown:1', '--name', 'ghost']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ghost: .*\[invalid_request, HTTP 400\]/);
    expect(r.stdout).toMatch(/ghost\s+failed/);
  });
});

describe('bad stack files', () => {
  it('lists every problem with file, function and key, and sends nothing', async () => {
    const bad = join(project.dir, 'bad.yml');
    writeFileSync(bad, 'provider:\n  name: openfaas\nfunctions:\n  Bad_Fn:\n    image: x\n  noimage:\n    lang: node\n  typo:\n    image: y\n    enviroment: {}\n  envf:\n    image: z\n    environment_file: [nope.yml]\n');
    const names = async () => (JSON.parse((await run(['list', '--json'])).stdout) as { name: string }[]).map((f) => f.name).sort();
    const before = await names();
    const r = await run(['deploy', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: functions.Bad_Fn: function name "Bad_Fn" must be a DNS label`);
    expect(r.stderr).toContain(`${bad}: functions.noimage.image: missing`);
    expect(r.stderr).toContain(`${bad}: functions.typo.enviroment: unknown key`);
    expect(r.stderr).toContain(`${bad}: functions.envf.environment_file[0]: file "nope.yml" does not exist`);
    expect(await names()).toEqual(before);
  });

  it('says so when the stack file does not exist', async () => {
    const r = await run(['deploy', '-f', 'missing.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.yml: file not found');
  });

  it('reports a function whose handler folder has no handler.js at build time', async () => {
    const p = makeProject('  empty:\n    lang: node\n    handler: ./nothing-here\n    image: skep-test/empty:latest\n');
    try {
      const r = await skep(['build', '-f', p.stackFile, '--filter', 'empty', '--local'], { cwd: p.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/empty: handler folder .*nothing-here does not exist/);
    } finally {
      p.cleanup();
    }
  });
});

describe('gateway resolution', () => {
  it('fails clearly when the gateway is unreachable', async () => {
    const r = await skep(['list', '--gateway', dead]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: cannot reach the gateway at ${dead}: ECONNREFUSED [gateway_unreachable]\n`);
  });

  it('uses SKEP_GATEWAY over the stack file', async () => {
    const r = await skep(['list', '-f', project.stackFile, '--json'], { env: { SKEP_GATEWAY: gw.url } });
    expect(r.code).toBe(0);
  });

  it('uses the stack file gateway when nothing else is given', async () => {
    const r = await skep(['list', '-f', project.stackFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the gateway at ${dead}`);
  });

  it('prints the gateway and provider versions', async () => {
    const r = await run(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CLI version:\s+\d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(/Provider:\s+\S+/);
  });

  it('lists namespaces', async () => {
    const r = await run(['namespace', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });
});

describe('skep new', () => {
  it('creates a handler folder from the node template and adds it to the stack file', async () => {
    const r = await skep(['new', 'greeter', '--lang', 'node', '-f', project.stackFile], { cwd: project.dir });
    expect(r.code).toBe(0);
    expect(readFileSync(project.stackFile, 'utf8')).toMatch(/greeter:\n\s+lang: node\n\s+handler: \.\/greeter\n\s+image: skep\/greeter:latest/);
    const b = await skep(['build', '-f', project.stackFile, '--filter', 'greeter', '--local'], { cwd: project.dir });
    expect(b).toMatchObject({ code: 0 });
    expect(b.stderr).toContain('greeter: local bundle ready');
    const again = await skep(['new', 'greeter', '--lang', 'node', '-f', project.stackFile], { cwd: project.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});
