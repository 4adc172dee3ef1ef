import express from 'express';
import request from 'supertest';
import { SkepError } from '../../../gateway/src/errors';
import { alertRouter } from '../../../gateway/src/routes/alert';
import { alertStep, replicasForAlert } from '../../../gateway/src/scaling/alert';
import { parseScaleLabels } from '../../../gateway/src/scaling/labels';
import { ScaleEventLog } from '../../../gateway/src/scaling/scale-events';
import { Scaler } from '../../../gateway/src/scaling/scaler';
import { FakeClock, FakeProvider, silentLog } from '../../support/scaling-fakes';

const labels = (l: Record<string, string> = {}) => parseScaleLabels(l).scale;

describe('replicasForAlert', () => {
  it.each([
    // current, labels, status, expected
    [1, {}, 'firing', 5],
    [5, {}, 'firing', 9],
    [17, {}, 'firing', 20],
    [20, {}, 'firing', 20],
    [0, {}, 'firing', 4],
    [1, { 'com.openfaas.scale.max': '10', 'com.openfaas.scale.factor': '50' }, 'firing', 6],
    [1, { 'com.openfaas.scale.max': '3', 'com.openfaas.scale.factor': '1' }, 'firing', 2],
    [1, { 'com.openfaas.scale.min': '3' }, 'firing', 5],
    [0, { 'com.openfaas.scale.min': '3', 'com.openfaas.scale.max': '5', 'com.openfaas.scale.factor': '20' }, 'firing', 3],
    [4, { 'com.openfaas.scale.factor': '0' }, 'firing', 4],
    [4, { 'com.openfaas.scale.factor': '0' }, 'resolved', 4],
    [13, {}, 'resolved', 1],
    [13, { 'com.openfaas.scale.min': '2' }, 'resolved', 2],
    [1, {}, 'resolved', 1],
    [0, { 'com.openfaas.scale.zero': 'true' }, 'resolved', 0],
    [5, { 'com.openfaas.scale.min': '0' }, 'resolved', 0],
  ] as const)('from %i with %j on %s → %i', (current, l, status, expected) => {
    expect(replicasForAlert(current, labels(l), status)).toBe(expected);
  });

  it('steps 1→5→9→13→17→20 with the defaults, like OpenFaaS', () => {
    const seen = [1];
    for (let i = 0; i < 5; i++) seen.push(replicasForAlert(seen[seen.length - 1], labels(), 'firing'));
    expect(seen).toEqual([1, 5, 9, 13, 17, 20]);
    expect(alertStep(labels())).toBe(4);
  });
});

function appWith(provider: FakeProvider) {
  const scaler = new Scaler({ provider, log: silentLog, clock: new FakeClock() });
  const app = express();
  app.use(alertRouter({ provider, scaler }));
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = err instanceof SkepError ? err : new SkepError(500, 'internal', err.message);
    res.status(e.statusCode).json({ code: e.code, message: e.message });
  });
  return { app, scaler };
}

const body = (alerts: { status: string; labels: Record<string, string> }[], status = 'firing') => ({
  version: '4', receiver: 'scale-up', status, groupLabels: {}, commonLabels: {}, alerts,
});

