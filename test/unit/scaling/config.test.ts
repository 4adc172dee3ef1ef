import { ConfigError, loadFromEnv } from '../../../common/src/env-config';
import { scalingEnvSpec } from '../../../gateway/src/scaling/config';

describe('scaling config', () => {
  it('has defaults for every variable', () => {
    expect(loadFromEnv(scalingEnvSpec, {})).toEqual({
      scaleFromZeroTimeoutMs: 60_000, scaleFromZeroQueue: 1000, idleCheckIntervalMs: 10_000, autoscaler: true,
      autoscalerIntervalMs: 1000, autoscalerStableWindowMs: 60_000, autoscalerPanicWindowMs: 6000,
    });
  });

  it.each([
    ['scale_from_zero_timeout', '2m', 'scaleFromZeroTimeoutMs', 120_000],
    ['scale_from_zero_queue', '50', 'scaleFromZeroQueue', 50],
    ['autoscaler', 'false', 'autoscaler', false],
    ['autoscaler_interval', '500ms', 'autoscalerIntervalMs', 500],
  ])('reads %s=%s', (name, raw, key, value) => {
    expect(loadFromEnv(scalingEnvSpec, { [name]: raw })).toMatchObject({ [key]: value });
  });

  it('reports every bad variable at once', () => {
    let err: unknown;
    try {
      loadFromEnv(scalingEnvSpec, { scale_from_zero_timeout: '0s', scale_from_zero_queue: '0', autoscaler: 'maybe', autoscaler_panic_window: 'soon' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['autoscaler', 'autoscaler_panic_window', 'scale_from_zero_queue', 'scale_from_zero_timeout']);
  });
});
