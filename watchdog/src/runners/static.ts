/** `static` mode: serve a folder, never a file outside it. */
import { createReadStream, realpath, realpathSync, stat } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { durationSince, sendError } from '../respond';
import type { Runner } from './runner';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
  '.webp': 'image/webp', '.woff2': 'font/woff2', '.xml': 'application/xml', '.pdf': 'application/pdf',
};

/** Maps a request path into root, or returns null when it would leave root (`..`, encoded or not, or a NUL byte). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Serves files under static_path with GET and HEAD, `index.html` for folders. */
export class StaticRunner implements Runner {
  private realRoot: string;

  constructor(private readonly root: string) {
    this.realRoot = resolve(root);
  }

  /** Resolves the folder's real path once, so symbolic links inside it cannot lead out of it. */
  async start(): Promise<void> {
    this.realRoot = realpathSync(this.root);
  }

  /** Nothing to stop. */
  async stop(): Promise<void> {}

  /** Streams the file the path names, or answers 404/405. */
  handle(req: IncomingMessage, res: ServerResponse, start: number): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', 'static mode serves GET and HEAD only', start);
    const asked = resolveInside(this.root, req.url as string);
    if (!asked) return sendError(res, 404, 'not_found', 'no such file', start);
    realpath(asked, (e, path) => {
      if (e || (path !== this.realRoot && !path.startsWith(this.realRoot + sep))) return sendError(res, 404, 'not_found', 'no such file', start);
      this.serve(path, req, res, start);
    });
  }

  private serve(path: string, req: IncomingMessage, res: ServerResponse, start: number): void {
    stat(path, (err, st) => {
      if (!err && st.isDirectory()) return this.send(join(path, 'index.html'), req, res, start);
      if (err || !st.isFile()) return sendError(res, 404, 'not_found', 'no such file', start);
      this.send(path, req, res, start);
    });
  }

  private send(path: string, req: IncomingMessage, res: ServerResponse, start: number): void {
    stat(path, (err, st) => {
      if (err || !st.isFile()) return sendError(res, 404, 'not_found', 'no such file', start);
      res.writeHead(200, {
        'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
        'content-length': st.size,
        'X-Duration-Seconds': durationSince(start),
      });
      if (req.method === 'HEAD') return void res.end();
      const file = createReadStream(path);
      file.once('error', () => res.destroy());
      file.pipe(res);
    });
  }
}
