/** A fetch-based client for the OpenFaaS gateway API, as faas-cli uses it. */
import type { FunctionDeployment, FunctionStatus, LogMessage, Secret } from '../../gateway/src/providers/provider';

/** The gateway answered with an error status; carries its `{ code, message }` when it sent one. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** The gateway could not be reached at all (refused, DNS, timeout). */
export class UnreachableGatewayError extends Error {
  constructor(readonly gateway: string, cause: string) {
    super(`cannot reach the gateway at ${gateway}: ${cause}`);
    this.name = 'UnreachableGatewayError';
  }
}

/** What `/system/info` returns. */
export interface GatewayInfo {
  provider: { provider: string; orchestration: string; version: { sha: string; release: string } };
  version: { sha: string; release: string; commit_message?: string };
  arch: string;
}

/** Options for one invocation. */
export interface InvokeOptions {
  method?: string;
  body?: Buffer;
  query?: Record<string, string> | [string, string][];
  headers?: Record<string, string>;
  async?: boolean;
}

/** A function's answer, untouched. */
export interface InvokeResult {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** One async request as `/system/async` shows it (`headers` and base64 `body` only from the single-job routes). */
export interface AsyncJob {
  callId: string;
  function: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  deadReason?: string;
  method: string;
  path: string;
  query: string;
  callbackUrl?: string;
  idempotencyKey?: string;
  interrupted?: boolean;
  bodyBytes: number;
  createdAt: string;
  enqueuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  nextAttemptAt?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Options for `ready`: polling bounds. */
export interface ReadyOptions {
  timeoutMs: number;
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Talks to one gateway, with optional basic-auth credentials. */
export class GatewayClient {
  readonly gateway: string;

  constructor(
    gateway: string,
    private readonly auth?: { user: string; password: string },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.gateway = gateway.replace(/\/+$/, '');
  }

  /** Lists every function (`GET /system/functions`). */
  async list(): Promise<FunctionStatus[]> {
    return (await this.json('GET', '/system/functions')) as FunctionStatus[];
  }

  /** One function's status (`GET /system/function/:name`). */
  async describe(name: string): Promise<FunctionStatus> {
    return (await this.json('GET', `/system/function/${encodeURIComponent(name)}`)) as FunctionStatus;
  }

  /** Updates a function, creating it when the gateway says it does not exist (PUT, then POST on 404). */
  async deploy(fn: FunctionDeployment): Promise<{ status: number; created: boolean }> {
    try {
      const res = await this.request('PUT', '/system/functions', fn);
      return { status: res.status, created: false };
    } catch (err) {
      if (!(err instanceof GatewayError) || err.status !== 404) throw err;
    }
    const res = await this.request('POST', '/system/functions', fn);
    return { status: res.status, created: true };
  }

  /** Removes a function (`DELETE /system/functions` with `{ functionName }`). */
  async remove(name: string): Promise<void> {
    await this.request('DELETE', '/system/functions', { functionName: name });
  }

  /** Sets a function's desired replicas. */
  async scale(name: string, replicas: number): Promise<void> {
    await this.request('POST', `/system/scale-function/${encodeURIComponent(name)}`, { serviceName: name, replicas });
  }

  /** Gateway and provider versions. */
  async info(): Promise<GatewayInfo> {
    return (await this.json('GET', '/system/info')) as GatewayInfo;
  }

  /** Namespaces the provider knows. */
  async namespaces(): Promise<string[]> {
    return (await this.json('GET', '/system/namespaces')) as string[];
  }

  /** Secret names (values are never listed). */
  async listSecrets(): Promise<Secret[]> {
    return (await this.json('GET', '/system/secrets')) as Secret[];
  }

  /** Creates a secret. */
  async createSecret(name: string, value: string): Promise<void> {
    await this.request('POST', '/system/secrets', { name, value });
  }

  /** Replaces a secret's value. */
  async updateSecret(name: string, value: string): Promise<void> {
    await this.request('PUT', '/system/secrets', { name, value });
  }

  /** Removes a secret. */
  async removeSecret(name: string): Promise<void> {
    await this.request('DELETE', '/system/secrets', { name });
  }

  /** Async requests, newest first (`GET /system/async`, or `/system/async/dead` with `dead`). */
  async asyncList(q: { function?: string; state?: string; limit?: number; dead?: boolean } = {}): Promise<AsyncJob[]> {
    const params = new URLSearchParams();
    if (q.function) params.set('function', q.function);
    if (q.state && !q.dead) params.set('state', q.state);
    if (q.limit !== undefined) params.set('limit', String(q.limit));
    const qs = params.toString();
    return (await this.json('GET', `/system/async${q.dead ? '/dead' : ''}${qs ? `?${qs}` : ''}`)) as AsyncJob[];
  }

