import type Docker from 'dockerode';
import { makeServiceSpec, makeRegistryAuth, SpecOptions } from '../../../gateway/src/providers/swarm/spec';
import { statusFromService, isFunctionService, ServiceInfo } from '../../../gateway/src/providers/swarm/status';
import { parseCpu, parseMemory } from '../../../gateway/src/providers/swarm/resources';
import { translateDockerError } from '../../../gateway/src/providers/swarm/docker-errors';
import { ValidationError } from '../../../gateway/src/errors';
import type { FunctionDeployment } from '../../../gateway/src/providers/provider';

const opts: SpecOptions = {
  network: 'skep_functions',
  endpointMode: 'dnsrr',
  secrets: new Map([['api-key', { id: 'sec1', dockerName: 'api-key-2' }]]),
};
const fn: FunctionDeployment = { service: 'echoit', image: 'skep/echoit:latest' };
const container = (s: Docker.ServiceSpec) => (s.TaskTemplate as Docker.ContainerTaskSpec).ContainerSpec!;
const task = (s: Docker.ServiceSpec) => s.TaskTemplate as Docker.ContainerTaskSpec;

describe('parseMemory', () => {
  it.each([
    ['128m', 128 * 2 ** 20], ['1g', 2 ** 30], ['5Mi', 5 * 2 ** 20], ['64MB', 64 * 2 ** 20], ['1.5g', 1.5 * 2 ** 30], ['8388608', 8 * 2 ** 20],
  ])('parses %s', (raw, bytes) => expect(parseMemory(raw)).toBe(bytes));
  it.each(['', 'lots', '12x', '-5m', '1 g b', '0m'])('rejects %p', (raw) => expect(() => parseMemory(raw)).toThrow(ValidationError));
});

describe('parseCpu', () => {
  it.each([['0.5', 5e8], ['500m', 5e8], ['2', 2e9], ['100m', 1e8], ['1.25', 1.25e9]])('parses %s', (raw, nano) => expect(parseCpu(raw)).toBe(nano));
  it.each(['', 'half', '0.5m', '-1', '1e9', '0'])('rejects %p', (raw) => expect(() => parseCpu(raw)).toThrow(ValidationError));
});

