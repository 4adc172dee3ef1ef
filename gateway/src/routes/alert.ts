/** `POST /system/alert`: Alertmanager's webhook (v4); a firing function takes one step of replicas, a resolved one returns to min. */
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

/**
 * One notification can carry several alerts for one function (a resolved instance beside a firing one, or one per label
 * set): the function takes one step when any of them fires and returns to min only when all are resolved, instead of
 * stepping once per alert (1→5→9→13→1 in one webhook). Alerts without a function name pass through to be reported.
 */
export function oneAlertPerFunction(alerts: AlertBody['alerts']): [number, AlertBody['alerts'][number]][] {
  const kept = new Map<string, [number, AlertBody['alerts'][number]]>();
  const out: [number, AlertBody['alerts'][number]][] = [];
  alerts.forEach((alert, i) => {
    const ref = alert.labels.function_name;
    const name = ref ? (splitFunctionRef(ref)?.name ?? ref) : undefined;
    if (name === undefined) return void out.push([i, alert]);
    const seen = kept.get(name);
    if (!seen) {
      const entry: [number, AlertBody['alerts'][number]] = [i, alert];
      kept.set(name, entry);
      out.push(entry);
    } else if (alert.status === 'firing') seen[1] = alert;
  });
  return out;
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
    for (const [i, alert] of oneAlertPerFunction((req.body as AlertBody).alerts)) results.push(await handleAlert(deps, i, alert));
    const errors = results.filter((r) => r.action === 'error').map((r) => `[${r.index}] ${r.function}: ${r.message}`);
    res.status(200).json({ results, errors });
  });
  return router;
}
