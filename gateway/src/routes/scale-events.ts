/** `GET /system/scale-events`: the latest scale events (alert, autoscaler, zero, idle, manual), newest first. */
import { Router } from 'express';
import { ValidationError } from '../errors';
import type { ScaleEventLog } from '../scaling/scale-events';

/** Routes the recent scale events; `?function=name` filters, `?limit=N` bounds. */
export function scaleEventsRoutes(router: Router, events: ScaleEventLog): void {
  router.get('/system/scale-events', (req, res) => {
    const fn = typeof req.query.function === 'string' && req.query.function !== '' ? req.query.function : undefined;
    const rawLimit = req.query.limit;
    let limit: number | undefined;
    if (rawLimit !== undefined) {
      limit = Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a whole number above 0');
    }
    res.json(events.list(fn, limit));
  });
}
