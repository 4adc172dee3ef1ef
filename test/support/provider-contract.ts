/// <reference types="jest" />
/** The shared provider contract: every Provider (fake, local, swarm) runs these behaviours through its own test file. */
import { ConflictError, NotFoundError, SkepError } from '../../gateway/src/errors';
import type { FunctionDeployment, LogMessage, Provider } from '../../gateway/src/providers/provider';

/** Knobs for slow providers (Swarm): timeouts, polling, and the deployment each test uses. */
export interface ContractOptions {
  /** Builds a deployable function named `name` (image and envProcess that this provider can run). */
  deployment: (name: string) => FunctionDeployment;
  /** Jest timeout of each test (default 30 s). */
  testTimeoutMs?: number;
  /** How long to wait for replicas to become ready (default 20 s). */
  readyTimeoutMs?: number;
  /** Poll interval while waiting (default 100 ms). */
  pollMs?: number;
  /** Prefix of function and secret names, so runs on a shared engine do not collide (default `ct`). */
  prefix?: string;
  /** Whether secrets can be updated in place (Swarm's are immutable). Default true. */
  secretUpdate?: boolean;
  /** Whether replicas print at least one log line on start (a watchdog does). Default true. */
  logsOnStart?: boolean;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs: number, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await check();
  while (!last && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pollMs));
    last = await check();
  }
  return last;
}

async function rejection(p: () => Promise<unknown>): Promise<unknown> {
  try {
    await p();
  } catch (err) {
    return err;
  }
  return undefined;
}

async function collectLogs(provider: Provider, name: string, follow = false, ms = 2000): Promise<LogMessage[]> {
  const out: LogMessage[] = [];
  const signal = AbortSignal.timeout(ms);
  for await (const m of provider.logs({ name, follow }, signal)) {
    out.push(m);
    if (follow) break;
  }
  return out;
}

