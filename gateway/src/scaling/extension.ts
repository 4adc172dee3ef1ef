/** Scaling as a gateway extension: scale from zero around the endpoint choice, the idle and autoscaler loops, its routes. */
import type { Router } from 'express';
import type { GatewayExtension } from '../app';
import { alertRouter } from '../routes/alert';
import type { RouteContext } from '../routes/context';
import { scaleEventsRoutes } from '../routes/scale-events';
import { Autoscaler } from './autoscaler-loop';
import { DEFAULT_AUTOSCALER } from './autoscaler';
import { systemClock, type Clock } from './clock';
import type { ScalingConfig } from './config';
import { ActivityTracker, IdleScaler } from './idle';
import { Scaler, ScalingMetrics } from './scaler';
import { ZeroGate } from './zero-gate';

/** The running parts, for tests and benches. */
export interface ScalingParts {
  scaler: Scaler;
  gate: ZeroGate;
  activity: ActivityTracker;
  idle: IdleScaler;
  autoscaler?: Autoscaler;
}

/** The scaling extension, with access to its parts once the app is built. */
export interface ScalingExtension extends GatewayExtension {
  parts(): ScalingParts | undefined;
}

/** Builds the scaling extension from the gateway config (`scale_from_zero` plus the scaling table). */
export function scalingExtension(config: Readonly<ScalingConfig & { scaleFromZero: boolean }>, clock: Clock = systemClock): ScalingExtension {
  let parts: ScalingParts | undefined;

  const init = (ctx: RouteContext): ScalingParts => {
    if (parts) return parts;
    const log = ctx.logger.child({ component: 'scaling' });
    const metrics = new ScalingMetrics(ctx.metrics.registry);
    const scaler = new Scaler({ provider: ctx.provider, log, clock, metrics });
    const gate = new ZeroGate({ provider: ctx.provider, scaler, clock, log, metrics, options: { queueLimit: config.scaleFromZeroQueue, timeoutMs: config.scaleFromZeroTimeoutMs } });
    const activity = new ActivityTracker(clock);
    ctx.invoker.on('started', (e) => activity.touch(e.fn));
    ctx.invoker.on('completed', (e) => activity.touch(e.fn));
    const busy = (fn: string): number => ctx.invoker.inFlight(fn) + gate.waiting(fn);
    const idle = new IdleScaler({ provider: ctx.provider, scaler, activity, busy, clock, log, intervalMs: config.idleCheckIntervalMs }).start();
    const settings = { ...DEFAULT_AUTOSCALER, stableWindowMs: config.autoscalerStableWindowMs, panicWindowMs: config.autoscalerPanicWindowMs };
    const autoscaler = config.autoscaler
      ? new Autoscaler({ provider: ctx.provider, scaler, inFlight: () => ctx.invoker.inFlightAll(), clock, log, metrics, intervalMs: config.autoscalerIntervalMs, settings }).start()
      : undefined;
    ctx.scaleEvents = scaler.events;
    parts = { scaler, gate, activity, idle, autoscaler };
    return parts;
  };

  return {
    name: 'scaling',
    parts: () => parts,
    wrapPick(next, ctx) {
      const { gate } = init(ctx);
      return config.scaleFromZero ? gate.wrap(next) : next;
    },
    routes(router: Router, ctx) {
      const { scaler } = init(ctx);
      router.use(alertRouter({ provider: ctx.provider, scaler }));
      scaleEventsRoutes(router, scaler.events);
    },
    async close() {
      await parts?.idle.stop();
      await parts?.autoscaler?.stop();
    },
  };
}
