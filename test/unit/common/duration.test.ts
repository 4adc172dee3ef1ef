import { parseDuration, formatDuration } from '../../../common/src/duration';

describe('parseDuration', () => {
  it.each([
    ['10', 10_000],
    ['0', 0],
    ['1.5', 1500],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1h', 3_600_000],
    ['5m5s', 305_000],
  ])('reads %s as %d ms', (raw, ms) => {
    expect(parseDuration(raw)).toBe(ms);
  });

  it.each(['', 'ten', '10x', '-1s', 's', '1m 30s'])('rejects %j with a message', (raw) => {
    const r = parseDuration(raw);
    expect(r).toBeInstanceOf(Error);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
  ])('prints %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
