/**
 * The console in headless Chromium against a real gateway (local provider, basic auth on): log in, see the sample functions,
 * deploy from the form (a bad name first), invoke, scale to 2, follow logs, delete. Screenshots go to test-results/screenshots/
 * (ignored by git), or to SKEP_SCREENSHOTS_DIR: `npm run screenshots` refreshes the committed ones in docs/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { GatewayProcess, startGateway, waitFor } from './support/gateway-process';

const SAMPLES = ['base64', 'decodebase64', 'echoit', 'markdown', 'nodeinfo', 'sleep', 'wordcount'];
const FN = 'console-e2e';
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.SKEP_SCREENSHOTS_DIR || join(__dirname, '..', '..', 'test-results', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** Browser-side expressions are strings: the test's tsconfig has no DOM types. */
const ACTIVE_TEXT = 'document.activeElement?.textContent';

interface FnStatus {
  name: string;
  replicas: number;
  availableReplicas: number;
}

describe('console (headless Chromium)', () => {
  let gw: GatewayProcess;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  const api = async (path: string, init: RequestInit = {}) =>
    fetch(gw.url + path, { ...init, headers: { authorization: gw.authHeader, ...(init.headers ?? {}) } });
  const functions = async () => (await (await api('/system/functions')).json()) as FnStatus[];
  /** Sends calls to a few sample functions for `ms`, so the list's rates and sparklines have something to show. */
  const traffic = async (ms: number) => {
    const end = Date.now() + ms;
    for (let i = 0; Date.now() < end; i++) {
      const calls = [fetch(`${gw.url}/function/echoit`, { method: 'POST', body: `hello ${i}` })];
      if (i % 3 === 0) calls.push(fetch(`${gw.url}/function/wordcount`, { method: 'POST', body: 'one two three' }));
      if (i % 5 === 0) calls.push(fetch(`${gw.url}/function/base64`, { method: 'POST', body: 'skep' }));
      await Promise.all(calls.map((c) => c.then((r) => r.arrayBuffer())));
      await new Promise((r) => setTimeout(r, 100 + (i % 7) * 40));
    }
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (listed in scripts/ci/apt-packages.txt)`);
    // a short write_timeout ends each log follow after 3 s, so the test also sees the console resume the tail
    gw = await startGateway({ write_timeout: '3s' });
    await waitFor('the sample functions to be ready', async () => {
      const list = await functions();
      return SAMPLES.every((name) => list.some((f) => f.name === name && f.availableReplicas >= 1));
    }, 120_000);
    profile = mkdtempSync(join(tmpdir(), 'skep-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      httpCredentials: { username: gw.user, password: gw.password, origin: gw.url },
      viewport: { width: 1280, height: 860 },
    });
    context.on('request', (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await gw?.stop();
  });

  it('logs in and lists the sample functions, refreshing rates live', async () => {
    await page.goto(`${gw.url}/`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    for (const name of SAMPLES) await page.locator(`#functions tr[data-function="${name}"]`).waitFor();
    await expect(page.locator('tr[data-function="echoit"] .col-replicas').textContent()).resolves.toBe('1/1');
    await traffic(9000);
    await page.locator('tr[data-function="echoit"] .col-invocations', { hasText: /^[1-9]/ }).waitFor();
    await page.waitForSelector('tr[data-function="echoit"] .spark-line');
    await page.screenshot({ path: join(SHOTS, 'function-list.png'), fullPage: true });
  });

  it('is keyboard reachable: Tab reaches the navigation and Enter opens the deploy form', async () => {
    await page.reload();
    await page.locator('#functions tr[data-function="echoit"]').waitFor();
    const seen: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(ACTIVE_TEXT));
    }
    expect(seen).toEqual(['Skip to content', 'Skep', 'Functions', 'Deploy']);
    expect(await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`)).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/deploy$/);
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');
  });

  it('shows the API validation error next to the field for a bad name', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Bad_Name');
    await page.getByLabel('Image', { exact: true }).fill('skep/echoit:latest');
    expect(await page.locator('#f-service-error').textContent()).toBe('');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    // polled through locators: the console's CSP forbids the string evaluation waitForFunction would need
    await page.locator('[data-field="service"] .field-error', { hasText: /DNS label/ }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).toContain('f-service-error');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-image-error').textContent()).toBe('');
    await page.screenshot({ path: join(SHOTS, 'deploy-error.png'), fullPage: true });
  });

  it('deploys a function from the form, with a secret from the picker', async () => {
    expect((await api('/system/secrets', { method: 'POST', body: JSON.stringify({ name: 'console-token', value: 't0ken' }) })).status).toBeLessThan(300);
    await page.reload();
    await page.getByLabel('Name', { exact: true }).fill(FN);
    await page.getByLabel('Image', { exact: true }).fill('skep/echoit:latest');
    await page.getByRole('checkbox', { name: 'console-token' }).check();
    await page.getByLabel('Environment').fill('GREETING=hello');
    await page.getByLabel('Labels').fill('com.openfaas.scale.max=4\nteam=console');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.waitForURL(new RegExp(`#/functions/${FN}$`));
    await page.locator('#replicas', { hasText: '1 of 1 available' }).waitFor({ timeout: 60_000 });
    await page.locator('.detail dd', { hasText: 'console' }).first().waitFor();
    expect(await page.locator('#bounds').textContent()).toContain('max 4');
    await page.locator('.detail', { hasText: 'Secrets' }).locator('li', { hasText: 'console-token' }).waitFor();
  });

  it('invokes the function and shows status, duration and the body', async () => {
    await page.getByLabel('Body').fill('{"hello":"console"}');
    await page.getByLabel(/^Headers/).fill('Content-Type: application/json');
    await page.getByRole('button', { name: 'Invoke' }).click();
    await page.locator('#inv-status').waitFor();
    expect(await page.locator('#inv-status').textContent()).toMatch(/^200/);
    expect(await page.locator('#inv-duration').textContent()).toMatch(/ms$/);
    expect(await page.locator('#inv-response').textContent()).toContain('"hello": "console"');
  });

  it('follows the logs and scales to 2 with 2 available', async () => {
    await page.getByRole('button', { name: 'Follow logs' }).click();
    await page.locator('#log-lines li').first().waitFor({ timeout: 30_000 });
    const before = await page.locator('#log-lines li').count();
    await page.getByLabel('Desired replicas').fill('2');
    await page.getByRole('button', { name: 'Set replicas' }).click();
    await page.locator('#replicas', { hasText: '2 of 2 available' }).waitFor({ timeout: 60_000 });
    // the second replica's start-up lines arrive on the open stream
    await page.locator('#log-lines li').nth(before).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Stop following' }).getAttribute('aria-pressed')).toBe('true');
    // the stream was cut and resumed at least once (write_timeout 3 s) from the last line's time, without repeating a line
    const follows = () => requests.filter((u) => u.includes('/system/logs?'));
    await waitFor('a resumed log follow', async () => follows().some((u) => u.includes('since=')), 20_000);
    expect(follows()[0]).toContain('tail=100');
    const texts = await page.locator('#log-lines li').allTextContents();
    expect(new Set(texts).size).toBe(texts.length);
    // scaling at a glance: the manual scale shows among the function's recent scale events, with its reason
    await page.locator('table.events tr', { hasText: '1 → 2' }).locator('[data-reason="manual"]').waitFor({ timeout: 20_000 });
    const status = (await (await api(`/system/function/${FN}`)).json()) as FnStatus;
    expect(status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    await page.screenshot({ path: join(SHOTS, 'function-page.png'), fullPage: true });
    if (process.env.SKEP_E2E_PHONE_SHOT) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: process.env.SKEP_E2E_PHONE_SHOT, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('deletes the function after a confirmation', async () => {
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api(`/system/function/${FN}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: `Delete ${FN}` }).click();
    await page.waitForURL(/#\/$/);
    await page.locator('.flash', { hasText: `Deleted ${FN}.` }).waitFor();
    await page.locator('#functions tr[data-function="echoit"]').waitFor();
    expect(await page.locator(`tr[data-function="${FN}"]`).count()).toBe(0);
    await page.locator('table.events tr', { hasText: FN }).first().waitFor({ timeout: 20_000 });
    expect((await api(`/system/function/${FN}`)).status).toBe(404);
  });

  it('lays the list out as cards on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('#functions tr[data-function="echoit"]').waitFor();
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#functions thead')).position`)).toBe('absolute');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'function-list-phone.png') });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('sent no request to any host but the gateway and threw no script error', () => {
    const origin = new URL(gw.url).origin;
    const foreign = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
    expect(pageErrors).toEqual([]);
  });
});
