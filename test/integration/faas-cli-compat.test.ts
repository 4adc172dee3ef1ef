/**
 * Replays the HTTP requests faas-cli 0.16/0.17 makes (reference §1 and §5) against a real gateway (local provider),
 * and checks the responses have the status codes and shapes faas-cli accepts and parses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { ensureBuilt, makeProject, ROOT, startGateway, TestGateway } from '../support/skep-cli';

jest.setTimeout(120_000);

const UA = { 'user-agent': 'faas-cli/0.17.0' };
let gw: TestGateway;
let project: ReturnType<typeof makeProject>;

beforeAll(async () => {
  ensureBuilt();
  project = makeProject();
  gw = await startGateway({ stack_file: project.stackFile });
});

afterAll(async () => {
  await gw?.stop();
  project?.cleanup();
});

/** One request as faas-cli sends it: JSON body, its User-Agent, no redirects followed. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const init: RequestInit = { method, headers: { ...UA, ...headers }, redirect: 'manual' };
  if (body !== undefined) {
    init.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${gw.url}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** faas-cli decodes FunctionStatus with Go's encoding/json: these are the types it needs. */
function expectGoFunctionStatus(s: Record<string, unknown>): void {
  expect(typeof s.name).toBe('string');
  expect(typeof s.image).toBe('string');
  expect(typeof s.invocationCount).toBe('number');
  for (const k of ['replicas', 'availableReplicas']) {
    expect(Number.isInteger(s[k])).toBe(true);
    expect(s[k] as number).toBeGreaterThanOrEqual(0);
  }
  if (s.envProcess !== undefined) expect(typeof s.envProcess).toBe('string');
  for (const k of ['labels', 'annotations', 'envVars']) if (s[k] !== undefined && s[k] !== null) expect(typeof s[k]).toBe('object');
  // A time.Time field must be absent or RFC 3339: an empty string fails the whole decode.
  if (s.createdAt !== undefined) expect(Number.isNaN(Date.parse(s.createdAt as string))).toBe(false);
}

const ok = [200, 201, 202];

/** The fprocess faas-cli would send for a node function: the template's, when it has one. */
function nodeTemplateFprocess(): string | undefined {
  const file = join(ROOT, 'functions/templates/node/template.yml');
  if (!existsSync(file)) return undefined;
  const t = YAML.parse(readFileSync(file, 'utf8')) as { fprocess?: string };
  return t.fprocess;
}

describe('faas-cli deploy -f (PUT, then POST on 404)', () => {
  const body = () => ({
    service: 'echoit',
    image: 'skep-test/echoit:latest',
    ...(nodeTemplateFprocess() ? { envProcess: nodeTemplateFprocess() } : {}),
    envVars: { write_timeout: '10s' },
    labels: { 'com.openfaas.scale.min': '1' },
    annotations: { topic: 'demo' },
    readOnlyRootFilesystem: false,
  });

  it('answers 404 to PUT of a function that does not exist', async () => {
    expect((await call('PUT', '/system/functions', body())).status).toBe(404);
  });

  it('accepts the POST faas-cli retries with', async () => {
    expect(ok).toContain((await call('POST', '/system/functions', body())).status);
  });

  it('accepts a PUT for the function now deployed', async () => {
    expect(ok).toContain((await call('PUT', '/system/functions', body())).status);
  });
});

describe('faas-cli deploy --image --name --fprocess', () => {
  it('deploys an image outside the catalog that runs fprocess', async () => {
    const r = await call('PUT', '/system/functions', { service: 'cat', image: 'functions/alpine:latest', envProcess: 'cat', namespace: 'openfaas-fn', labels: {}, annotations: {} });
    expect(r.status).toBe(404);
    expect(ok).toContain((await call('POST', '/system/functions', { service: 'cat', image: 'functions/alpine:latest', envProcess: 'cat', namespace: 'openfaas-fn', labels: {}, annotations: {} })).status);
  });
});

