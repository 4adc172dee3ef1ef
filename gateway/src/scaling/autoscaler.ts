/**
 * Skep's concurrency autoscaler, as a pure decision (after knative's KPA): desired = ceil(load ÷ target), with a 60 s
 * stable window, a 6 s panic window entered when load exceeds twice the target per replica, bounded steps, gradual
 * scale-down, min and max respected. Time is a parameter; the loop in autoscaler-loop.ts acts on the result.
 */

/** One sample of a function's concurrency: in-flight calls averaged over one collection interval. */
export interface Sample {
  t: number;
  inFlight: number;
}

/** Tunables (defaults in DEFAULT_AUTOSCALER). */
export interface AutoscalerSettings {
  stableWindowMs: number;
  panicWindowMs: number;
  /** Panic when load per replica exceeds this many times the target. */
  panicThreshold: number;
  /** One decision multiplies replicas by at most this (and adds at least 1). */
  maxUpRate: number;
  /** One decision divides replicas by at most this. */
  maxDownRate: number;
  /** Time between two scale-downs at least, so scale-down is gradual. */
  scaleDownDelayMs: number;
}

/** The defaults the issue names: stable 60 s, panic 6 s at 2× target. */
export const DEFAULT_AUTOSCALER: AutoscalerSettings = {
  stableWindowMs: 60_000,
  panicWindowMs: 6_000,
  panicThreshold: 2,
  maxUpRate: 10,
  maxDownRate: 2,
  scaleDownDelayMs: 10_000,
};

/** What the autoscaler remembers of one function between decisions. */
export interface AutoscalerState {
  /** Panic mode lasts until this time (reset each time panic load is seen). */
  panicUntil?: number;
  lastScaleDownAt?: number;
}

/** Everything one decision needs. */
export interface DecideInputs {
  current: number;
  min: number;
  max: number;
  target: number;
  samples: readonly Sample[];
  state: AutoscalerState;
  settings?: AutoscalerSettings;
}

/** Why the decision came out as it did (exported as a metric label). */
export type DecisionReason = 'no-data' | 'steady' | 'stable-up' | 'stable-down' | 'down-delayed' | 'panic-up' | 'panic-hold' | 'at-min' | 'at-max';

/** The outcome: desired replicas, why, and the state to remember. */
export interface Decision {
  desired: number;
  reason: DecisionReason;
  panic: boolean;
  stableLoad: number;
  panicLoad: number;
  state: AutoscalerState;
}

function mean(xs: readonly Sample[]): number {
  return xs.reduce((a, s) => a + s.inFlight, 0) / xs.length;
}

/** Decides the desired replicas of one function at time `now`. */
export function decide(inputs: DecideInputs, now: number): Decision {
  const cfg = inputs.settings ?? DEFAULT_AUTOSCALER;
  const { current, target } = inputs;
  const floor = Math.max(1, inputs.min);
  const stable = inputs.samples.filter((s) => s.t > now - cfg.stableWindowMs && s.t <= now);
  const panicWin = stable.filter((s) => s.t > now - cfg.panicWindowMs);
  const state: AutoscalerState = { ...inputs.state };
  if (stable.length === 0) return { desired: current, reason: 'no-data', panic: false, stableLoad: 0, panicLoad: 0, state };
  const stableLoad = mean(stable);
  // The panic window looks at its busiest interval, so a load step is seen on the first sample after it.
  const panicLoad = panicWin.length ? Math.max(...panicWin.map((s) => s.inFlight)) : 0;
  if (panicLoad > cfg.panicThreshold * target * Math.max(1, current)) state.panicUntil = now + cfg.stableWindowMs;
  const panic = state.panicUntil !== undefined && now < state.panicUntil;
  if (!panic) delete state.panicUntil;

  let want = panic ? Math.max(current, Math.ceil(panicLoad / target)) : Math.ceil(stableLoad / target);
  let reason: DecisionReason = panic ? (want > current ? 'panic-up' : 'panic-hold') : want > current ? 'stable-up' : want < current ? 'stable-down' : 'steady';
  want = Math.min(want, Math.max(current + 1, Math.ceil(current * cfg.maxUpRate)));
  if (want < current) {
    const delayed = state.lastScaleDownAt !== undefined && now - state.lastScaleDownAt < cfg.scaleDownDelayMs;
    if (delayed) [want, reason] = [current, 'down-delayed'];
    else want = Math.max(want, Math.floor(current / cfg.maxDownRate));
  }
  if (want > inputs.max) [want, reason] = [inputs.max, 'at-max'];
  if (want < floor) [want, reason] = [floor, 'at-min'];
  if (want < current) state.lastScaleDownAt = now;
  return { desired: want, reason, panic, stableLoad, panicLoad, state };
}
