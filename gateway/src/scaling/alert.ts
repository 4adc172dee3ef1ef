/** The OpenFaaS alert rule (2018–2020 gateway): a firing alert adds a step of max × factor %, a resolved one returns to min. */
import type { ScaleLabels } from './labels';

/** Alertmanager's status of one alert. */
export type AlertStatus = 'firing' | 'resolved';

/** Replicas to add per firing notification: `ceil(max × factor / 100)`; 0 when alert scaling is off. */
export function alertStep(s: ScaleLabels): number {
  return Math.ceil((s.max * s.factor) / 100);
}

/** Replicas a function should have after one alert notification; returns `current` when nothing should change. */
export function replicasForAlert(current: number, s: ScaleLabels, status: AlertStatus): number {
  const step = alertStep(s);
  if (step === 0) return current;
  if (status === 'firing') return Math.max(s.min, Math.min(current + step, s.max));
  // A resolved alert must not wake a function the idle scaler put to sleep.
  if (current === 0 && s.zero) return 0;
  return s.min;
}