describe('POST /system/alert', () => {
  it('scales each function named by a firing alert and records the event', async () => {
    const p = new FakeProvider().add('echo', 1).add('wc', 3);
    const { app, scaler } = appWith(p);
    const res = await request(app).post('/system/alert').send(body([
      { status: 'firing', labels: { alertname: 'APIHighInvocationRate', function_name: 'echo' } },
      { status: 'firing', labels: { alertname: 'APIHighInvocationRate', function_name: 'wc.openfaas-fn' } },
    ]));
    expect(res.status).toBe(200);
    expect(p.scaleCalls).toEqual([['echo', 5], ['wc', 7]]);
    expect(res.body.errors).toEqual([]);
    expect(scaler.events.list().map((e) => [e.function, e.from, e.to, e.reason])).toEqual([['wc', 3, 7, 'alert'], ['echo', 1, 5, 'alert']]);
  });

  it('returns to min when the alert resolves', async () => {
    const p = new FakeProvider().add('echo', 9, { 'com.openfaas.scale.min': '2' });
    const res = await request(appWith(p).app).post('/system/alert').send(body([{ status: 'resolved', labels: { function_name: 'echo' } }], 'resolved'));
    expect(res.status).toBe(200);
    expect(p.scaleCalls).toEqual([['echo', 2]]);
  });

  it('takes one step per function when one notification holds several alerts for it', async () => {
    const p = new FakeProvider().add('echo', 1);
    const res = await request(appWith(p).app).post('/system/alert').send(body([
      { status: 'firing', labels: { function_name: 'echo', code: '200' } },
      { status: 'resolved', labels: { function_name: 'echo' } },
      { status: 'firing', labels: { function_name: 'echo.openfaas-fn', code: '500' } },
    ]));
    expect(res.status).toBe(200);
    expect(p.scaleCalls).toEqual([['echo', 5]]);
    expect(res.body.results).toHaveLength(1);
  });

  it('returns to min only when every alert for the function is resolved', async () => {
    const p = new FakeProvider().add('echo', 9);
    await request(appWith(p).app).post('/system/alert').send(body([
      { status: 'resolved', labels: { function_name: 'echo', code: '200' } },
      { status: 'resolved', labels: { function_name: 'echo', code: '500' } },
    ], 'resolved')).expect(200);
    expect(p.scaleCalls).toEqual([['echo', 1]]);
  });

  it('reports an unknown function as a per-alert error and still answers 200', async () => {
    const p = new FakeProvider().add('echo', 1);
    const res = await request(appWith(p).app).post('/system/alert').send(body([
      { status: 'firing', labels: { function_name: 'ghost' } },
      { status: 'firing', labels: { function_name: 'echo' } },
    ]));
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual(['[0] ghost: function ghost not found']);
    expect(p.scaleCalls).toEqual([['echo', 5]]);
  });

  it.each([
    [{ alertname: 'x' }, 'skipped', 'no function_name'],
    [{ function_name: 'echo.other-ns' }, 'skipped', 'namespace'],
  ])('skips an alert with labels %j', async (l, action, message) => {
    const p = new FakeProvider().add('echo', 1);
    const res = await request(appWith(p).app).post('/system/alert').send(body([{ status: 'firing', labels: l }]));
    expect(res.body.results[0]).toMatchObject({ action });
    expect(res.body.results[0].message).toContain(message);
    expect(p.scaleCalls).toEqual([]);
  });

  it('leaves functions the autoscaler manages alone', async () => {
    const p = new FakeProvider().add('echo', 1, { 'com.skep.scale.target': '5' });
    const res = await request(appWith(p).app).post('/system/alert').send(body([{ status: 'firing', labels: { function_name: 'echo' } }]));
    expect(res.body.results[0].action).toBe('skipped');
    expect(p.scaleCalls).toEqual([]);
  });

  it('reports a failing scale call per alert', async () => {
    const p = new FakeProvider().add('echo', 1);
    p.failScale = new Error('docker unavailable');
    const res = await request(appWith(p).app).post('/system/alert').send(body([{ status: 'firing', labels: { function_name: 'echo' } }]));
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual(['[0] echo: docker unavailable']);
  });

  it.each([
    ['no alerts', { status: 'firing' }, 'alerts'],
    ['a bad status', { status: 'burning', alerts: [] }, 'status'],
    ['an alert without labels', { status: 'firing', alerts: [{ status: 'firing' }] }, 'labels'],
    ['not an object', [1, 2], 'must be object'],
  ])('answers 400 for %s', async (_what, b, word) => {
    const res = await request(appWith(new FakeProvider()).app).post('/system/alert').send(b as object);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('Unable to parse alert, bad format');
    expect(res.body.message).toContain(word);
  });
});

describe('ScaleEventLog', () => {
  const ev = (to: number, time: string) => ({ function: 'f', from: 0, to, reason: 'manual' as const, time });
  it('keeps events in start order even when recorded out of order, newest first', () => {
    const log = new ScaleEventLog(3);
    log.record(ev(1, '2026-01-01T00:00:01.000Z'));
    log.record(ev(3, '2026-01-01T00:00:03.000Z'));
    log.record(ev(2, '2026-01-01T00:00:02.000Z'));
    expect(log.list().map((e) => e.to)).toEqual([3, 2, 1]);
  });
  it('drops the oldest past capacity and filters by function', () => {
    const log = new ScaleEventLog(2);
    for (let i = 1; i <= 3; i++) log.record(ev(i, `2026-01-01T00:00:0${i}.000Z`));
    expect(log.list().map((e) => e.to)).toEqual([3, 2]);
    expect(log.list('g')).toEqual([]);
    expect(log.list('f', 1).map((e) => e.to)).toEqual([3]);
  });
});

describe('Scaler.labelsOf', () => {
  it('falls back to defaults and logs each distinct bad label once', () => {
    const warnings: unknown[] = [];
    const log = { warn: (o: unknown) => warnings.push(o), info: () => undefined } as unknown as typeof silentLog;
    const scaler = new Scaler({ provider: new FakeProvider(), log, clock: new FakeClock() });
    for (let i = 0; i < 3; i++) expect(scaler.labelsOf('f', { 'com.openfaas.scale.max': 'lots' }).max).toBe(20);
    expect(warnings).toEqual([expect.objectContaining({ evt: 'scale-label', fn: 'f' })]);
  });
});