/** Registers the contract tests for one provider; `makeProvider` is called once per test and must clean up after itself. */
export function providerContract(name: string, makeProvider: () => Promise<{ provider: Provider; cleanup: () => Promise<void> }>, opts: ContractOptions): void {
  const t = opts.testTimeoutMs ?? 30_000;
  const ready = opts.readyTimeoutMs ?? 20_000;
  const poll = opts.pollMs ?? 100;
  const prefix = opts.prefix ?? 'ct';
  let n = 0;
  const fresh = () => `${prefix}-${process.pid % 10000}-${++n}`;

  describe(`provider contract: ${name}`, () => {
    let provider: Provider;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ provider, cleanup } = await makeProvider()), t);
    afterEach(async () => cleanup(), t);

    it('deploys a function that list and status report with every field', async () => {
      const fn = fresh();
      const spec = { ...opts.deployment(fn), labels: { team: 'a' }, annotations: { topic: 'x' } };
      await provider.deploy(spec);
      const list = await provider.list();
      const listed = list.find((f) => f.name === fn);
      expect(listed).toBeDefined();
      expect(typeof listed!.availableReplicas).toBe('number');
      const st = await provider.status(fn);
      expect(st).toMatchObject({ name: fn, image: spec.image, replicas: 1, invocationCount: 0 });
      expect(st.labels).toMatchObject({ team: 'a' });
      expect(st.annotations).toMatchObject({ topic: 'x' });
      expect(Number.isNaN(Date.parse(st.createdAt))).toBe(false);
      for (const k of ['envProcess', 'envVars', 'constraints', 'secrets', 'limits', 'requests', 'namespace'] as const) expect(st[k]).toBeDefined();
    }, t);

    it('rejects a second deploy of the same name with ConflictError', async () => {
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      expect(await rejection(() => provider.deploy(opts.deployment(fn)))).toBeInstanceOf(ConflictError);
    }, t);

    it.each([
      ['status', (p: Provider, f: string) => p.status(f)],
      ['update', (p: Provider, f: string) => p.update(opts.deployment(f))],
      ['remove', (p: Provider, f: string) => p.remove(f)],
      ['scale', (p: Provider, f: string) => p.scale(f, 1)],
      ['resolve', (p: Provider, f: string) => p.resolve(f)],
      ['logs', (p: Provider, f: string) => collectLogs(p, f)],
    ])('throws NotFoundError from %s for an unknown function', async (_op, call) => {
      expect(await rejection(() => call(provider, fresh()))).toBeInstanceOf(NotFoundError);
    }, t);

    it('becomes ready and resolves one endpoint per ready replica', async () => {
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      const eps = await eventually(async () => ((await provider.resolve(fn)).length === 1 ? provider.resolve(fn) : null), ready, poll);
      expect(eps).toHaveLength(1);
      expect(eps![0].url).toMatch(/^http:\/\//);
      expect((await provider.status(fn)).availableReplicas).toBe(1);
    }, t);

    it('scales up and down', async () => {
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      await provider.scale(fn, 2);
      expect((await provider.status(fn)).replicas).toBe(2);
      const two = await eventually(async () => (await provider.status(fn)).availableReplicas === 2, ready, poll);
      expect(two).toBe(true);
      expect(new Set((await provider.resolve(fn)).map((e) => e.url)).size).toBe(2);
      await provider.scale(fn, 0);
      expect((await provider.status(fn)).replicas).toBe(0);
      expect(await eventually(async () => (await provider.resolve(fn)).length === 0, ready, poll)).toBe(true);
    }, t);

    it('updates the image, env and labels of a function', async () => {
      const fn = fresh();
      const spec = opts.deployment(fn);
      await provider.deploy(spec);
      await provider.update({ ...spec, envVars: { ...spec.envVars, extra: 'yes' }, labels: { team: 'b' } });
      const st = await provider.status(fn);
      expect(st.envVars).toMatchObject({ extra: 'yes' });
      expect(st.labels).toMatchObject({ team: 'b' });
    }, t);

    it('removes a function so it is no longer listed', async () => {
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      await provider.remove(fn);
      expect((await provider.list()).some((f) => f.name === fn)).toBe(false);
      expect(await rejection(() => provider.status(fn))).toBeInstanceOf(NotFoundError);
    }, t);

    it('creates, lists, updates and removes secrets without ever listing a value', async () => {
      const s = fresh();
      await provider.createSecret({ name: s, value: 'one' });
      expect(await rejection(() => provider.createSecret({ name: s, value: 'again' }))).toBeInstanceOf(ConflictError);
      const listed = (await provider.listSecrets()).find((x) => x.name === s);
      expect(listed).toBeDefined();
      expect(listed!.value ?? '').toBe('');
      if (opts.secretUpdate !== false) await provider.updateSecret({ name: s, value: 'two' });
      await provider.removeSecret(s);
      expect((await provider.listSecrets()).some((x) => x.name === s)).toBe(false);
      expect(await rejection(() => provider.removeSecret(s))).toBeInstanceOf(NotFoundError);
      if (opts.secretUpdate !== false) expect(await rejection(() => provider.updateSecret({ name: s, value: 'x' }))).toBeInstanceOf(NotFoundError);
    }, t);

    it('refuses to deploy a function naming a secret that does not exist', async () => {
      const err = await rejection(() => provider.deploy({ ...opts.deployment(fresh()), secrets: [`${fresh()}-missing`] }));
      expect(err).toBeInstanceOf(SkepError);
      expect((err as SkepError).statusCode).toBe(400);
    }, t);

    it('serves log lines of a function with its name and instance', async () => {
      if (opts.logsOnStart === false) return;
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      const lines = await eventually(async () => {
        const got = await collectLogs(provider, fn);
        return got.length ? got : null;
      }, ready, poll);
      expect(lines![0]).toMatchObject({ name: fn });
      expect(typeof lines![0].instance).toBe('string');
      expect(Number.isNaN(Date.parse(lines![0].timestamp))).toBe(false);
    }, t);

    it('follows new log lines until the signal aborts', async () => {
      if (opts.logsOnStart === false) return;
      const fn = fresh();
      await provider.deploy(opts.deployment(fn));
      const first = await collectLogs(provider, fn, true, ready);
      expect(first.length).toBe(1);
    }, t);
  });
}
