/** `GET /system/logs?name=&since=&tail=&follow=&instance=`: NDJSON lines, streamed while `follow` holds. */
import { Router } from 'express';
import { ValidationError } from '../errors';
import { methodNotAllowed } from '../http/error-handler';
import type { LogRequest } from '../providers/provider';
import { functionName, RouteContext } from './context';

/** Parses the query of a logs request, listing every problem. */
export function parseLogQuery(q: Record<string, unknown>): LogRequest {
  const problems: string[] = [];
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  const name = str('name');
  if (!name) problems.push('name: required');
  const since = str('since') ? new Date(str('since') as string) : undefined;
  if (since && Number.isNaN(since.getTime())) problems.push('since: must be an RFC 3339 time');
  const tail = str('tail') !== undefined ? Number(str('tail')) : undefined;
  if (tail !== undefined && !Number.isInteger(tail)) problems.push('tail: must be a whole number');
  const follow = str('follow');
  if (follow !== undefined && !['true', 'false', '1', '0', ''].includes(follow)) problems.push('follow: must be true or false');
  if (problems.length) throw new ValidationError(problems.join('; '), problems);
  return { name: name as string, since, tail, follow: follow === 'true' || follow === '1', instance: str('instance') || undefined };
}

/** Routes of the logs resource. */
export function logsRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.route('/system/logs')
    .get(async (req, res) => {
      const query = parseLogQuery(req.query as Record<string, unknown>);
      query.name = functionName(query.name, req.query.namespace);
      await ctx.provider.status(query.name); // 404 before any line is written
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), ctx.config.writeTimeoutMs);
      res.on('close', () => abort.abort());
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
      res.flushHeaders();
      try {
        for await (const line of ctx.provider.logs(query, abort.signal)) {
          if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
          if (abort.signal.aborted) break;
        }
      } catch (err) {
        if (!abort.signal.aborted) ctx.logger.warn({ err, fn: query.name }, 'logs stream failed');
      } finally {
        clearTimeout(timer);
        res.end();
      }
    })
    .all(methodNotAllowed('GET'));
  return router;
}
