import { ConflictError, NotFoundError, SkepError, UnavailableError, ValidationError } from '../../errors';

interface DockerishError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
}

/** The engine's own message, without dockerode's `(HTTP code 404) no such service - ` prefix. */
export function dockerMessage(err: unknown): string {
  const e = err as DockerishError;
  const msg = e?.json?.message ?? e?.message ?? String(err);
  return msg.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** True for Swarm's optimistic-concurrency failure, which one retry with a fresh version index fixes. */
export function isOutOfSequence(err: unknown): boolean {
  return /update out of sequence/i.test(dockerMessage(err));
}

/** Translates a Docker error into Skep's typed errors; `what` names the object, e.g. `function "echoit"`. */
export function translateDockerError(err: unknown, what: string): Error {
  if (err instanceof SkepError) return err;
  const e = err as DockerishError;
  const msg = dockerMessage(err);
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'ECONNRESET') {
    return new UnavailableError(`Docker engine unreachable (${e.code}): is dockerd running and its socket mounted?`, 'docker_unavailable');
  }
  if (/not a swarm manager|not part of a swarm|swarm mode/i.test(msg) || e?.statusCode === 503) {
    return new UnavailableError(`Docker is not a swarm manager: run the gateway on a manager node (${msg})`, 'docker_unavailable');
  }
  if (e?.statusCode === 404) return new NotFoundError(`${what} not found`);
  if (e?.statusCode === 409 || /already exists|name conflicts/i.test(msg)) return new ConflictError(`${what} already exists`);
  if (e?.statusCode === 400) return new ValidationError(`Docker rejected ${what}: ${msg}`);
  return new SkepError(500, 'docker_error', `Docker error for ${what}: ${msg}`);
}