describe('faas-cli ready / describe', () => {
  it.each(['echoit', 'cat'])('GET /system/function/%s reaches availableReplicas > 0', async (name) => {
    let st: Record<string, unknown> = {};
    for (let i = 0; i < 120; i++) {
      const r = await call('GET', `/system/function/${name}?namespace=openfaas-fn`);
      expect(r.status).toBe(200);
      st = JSON.parse(r.text) as Record<string, unknown>;
      if ((st.availableReplicas as number) > 0) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expectGoFunctionStatus(st);
    expect(st).toMatchObject({ name, availableReplicas: expect.any(Number) });
    expect(st.availableReplicas as number).toBeGreaterThan(0);
  });

  it('describes without a namespace too, with the deployed labels and annotations', async () => {
    const r = await call('GET', '/system/function/echoit');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const st = JSON.parse(r.text) as Record<string, unknown>;
    expect(st).toMatchObject({ name: 'echoit', image: 'skep-test/echoit:latest', labels: expect.objectContaining({ 'com.openfaas.scale.min': '1' }), annotations: { topic: 'demo' } });
  });

  it('answers 404 for an unknown function', async () => {
    expect((await call('GET', '/system/function/nope?namespace=openfaas-fn')).status).toBe(404);
  });

  it('GET /healthz answers 200 (faas-cli ready without a name)', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});

describe('faas-cli list', () => {
  it.each(['/system/functions', '/system/functions?namespace=openfaas-fn'])('GET %s returns FunctionStatus[]', async (path) => {
    const r = await call('GET', path);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const list = JSON.parse(r.text) as Record<string, unknown>[];
    expect(list.map((f) => f.name).sort()).toEqual(['cat', 'echoit']);
    list.forEach(expectGoFunctionStatus);
  });
});

describe('faas-cli invoke', () => {
  it('POST /function/<name>.openfaas-fn with text/plain returns the function output', async () => {
    const r = await call('POST', '/function/echoit.openfaas-fn', 'hello faas-cli', { 'content-type': 'text/plain' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('hello faas-cli');
  });

  it('invokes a classic fprocess function the same way', async () => {
    const r = await call('POST', '/function/cat.openfaas-fn', 'meow', { 'content-type': 'text/plain' });
    expect(r).toMatchObject({ status: 200, text: 'meow' });
  });

  it('POST /async-function/<name>.openfaas-fn answers 202 (faas-cli invoke --async)', async () => {
    const r = await call('POST', '/async-function/echoit.openfaas-fn', 'later', { 'content-type': 'text/plain' });
    expect(r.status).toBe(202);
  });

  it('passes --query and --header through', async () => {
    const r = await call('GET', '/function/echoit.openfaas-fn?a=1', undefined, { 'x-custom': 'v' });
    expect(r.status).toBe(200);
  });

  it('answers a non-2xx for an unknown function, which faas-cli reports as an error', async () => {
    const r = await call('POST', '/function/nope.openfaas-fn', 'x', { 'content-type': 'text/plain' });
    expect(r.status).toBeGreaterThanOrEqual(400);
  });
});

describe('faas-cli logs', () => {
  it('GET /system/logs?name=&namespace=&follow=false&tail=-1 streams NDJSON log.Message lines', async () => {
    await call('POST', '/function/echoit.openfaas-fn', 'log me', { 'content-type': 'text/plain' });
    const r = await call('GET', '/system/logs?name=echoit&namespace=openfaas-fn&follow=false&tail=-1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = r.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const m of lines) {
      expect(m).toEqual(expect.objectContaining({ name: 'echoit', instance: expect.any(String), text: expect.any(String), timestamp: expect.any(String) }));
      expect(Number.isNaN(Date.parse(m.timestamp as string))).toBe(false);
    }
  });

  it('accepts since as RFC 3339 and a positive tail', async () => {
    const since = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const r = await call('GET', `/system/logs?name=echoit&follow=false&tail=5&since=${encodeURIComponent(since)}`);
    expect(r.status).toBe(200);
    expect(r.text.split('\n').filter(Boolean).length).toBeLessThanOrEqual(5);
  });
});

describe('faas-cli secret create|list|remove', () => {
  it('POST creates (200/201/202), a second POST is 409', async () => {
    expect(ok).toContain((await call('POST', '/system/secrets', { name: 'db-pass', value: 'hunter2' })).status);
    expect((await call('POST', '/system/secrets', { name: 'db-pass', value: 'again' })).status).toBe(409);
  });

  it('POST with rawValue (--from-file) creates too', async () => {
    expect(ok).toContain((await call('POST', '/system/secrets', { name: 'cert', rawValue: Buffer.from([0, 1, 2]).toString('base64') })).status);
  });

  it('GET lists names without values', async () => {
    const r = await call('GET', '/system/secrets');
    expect(r.status).toBe(200);
    const list = JSON.parse(r.text) as { name: string; value?: string }[];
    expect(list.map((s) => s.name).sort()).toEqual(['cert', 'db-pass']);
    expect(list.every((s) => !s.value)).toBe(true);
  });

  it('accepts the namespace faas-cli 0.17 adds to the body and the query', async () => {
    expect(ok).toContain((await call('POST', '/system/secrets?namespace=openfaas-fn', { name: 'ns-secret', value: 'v', namespace: 'openfaas-fn' })).status);
    const list = JSON.parse((await call('GET', '/system/secrets?namespace=openfaas-fn')).text) as { name: string }[];
    expect(list.map((x) => x.name)).toContain('ns-secret');
    expect([200, 202, 204]).toContain((await call('DELETE', '/system/secrets?namespace=openfaas-fn', { name: 'ns-secret', namespace: 'openfaas-fn' })).status);
  });

  it('DELETE removes (200/202/204), then 404', async () => {
    expect([200, 202, 204]).toContain((await call('DELETE', '/system/secrets', { name: 'db-pass' })).status);
    expect([200, 202, 204]).toContain((await call('DELETE', '/system/secrets', { name: 'cert' })).status);
    expect((await call('DELETE', '/system/secrets', { name: 'db-pass' })).status).toBe(404);
  });
});

describe('faas-cli namespace list and version', () => {
  it('GET /system/namespaces returns a JSON array of strings', async () => {
    const r = await call('GET', '/system/namespaces');
    expect(r.status).toBe(200);
    const list = JSON.parse(r.text) as unknown[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.every((n) => typeof n === 'string')).toBe(true);
  });

  it('GET /system/info returns the provider and version objects faas-cli prints', async () => {
    const r = await call('GET', '/system/info');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual(
      expect.objectContaining({
        provider: expect.objectContaining({ provider: expect.any(String), orchestration: expect.any(String), version: expect.objectContaining({ sha: expect.any(String), release: expect.any(String) }) }),
        version: expect.objectContaining({ sha: expect.any(String), release: expect.any(String) }),
        arch: expect.any(String),
      }),
    );
  });
});

describe('faas-cli remove', () => {
  it('DELETE /system/functions {functionName} answers 200/202, then 404 ("No existing function to remove")', async () => {
    expect(ok).toContain((await call('DELETE', '/system/functions', { functionName: 'cat' })).status);
    expect((await call('DELETE', '/system/functions', { functionName: 'cat' })).status).toBe(404);
  });

  it('accepts the namespace faas-cli adds', async () => {
    expect(ok).toContain((await call('DELETE', '/system/functions?namespace=openfaas-fn', { functionName: 'echoit', namespace: 'openfaas-fn' })).status);
    const list = JSON.parse((await call('GET', '/system/functions')).text) as unknown[];
    expect(list).toEqual([]);
  });
});
