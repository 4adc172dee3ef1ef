/** `POST /system/alert`: Alertmanager's webhook (v4); each firing alert adds a step of replicas, each resolved one returns to min. */
import Ajv from 'ajv';
import express, { Router } from 'express';
import { splitFunctionRef } from '../../../common/src/names';
import { ValidationError } from '../errors';
import type { Provider } from '../providers/provider';
import { replicasForAlert, type AlertStatus } from '../scaling/alert';
import { parseScaleLabels } from '../scaling/labels';
import type { Scaler } from '../scaling/scaler';

const schema = {
  type: 'object',
  required: ['status', 'alerts'],
  properties: {
    status: { enum: ['firing', 'resolved'] },
    receiver: { type: 'string' },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status', 'labels'],
        properties: {
          status: { enum: ['firing', 'resolved'] },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(schema);

interface AlertBody {
  alerts: { status: AlertStatus; labels: Record<string, string> }[];
}

/** What happened to one alert of the notification. */
export interface AlertResult {
  index: number;
  function?: string;
  status: AlertStatus;
  action: 'scaled' | 'unchanged' | 'skipped' | 'error';
  from?: number;
  to?: number;
  message?: string;
}

/** Scales the function named by one alert and says what it did; never throws. */
export async function handleAlert(deps: AlertDeps, index: number, alert: AlertBody['alerts'][number]): Promise<AlertResult> {
  const base = { index, status: alert.status };
  const ref = alert.labels.function_name;
  if (!ref) return { ...base, action: 'skipped', message: 'no function_name label' };
  const split = splitFunctionRef(ref);
  if (!split) return { ...base, function: ref, action: 'skipped', message: 'namespace is not openfaas-fn' };
  const fn = split.name;
  try {
    const st = await deps.provider.status(fn);
    const { scale, warnings } = parseScaleLabels(st.labels);
    if (scale.target !== null) return { ...base, function: fn, action: 'skipped', message: "Skep's autoscaler manages this function (com.skep.scale.target)" };
    const to = replicasForAlert(st.replicas, scale, alert.status);
    if (to === st.replicas) return { ...base, function: fn, action: 'unchanged', from: st.replicas, to, ...(warnings.length ? { message: warnings.join('; ') } : {}) };
    await deps.scaler.scale(fn, st.replicas, to, 'alert', alert.status);
    return { ...base, function: fn, action: 'scaled', from: st.replicas, to };
  } catch (err) {
    return { ...base, function: fn, action: 'error', message: (err as Error).message };
  }
}

/** Dependencies of the alert route. */
export interface AlertDeps {
  provider: Pick<Provider, 'status'>;
  scaler: Pick<Scaler, 'scale'>;
}

/** The router for `POST /system/alert`; mount it behind basic auth like every /system route. */
export function alertRouter(deps: AlertDeps): Router {
  const router = Router();
  router.post('/system/alert', express.json({ limit: '1mb' }), async (req, res) => {
    if (!validate(req.body)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message}`).join('; ');
      throw new ValidationError(`Unable to parse alert, bad format: ${why}`, validate.errors);
    }
    const results: AlertResult[] = [];
    // One at a time: two alerts for the same function must step from each other's result.
    for (const [i, alert] of (req.body as AlertBody).alerts.entries()) results.push(await handleAlert(deps, i, alert));
    const errors = results.filter((r) => r.action === 'error').map((r) => `[${r.index}] ${r.function}: ${r.message}`);
    res.status(200).json({ results, errors });
  });
  return router;
}
