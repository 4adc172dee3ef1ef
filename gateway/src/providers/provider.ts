/**
 * The one seam between the gateway and an orchestrator. Providers speak only these domain types
 * (shaped like OpenFaaS's faas-provider types), never Docker's or a child process's.
 */

/** Memory and CPU as OpenFaaS sends them: `{ memory: "128m", cpu: "0.5" }`. */
export interface ResourceSpec {
  memory?: string;
  cpu?: string;
}

/** The body of `POST/PUT /system/functions`. */
export interface FunctionDeployment {
  service: string;
  image: string;
  namespace?: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  constraints?: string[];
  secrets?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  limits?: ResourceSpec;
  requests?: ResourceSpec;
  readOnlyRootFilesystem?: boolean;
  network?: string;
  registryAuth?: string;
}

/** What `GET /system/functions` and `GET /system/function/:name` return for one function. */
export interface FunctionStatus {
  name: string;
  image: string;
  namespace: string;
  envProcess: string;
  envVars: Record<string, string>;
  constraints: string[];
  secrets: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  limits: ResourceSpec;
  requests: ResourceSpec;
  readOnlyRootFilesystem: boolean;
  /** Filled by the gateway from its own counters; providers return 0. */
  invocationCount: number;
  /** Desired replicas. */
  replicas: number;
  /** Replicas that are running and answer their readiness check. */
  availableReplicas: number;
  /** RFC 3339. */
  createdAt: string;
}

/** A secret as listed; `value` is never returned by a list. */
export interface Secret {
  name: string;
  namespace?: string;
  value?: string;
  /** Base64 bytes, as the latest OpenFaaS API allows. */
  rawValue?: string;
}

/** A query for `GET /system/logs`. */
export interface LogRequest {
  name: string;
  instance?: string;
  since?: Date;
  /** Last N lines; undefined or <= 0 means all. */
  tail?: number;
  follow: boolean;
}

/** One log line, as NDJSON on `/system/logs`. */
export interface LogMessage {
  name: string;
  namespace: string;
  instance: string;
  timestamp: string;
  text: string;
}

/** A place a request can be sent: one ready replica of a function. */
export interface Endpoint {
  /** Stable id of the replica (task id, or local replica id). */
  id: string;
  /** Base URL of its watchdog, e.g. `http://127.0.0.1:40123`. */
  url: string;
}

/** Version and orchestration, for `/system/info`. */
export interface ProviderInfo {
  provider: string;
  orchestration: string;
  version: { sha: string; release: string };
}

/** Every provider implements this; the shared contract suite (test/support/provider-contract.ts) checks it. */
export interface Provider {
  readonly info: ProviderInfo;
  deploy(fn: FunctionDeployment): Promise<void>;
  update(fn: FunctionDeployment): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<FunctionStatus[]>;
  /** Throws NotFoundError when the function does not exist. */
  status(name: string): Promise<FunctionStatus>;
  scale(name: string, replicas: number): Promise<void>;
  /** Ready endpoints of a function; empty when none is ready. Throws NotFoundError for an unknown function. */
  resolve(name: string): Promise<Endpoint[]>;
  logs(req: LogRequest, signal: AbortSignal): AsyncIterable<LogMessage>;
  listSecrets(): Promise<Secret[]>;
  createSecret(secret: Secret): Promise<void>;
  updateSecret(secret: Secret): Promise<void>;
  removeSecret(name: string): Promise<void>;
  /** Stops every loop, timer and child the provider owns (the local provider stops its replicas). */
  close(): Promise<void>;
}
