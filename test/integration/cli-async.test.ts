/** Drives `skep invoke --async` and `skep async ...` against a real gateway (local provider, SQLite queue). */
import { ensureBuilt, makeProject, skep, startGateway, TestGateway } from '../support/skep-cli';

jest.setTimeout(120_000);

let gw: TestGateway;
let project: ReturnType<typeof makeProject>;
const run = (args: string[], input?: string) => skep([...args, '--gateway', gw.url], { input, cwd: project.dir });

interface Job {
  callId: string;
  function: string;
  state: string;
  attempts: number;
  lastStatus?: number;
  bodyBytes: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Polls `skep async show --json` until `done(job)`; bounded. */
async function waitFor(callId: string, done: (j: Job) => boolean): Promise<Job> {
  let last: Job | undefined;
  for (let i = 0; i < 120; i++) {
    if (i) await new Promise((r) => setTimeout(r, 250));
    const r = await run(['async', 'show', callId, '--json']);
    if (r.code === 0) {
      last = JSON.parse(r.stdout) as Job;
      if (done(last)) return last;
    }
  }
  throw new Error(`call ${callId} never reached the expected state; last seen: ${JSON.stringify(last)}`);
}

async function submit(args: string[], input = ''): Promise<string> {
  const r = await run(['invoke', ...args, '--async'], input);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^Function submitted asynchronously \(X-Call-Id: \S+\)\.\n$/);
  const id = r.stdout.trim();
  expect(r.stderr).toContain(id);
  return id;
}

beforeAll(async () => {
  ensureBuilt();
  project = makeProject();
  gw = await startGateway({ stack_file: project.stackFile, async_retry_base: '100ms' });
  // hello fails with 500 on ?fail=1; one attempt sends such a call straight to the dead-letter queue
  const up = await run(['up', '-f', project.stackFile, '--label', 'com.skep.async.max-attempts=1']);
  expect(up.code).toBe(0);
  for (const n of ['echoit', 'hello']) expect((await run(['ready', n, '--timeout', '60s'])).code).toBe(0);
});

afterAll(async () => {
  await gw?.stop();
  project?.cleanup();
});

describe('skep invoke --async', () => {
  it('prints the call id, and async show follows it to succeeded', async () => {
    const id = await submit(['echoit', '-H', 'X-Marker=m1'], 'async body');
    const job = await waitFor(id, (j) => j.state === 'succeeded');
    expect(job).toMatchObject({ callId: id, function: 'echoit', attempts: 1, lastStatus: 200, bodyBytes: 10 });
    expect(Buffer.from(job.body ?? '', 'base64').toString()).toBe('async body');
    expect(job.headers?.['x-marker']).toBe('m1');
    const text = await run(['async', 'show', id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Call ID:\s+\S+$/m);
    expect(text.stdout).toMatch(/^State:\s+succeeded$/m);
    expect(text.stdout).toMatch(/^Body:\s+10 bytes$/m);
    expect(text.stdout).toMatch(/^ {2}x-marker: m1$/m);
  });

  it('returns the first call id again for a repeated --idempotency-key', async () => {
    const a = await run(['invoke', 'echoit', '--async', '--idempotency-key', 'k-1', '--json'], 'x');
    const b = await run(['invoke', 'echoit', '--async', '--idempotency-key', 'k-1', '--json'], 'x');
    expect(JSON.parse(b.stdout)).toEqual({ ...JSON.parse(a.stdout), replay: true });
  });

  it('refuses --callback-url without --async', async () => {
    const r = await run(['invoke', 'echoit', '--callback-url', 'http://127.0.0.1:9/'], 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('need --async');
  });
});

describe('skep async list', () => {
  it('prints a table filtered by function and state', async () => {
    const r = await run(['async', 'list', '--function', 'echoit', '--state', 'succeeded']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toMatch(/^CALL ID\s+FUNCTION\s+STATE\s+ATTEMPTS\s+LAST STATUS\s+CREATED$/);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^\S+\s+echoit\s+succeeded\s+1\s+200\s+\d{4}-\d\d-\d\dT/);
  });

  it('prints JSON with --json', async () => {
    const jobs = JSON.parse((await run(['async', 'list', '--function', 'echoit', '--json'])).stdout) as Job[];
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.function === 'echoit')).toBe(true);
  });

  it('fails with the gateway\'s 400 for an unknown state', async () => {
    const r = await run(['async', 'list', '--state', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/state must be one of .* \[\w+, HTTP 400\]/);
  });
});

describe('dead letters: skep async dead / redrive / purge', () => {
  let id: string;

  it('parks a call that keeps failing in the dead-letter queue', async () => {
    id = await submit(['hello', '--query', 'fail=1']);
    const job = await waitFor(id, (j) => j.state === 'dead');
    expect(job).toMatchObject({ function: 'hello', attempts: 1, lastStatus: 500 });
    const r = await run(['async', 'dead', '--function', 'hello']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${id}\\s+hello\\s+dead\\s+1\\s+500\\s`, 'm'));
    expect((await run(['async', 'show', id])).stdout).toMatch(/^Dead reason:\s+gave up after 1 attempts/m);
  });

  it('redrives it back into the queue', async () => {
    const r = await run(['async', 'redrive', id, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ callId: id, function: 'hello', state: 'queued', attempts: 0 });
    // it fails again and, with one attempt allowed, is dead once more
    await waitFor(id, (j) => j.state === 'dead' && j.attempts === 1);
  });

  it('purges it', async () => {
    expect(await run(['async', 'purge', id])).toMatchObject({ code: 0, stdout: 'Purged 1 dead-lettered request.\n' });
    const gone = await run(['async', 'show', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`Error: no async request ${id} \\[not_found, HTTP 404\\]`));
    expect((await run(['async', 'dead', '--function', 'hello'])).stdout).toBe('(the dead-letter queue is empty)\n');
  });

  it('purges a function\'s dead letters with --function', async () => {
    const ids = [await submit(['hello', '--query', 'fail=1']), await submit(['hello', '--query', 'fail=1'])];
    for (const i of ids) await waitFor(i, (j) => j.state === 'dead');
    const r = await run(['async', 'purge', '--function', 'hello', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ purged: 2 });
  });

  it('asks for a target before purging', async () => {
    const r = await run(['async', 'purge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give one of CALL_ID, --function NAME or --all');
  });
});

describe('unknown call ids', () => {
  it.each([
    [['async', 'show', 'no-such-id'], 'no async request no-such-id'],
    [['async', 'redrive', 'no-such-id'], 'no dead-lettered request no-such-id'],
    [['async', 'purge', 'no-such-id'], 'no dead-lettered request no-such-id'],
  ])('%j exits 1 with the gateway\'s 404', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: ${message} [not_found, HTTP 404]\n`);
  });
});
