/** Scaling's environment variables; gateway/src/config.ts spreads this table into the gateway's one config table. */
import { EnvSpec, parsers, showDuration } from '../../../common/src/env-config';

/** Scaling settings (all have defaults). */
export interface ScalingConfig {
  scaleFromZeroTimeoutMs: number;
  scaleFromZeroQueue: number;
  idleCheckIntervalMs: number;
  autoscaler: boolean;
  autoscalerIntervalMs: number;
  autoscalerStableWindowMs: number;
  autoscalerPanicWindowMs: number;
}

const positive = (raw: string): number | Error => {
  const ms = parsers.duration(raw);
  return ms instanceof Error || ms > 0 ? ms : new Error(`"${raw}" must be longer than 0`);
};

/** The table of scaling variables (rendered into the README's scaling section). */
export const scalingEnvSpec: EnvSpec<ScalingConfig> = {
  scaleFromZeroTimeoutMs: { name: 'scale_from_zero_timeout', description: 'Longest a call waits for a function to wake from zero; past it, 503 with `Retry-After`.', default: 60_000, shownDefault: showDuration(60_000), parse: positive },
  scaleFromZeroQueue: { name: 'scale_from_zero_queue', description: 'Calls held per waking function at most; more get 429 with `Retry-After`.', default: 1000, parse: parsers.int(1, 1_000_000) },
  idleCheckIntervalMs: { name: 'idle_check_interval', description: 'How often functions that allow zero are checked for idleness (`com.skep.scale.idle`).', default: 10_000, shownDefault: showDuration(10_000), parse: positive },
  autoscaler: { name: 'autoscaler', description: 'Run Skep\'s concurrency autoscaler for functions labelled `com.skep.scale.target`.', default: true, parse: parsers.bool },
  autoscalerIntervalMs: { name: 'autoscaler_interval', description: 'Time between two autoscaler decisions.', default: 1000, shownDefault: showDuration(1000), parse: positive },
  autoscalerStableWindowMs: { name: 'autoscaler_stable_window', description: 'Window the autoscaler averages load over.', default: 60_000, shownDefault: showDuration(60_000), parse: positive },
  autoscalerPanicWindowMs: { name: 'autoscaler_panic_window', description: 'Window watched for bursts above twice the target (panic mode).', default: 6000, shownDefault: showDuration(6000), parse: positive },
};
