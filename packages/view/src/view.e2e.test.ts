/**
 * The dashboard in a real browser: headless Debian chromium driven by playwright-core opens the runs list, a run, the
 * leaderboard, the items and one item, checks what each shows, and takes screenshots. A reply that is an XSS attempt
 * must show as text and run nothing; `../` requests must be refused. Screenshots go to a temporary folder, or to
 * docs/images/ with UPDATE_SCREENSHOTS=1 (so a test run does not rewrite committed files).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuns, MALICIOUS_REPLY, type TestRuns } from './__fixtures__/make-runs.js';
import { startViewServer, type ViewServer } from './start-view-server.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) {
  console.warn([
    '',
    '!!! @trustbench/view browser test SKIPPED: Debian chromium is not installed (looked for /usr/bin/chromium).',
    '!!! Install it with: apt-get update && apt-get install -y chromium   (.ci/run does this on CI)',
    '',
  ].join('\n'));
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-e2e-'));
const shots = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(repo, 'docs', 'images') : path.join(dir, 'shots');
let runs: TestRuns;
let server: ViewServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

async function shot(name: string, fullPage = true): Promise<void> {
  const file = path.join(shots, `view-${name}.png`);
  await page.screenshot({ path: file, fullPage });
  expect(statSync(file).size).toBeGreaterThan(10_000);
  // Committed screenshots stay small; the size of a throwaway one depends on the machine's fonts.
  if (process.env.UPDATE_SCREENSHOTS === '1') expect(statSync(file).size).toBeLessThan(300_000);
}

describe.skipIf(!CHROMIUM)('trustbench view in headless chromium', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    runs = await makeRuns(dir);
    server = await startViewServer({ runsDir: runs.root, port: 0 });
    // Root (as on CI) cannot use chromium's user-namespace sandbox; the page is our own, served from loopback.
    browser = await chromium.launch({ executablePath: CHROMIUM as string, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the runs with model, status and headline scores', async () => {
    await page.goto(server.url);
    await page.locator('#runs tbody tr').nth(3).waitFor();
    const rows = await page.locator('#runs tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/sweeps\/in-progress\s+mock\/careful.*running/s);
    expect(rows.find((r) => r.startsWith('candidate'))).toMatch(/mock\/careful\s+29 Nov 2026, 14:05\s+complete/);
    expect(rows.find((r) => r.startsWith('broken'))).toMatch(/unreadable.*JSON/s);
    expect(await page.locator('#runs thead').innerText()).toMatch(/truthfulness/);
    await shot('runs', false);
  });

  it('opens a run with its plots: scores, reliability, fixes, per-layer probes, steering', async () => {
    await page.locator('#runs a', { hasText: /^candidate$/ }).click();
    await page.locator('main[data-page="run"] #dimensions').waitFor();
    await expect.poll(() => page.locator('.chart[data-rendered="true"], .chart .error').count(), { timeout: 10_000 }).toBe(5);
    expect(await page.locator('.chart .error').allInnerTexts()).toEqual([]);
    expect(await page.locator('.chart svg.marks').count()).toBe(5);
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/mock\/careful\s+complete/);
    expect(text).toContain('Chosen: truthfulness at layer 11 (full_attention), alpha 4: helped');
    expect(await page.locator('.chart svg.marks').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Linear probe accuracy by layer'), expect.stringContaining('Steering truthfulness')]));
    await shot('run');
  });

  it('shows the leaderboard with paired deltas against a chosen baseline, sortable', async () => {
    await page.goto(`${server.url}/#/leaderboard`);
    await page.locator('#leaderboard tbody tr').first().waitFor();
    await page.locator('#baseline').selectOption('baseline');
    await page.locator('#leaderboard td', { hasText: 'Δ' }).first().waitFor();
    const candidate = await page.locator('#leaderboard tr[data-run="candidate"]').innerText();
    expect(candidate).toMatch(/Δ [+−]?\d\.\d{3}\s+\[[+−]?\d\.\d{3}, [+−]?\d\.\d{3}\]/);
    await page.locator('#leaderboard th[data-sort="run"]').click();
    const order = await page.locator('#leaderboard tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-run')));
    expect(order).toEqual(['sweeps/in-progress', 'candidate', 'baseline']);
    await shot('leaderboard', false);
  });

  it('filters the items and opens the malicious one: shown as text, nothing runs', async () => {
    await page.goto(`${server.url}/#/run/candidate`);
    await page.locator('#items-link').click();
    await page.locator('#items tbody tr').first().waitFor();
    const all = await page.locator('#items tbody tr').count();
    await page.locator('#filters select[name="dimension"]').selectOption('truthfulness');
    await expect.poll(async () => (await page.locator('#items tbody tr').allInnerTexts()).every((r) => r.includes('truthfulness.'))).toBe(true);
    expect(await page.locator('#items tbody tr').count()).toBeLessThan(all);
    await page.locator('#filters select[name="task"]').selectOption('truthfulness.golden_advfactuality');
    await page.locator(`#items tr[data-key="${runs.maliciousKey}"]`).waitFor();
    expect(await page.locator(`#items tr[data-key="${runs.maliciousKey}"] .reply-cell`).innerText()).toBe(MALICIOUS_REPLY);
    await shot('items', false);
    await page.locator(`#items tr[data-key="${runs.maliciousKey}"] a`).click();
    await page.locator('#reply').waitFor();
    expect(await page.locator('#reply').textContent()).toBe(MALICIOUS_REPLY);
    expect(await page.locator('#prompt').textContent()).toMatch(/^As we know, /);
    expect(await page.locator('dd[data-field="scorer"]').innerText()).not.toBe('');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    await shot('item', false);
  });

  it('logged no errors in the page (a CSP violation would be one)', () => {
    expect(errors).toEqual([]);
  });

  it('refuses ../ paths and links leading out of the runs folder', async () => {
    expect((await page.request.get(`${server.url}/files/..%2fsecret.txt`)).status()).toBe(400);
    expect((await page.request.get(`${server.url}/api/items?id=..%2F..%2Fetc`)).status()).toBe(400);
    const leak = await page.goto(`${server.url}/files/candidate/leak.txt`);
    expect(leak?.status()).toBe(403);
    expect(await page.content()).not.toContain('TOP-SECRET');
  });
});