describe('makeServiceSpec', () => {
  it('maps the minimal deployment with OpenFaaS defaults', () => {
    const s = makeServiceSpec(fn, opts);
    expect(s.Name).toBe('echoit');
    expect(container(s).Image).toBe('skep/echoit:latest');
    expect(s.Labels).toEqual({ 'com.openfaas.function': 'echoit', function: 'true', 'com.skep.managed': 'true' });
    expect(container(s).Labels).toEqual(s.Labels);
    expect(container(s).Env).toEqual([]);
    expect(task(s).Placement?.Constraints).toEqual(['node.platform.os == linux']);
    expect(task(s).Networks).toEqual([{ Target: 'skep_functions' }]);
    expect(task(s).RestartPolicy?.Condition).toBe('any');
    expect(s.UpdateConfig).toMatchObject({ Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' });
    expect(s.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(s.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(container(s).ReadOnly).toBe(false);
    expect(container(s).Mounts).toEqual([]);
  });

  it.each<[string, Partial<FunctionDeployment>, Partial<SpecOptions>, (s: Docker.ServiceSpec) => unknown, unknown]>([
    ['fprocess first, then envVars', { envProcess: 'cat', envVars: { A: '1', B: 'x=y' } }, {}, (s) => container(s).Env, ['fprocess=cat', 'A=1', 'B=x=y']],
    ['user labels', { labels: { 'com.skep.test': '1' } }, {}, (s) => s.Labels?.['com.skep.test'], '1'],
    ['annotations as prefixed labels', { annotations: { topic: 'cron' } }, {}, (s) => s.Labels?.['com.openfaas.annotations.topic'], 'cron'],
    ['given constraints replace the default', { constraints: ['node.role == worker'] }, {}, (s) => task(s).Placement?.Constraints, ['node.role == worker']],
    ['limits', { limits: { memory: '128m', cpu: '500m' } }, {}, (s) => task(s).Resources?.Limits, { MemoryBytes: 128 * 2 ** 20, NanoCPUs: 5e8 }],
    ['requests', { requests: { memory: '1g', cpu: '2' } }, {}, (s) => task(s).Resources?.Reservations, { MemoryBytes: 2 ** 30, NanoCPUs: 2e9 }],
    ['read-only root with a tmpfs /tmp', { readOnlyRootFilesystem: true }, {}, (s) => [container(s).ReadOnly, container(s).Mounts], [true, [{ Type: 'tmpfs', Target: '/tmp' }]]],
    ['the network of the request', { network: 'other' }, {}, (s) => task(s).Networks, [{ Target: 'other' }]],
    ['replicas from scale.min', { labels: { 'com.openfaas.scale.min': '3' } }, {}, (s) => s.Mode?.Replicated?.Replicas, 3],
    ['replicas kept by update', { labels: { 'com.openfaas.scale.min': '3' } }, { replicas: 5 }, (s) => s.Mode?.Replicated?.Replicas, 5],
    ['vip endpoint mode', {}, { endpointMode: 'vip' }, (s) => s.EndpointSpec, { Mode: 'vip' }],
    ['force update counter', {}, { forceUpdate: 7 }, (s) => task(s).ForceUpdate, 7],
    ['secrets mounted under /var/openfaas/secrets', { secrets: ['api-key'] }, {}, (s) => container(s).Secrets,
      [{ SecretID: 'sec1', SecretName: 'api-key-2', File: { Name: '/var/openfaas/secrets/api-key', UID: '0', GID: '0', Mode: 0o444 } }]],
  ])('maps %s', (_what, extra, o, pick, expected) => {
    expect(pick(makeServiceSpec({ ...fn, ...extra }, { ...opts, ...o }))).toEqual(expected);
  });

  it.each<[string, Partial<FunctionDeployment>]>([
    ['a bad name', { service: 'Echo_It' }],
    ['no image', { image: '' }],
    ['junk memory', { limits: { memory: 'lots' } }],
    ['junk cpu', { requests: { cpu: 'fast' } }],
    ['an unknown secret', { secrets: ['nope'] }],
    ['a duplicated secret', { secrets: ['api-key', 'api-key'] }],
    ['an annotation clashing with a label', { labels: { 'com.openfaas.annotations.a': 'x' }, annotations: { a: 'y' } }],
    ['a non-integer scale.min', { labels: { 'com.openfaas.scale.min': 'two' } }],
    ['a bad env name', { envVars: { 'A=B': '1' } }],
  ])('rejects %s with a ValidationError', (_what, extra) => {
    expect(() => makeServiceSpec({ ...fn, ...extra }, opts)).toThrow(ValidationError);
  });
});

describe('statusFromService', () => {
  it('reads a created spec back into the deployment it came from', () => {
    const dep: FunctionDeployment = {
      service: 'wc', image: 'skep/wordcount:latest', envProcess: 'wc', envVars: { A: '1' }, secrets: ['api-key'],
      labels: { 'com.skep.test': '1' }, annotations: { topic: 'x' }, limits: { memory: '128m', cpu: '0.5' },
      requests: { memory: '64m' }, readOnlyRootFilesystem: true, constraints: ['node.role == manager'],
    };
    const svc: ServiceInfo = { ID: 'id1', CreatedAt: '2026-01-01T00:00:00Z', Spec: makeServiceSpec(dep, opts) };
    expect(isFunctionService(svc)).toBe(true);
    expect(statusFromService(svc, 1)).toEqual({
      name: 'wc', image: 'skep/wordcount:latest', namespace: 'openfaas-fn', envProcess: 'wc', envVars: { A: '1' },
      constraints: ['node.role == manager'], secrets: ['api-key'],
      labels: { 'com.skep.test': '1', 'com.openfaas.function': 'wc', function: 'true' }, annotations: { topic: 'x' },
      limits: { memory: '128m', cpu: '0.5' }, requests: { memory: '64m' }, readOnlyRootFilesystem: true,
      invocationCount: 0, replicas: 1, availableReplicas: 1, createdAt: '2026-01-01T00:00:00Z',
    });
  });

  it('strips a pinned digest from the image', () => {
    const spec = makeServiceSpec(fn, opts);
    container(spec).Image = 'skep/echoit:latest@sha256:abc';
    expect(statusFromService({ ID: 'x', Spec: spec }).image).toBe('skep/echoit:latest');
  });

  it('does not take a global or unlabelled service for a function', () => {
    expect(isFunctionService({ ID: 'g', Spec: { Name: 'skep_gateway', Mode: { Replicated: { Replicas: 1 } } } })).toBe(false);
    expect(isFunctionService({ ID: 'g', Spec: { Name: 'x', Labels: { function: 'true' }, Mode: { Global: {} } } })).toBe(false);
  });
});

describe('makeRegistryAuth', () => {
  it('builds the auth for a private registry image', () => {
    const auth = makeRegistryAuth(Buffer.from('u:p:w').toString('base64'), 'reg.example.com:5000/team/fn:1');
    expect(auth).toEqual({ username: 'u', password: 'p:w', serveraddress: 'reg.example.com:5000' });
  });
  it('uses Docker Hub for an image without a registry host', () => {
    expect(makeRegistryAuth(Buffer.from('u:p').toString('base64'), 'team/fn')?.serveraddress).toBe('https://index.docker.io/v1/');
  });
  it('rejects junk', () => expect(() => makeRegistryAuth('bm9jb2xvbg', 'x')).toThrow(ValidationError));
});

describe('translateDockerError', () => {
  it.each<[string, unknown, number, RegExp]>([
    ['404', { statusCode: 404, message: '(HTTP code 404) no such service - service x not found' }, 404, /function "x" not found/],
    ['409', { statusCode: 409, message: 'name conflicts with an existing object' }, 409, /already exists/],
    ['refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 503, /Docker engine unreachable/],
    ['missing socket', Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }), 503, /Docker engine unreachable/],
    ['not a manager', { statusCode: 503, json: { message: 'This node is not a swarm manager. Use "docker swarm init"' } }, 503, /not a swarm manager/],
    ['other', { statusCode: 500, message: 'boom' }, 500, /boom/],
  ])('translates %s', (_what, err, status, msg) => {
    const out = translateDockerError(err, 'function "x"') as Error & { statusCode: number };
    expect(out.statusCode).toBe(status);
    expect(out.message).toMatch(msg);
  });
});

describe('makeServiceSpec defaults for Swarm', () => {
  const withDefaults = { ...opts, defaultEnv: { healthcheck_interval: '2s' }, healthCheck: { Interval: 2e9 } };

  it('adds default env the deployment does not set and hides it from status', () => {
    const s = makeServiceSpec({ ...fn, envVars: { A: '1' } }, withDefaults);
    expect(container(s).Env).toEqual(['A=1', 'healthcheck_interval=2s']);
    expect(container(s).HealthCheck).toEqual({ Interval: 2e9 });
    expect(statusFromService({ ID: 'x', Spec: s }).envVars).toEqual({ A: '1' });
    expect(statusFromService({ ID: 'x', Spec: s }).labels).not.toHaveProperty('com.skep.injected-env');
  });

  it('keeps the value the deployment sets', () => {
    const s = makeServiceSpec({ ...fn, envVars: { healthcheck_interval: '5s' } }, withDefaults);
    expect(container(s).Env).toEqual(['healthcheck_interval=5s']);
    expect(statusFromService({ ID: 'x', Spec: s }).envVars).toEqual({ healthcheck_interval: '5s' });
  });
});
