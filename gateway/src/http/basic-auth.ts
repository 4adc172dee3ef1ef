/** Basic auth for `/system/*` and `/ui/`: credentials from files, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors';

/** A user name and password pair. */
export interface Credentials {
  user: string;
  password: string;
}

/** Reads `basic-auth-user` and `basic-auth-password` under `dir` (trimmed, as OpenFaaS does). */
export function readCredentials(dir: string): Credentials {
  const read = (f: string) => {
    const value = readFileSync(join(dir, f), 'utf8').trim();
    if (!value) throw new Error(`basic_auth is on but ${join(dir, f)} is empty`);
    return value;
  };
  return { user: read('basic-auth-user'), password: read('basic-auth-password') };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** True when `header` (an Authorization value) carries exactly `expected`; timing does not depend on the secret. */
export function credentialsMatch(header: string | undefined, expected: Credentials): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  // Equal-length digests so timingSafeEqual never throws and never leaks the length.
  const userOk = timingSafeEqual(digest(user), digest(expected.user));
  const passOk = timingSafeEqual(digest(password), digest(expected.password));
  return m !== null && colon >= 0 && userOk && passOk;
}

/** Express middleware answering 401 + `WWW-Authenticate: Basic realm="Restricted"` unless the credentials match. */
export function basicAuth(expected: Credentials): RequestHandler {
  return (req, _res, next) => {
    next(credentialsMatch(req.headers.authorization, expected) ? undefined : new UnauthorizedError());
  };
}