  /** One async request with its stored headers and base64 body (`GET /system/async/:callId`). */
  async asyncGet(callId: string): Promise<AsyncJob> {
    return (await this.json('GET', `/system/async/${encodeURIComponent(callId)}`)) as AsyncJob;
  }

  /** Queues a dead-lettered request again (`POST /system/async/dead/:callId/redrive`). */
  async asyncRedrive(callId: string): Promise<AsyncJob> {
    const res = await this.request('POST', `/system/async/dead/${encodeURIComponent(callId)}/redrive`);
    return (await res.json()) as AsyncJob;
  }

  /** Purges one dead-lettered request, or every one (of a function); returns how many went. */
  async asyncPurge(target: { callId?: string; function?: string }): Promise<number> {
    const path = target.callId
      ? `/system/async/dead/${encodeURIComponent(target.callId)}`
      : `/system/async/dead${target.function ? `?${new URLSearchParams({ function: target.function })}` : ''}`;
    const res = await this.request('DELETE', path);
    return ((await res.json()) as { purged: number }).purged;
  }

  /** Calls a function (or queues it with `async`); any status comes back, nothing is thrown for a function's error. */
  async invoke(name: string, opts: InvokeOptions = {}): Promise<InvokeResult> {
    const base = opts.async ? '/async-function/' : '/function/';
    const qs = new URLSearchParams(opts.query ?? []).toString();
    const method = (opts.method ?? 'POST').toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const res = await this.send(`${base}${encodeURIComponent(name)}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { ...this.authHeader(), ...(opts.headers ?? {}) },
      body: hasBody ? (opts.body ?? Buffer.alloc(0)) : undefined,
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  /** Streams log lines (`GET /system/logs`, NDJSON) until the gateway ends the stream or `signal` aborts. */
  async *logs(name: string, q: { follow?: boolean; since?: string; tail?: number }, signal?: AbortSignal): AsyncGenerator<LogMessage> {
    const params = new URLSearchParams({ name, follow: String(!!q.follow) });
    if (q.since) params.set('since', q.since);
    if (q.tail !== undefined) params.set('tail', String(q.tail));
    const res = await this.send(`/system/logs?${params}`, { method: 'GET', headers: this.authHeader(), signal });
    if (!res.ok) throw await toGatewayError(res);
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) yield JSON.parse(line) as LogMessage;
      }
    }
    if (buf.trim()) yield JSON.parse(buf) as LogMessage;
  }

  /** Polls until the function has an available replica; throws after `timeoutMs` with the last status seen. */
  async ready(name: string, opts: ReadyOptions): Promise<FunctionStatus> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = opts.now ?? Date.now;
    const deadline = now() + opts.timeoutMs;
    for (;;) {
      const st = await this.describe(name);
      if (st.availableReplicas > 0) return st;
      if (now() >= deadline) {
        throw new GatewayError(0, 'not_ready', `function "${name}" has no available replica after ${opts.timeoutMs / 1000}s (replicas ${st.replicas}, available ${st.availableReplicas})`);
      }
      await sleep(opts.intervalMs);
    }
  }

  private async json(method: string, path: string): Promise<unknown> {
    const res = await this.request(method, path);
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayError(res.status, 'bad_response', `${method} ${path} returned a body that is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /** Sends a request with an optional JSON body; throws GatewayError for any status outside 2xx. */
  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { ...this.authHeader() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw await toGatewayError(res);
    return res;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.gateway}${path}`, { ...init, redirect: 'manual' });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new UnreachableGatewayError(this.gateway, cause?.code ?? cause?.message ?? (err as Error).message);
    }
  }

  private authHeader(): Record<string, string> {
    if (!this.auth) return {};
    return { authorization: `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}` };
  }
}

/** Builds a GatewayError from an error response, preferring its JSON `{ code, message }`, else its text. */
export async function toGatewayError(res: Response): Promise<GatewayError> {
  const text = (await res.text().catch(() => '')).trim();
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (body && typeof body.message === 'string') return new GatewayError(res.status, typeof body.code === 'string' ? body.code : `http_${res.status}`, body.message);
  } catch {
    // not JSON: OpenFaaS components answer with plain text
  }
  return new GatewayError(res.status, `http_${res.status}`, text || res.statusText || `HTTP ${res.status}`);
}
