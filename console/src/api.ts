/** The gateway's public API as the console uses it: same origin, so the browser's basic-auth credentials come along. */

/** `GET /system/functions` item (OpenFaaS FunctionStatus). */
export interface FunctionStatus {
  name: string;
  image: string;
  namespace?: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  constraints?: string[];
  secrets?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  limits?: { memory?: string; cpu?: string };
  requests?: { memory?: string; cpu?: string };
  invocationCount?: number;
  replicas: number;
  availableReplicas?: number;
  createdAt?: string;
}

/** `POST /system/functions` body (OpenFaaS FunctionDeployment). */
export interface FunctionDeployment {
  service: string;
  image: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  secrets?: string[];
}

/** One entry of `GET /system/scale-events`. */
export interface ScaleEvent {
  function: string;
  from: number;
  to: number;
  /** alert, autoscaler, zero (scale from zero), idle, manual. */
  reason: string;
  time: string;
  detail?: string;
}

/** A non-2xx answer; `body` is the parsed `{ code, message, details? }` when the gateway sent JSON. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, message: string) {
    super(message);
  }
}

async function request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = { method, signal, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(path, init);
  if (res.ok) return res;
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain-text errors (e.g. 401 "invalid credentials") stay strings
  }
  const message = typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string'
    ? (parsed as { message: string }).message
    : text.trim() || `${res.status} ${res.statusText}`;
  throw new ApiError(res.status, parsed, message);
}

async function json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await request(method, path, body, signal);
  const text = await res.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

const enc = encodeURIComponent;

/** Lists every function. */
export const listFunctions = (signal?: AbortSignal) => json<FunctionStatus[]>('GET', '/system/functions', undefined, signal);
/** One function with its available replicas. */
export const getFunction = (name: string, signal?: AbortSignal) => json<FunctionStatus>('GET', `/system/function/${enc(name)}`, undefined, signal);
/** Deploys a new function. */
export const deployFunction = (fn: FunctionDeployment) => request('POST', '/system/functions', fn).then(() => undefined);
/** Deletes a function. */
export const deleteFunction = (name: string) => request('DELETE', '/system/functions', { functionName: name }).then(() => undefined);
/** Sets the desired replicas of a function. */
export const scaleFunction = (name: string, replicas: number) =>
  request('POST', `/system/scale-function/${enc(name)}`, { serviceName: name, replicas }).then(() => undefined);
/** Lists secret names. */
export const listSecrets = () => json<{ name: string }[]>('GET', '/system/secrets');
/** Recent scale events (newest last as the gateway keeps them); an empty list when the gateway has none. */
export const listScaleEvents = (signal?: AbortSignal) => json<ScaleEvent[]>('GET', '/system/scale-events', undefined, signal);

/** Prometheus text of the gateway's `/metrics` (unauthenticated, same origin). */
export async function fetchMetrics(signal?: AbortSignal): Promise<string> {
  const res = await fetch('/metrics', { signal, credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, null, `metrics: ${res.status}`);
  return res.text();
}

/** Opens `GET /system/logs?follow=true` (the last `tail` lines, or those from `since` on) and returns the streaming response. */
export function followLogs(name: string, from: { tail: number } | { since: string }, signal: AbortSignal): Promise<Response> {
  const start = 'since' in from ? `since=${enc(from.since)}` : `tail=${from.tail}`;
  return request('GET', `/system/logs?name=${enc(name)}&follow=true&${start}`, undefined, signal);
}

/** The scaling labels of a function with OpenFaaS's defaults. */
export function scaleBounds(fn: FunctionStatus): { min: number; max: number; zero: boolean } {
  const labels = fn.labels ?? {};
  const num = (key: string, dflt: number) => {
    const n = Number(labels[key]);
    return labels[key] !== undefined && Number.isFinite(n) ? n : dflt;
  };
  return { min: num('com.openfaas.scale.min', 1), max: num('com.openfaas.scale.max', 20), zero: labels['com.openfaas.scale.zero'] === 'true' };
}
