/**
 * The dashboard in a real browser: headless Debian chromium driven by playwright-core opens the runs list, a run, the
 * leaderboard, the items and one item, a white-box run (signal differences, critique, consistency, cost) and one of
 * its items with its signals, checks what each shows, and takes screenshots. A reply that is an XSS attempt
 * must show as text and run nothing; `../` requests must be refused. Screenshots go to a temporary folder, or to
 * docs/images/ with UPDATE_SCREENSHOTS=1 (so a test run does not rewrite committed files).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

const readReport = (id: string): unknown => JSON.parse(readFileSync(path.join(runs.root, id, 'report.json'), 'utf8'));

/**
 * A screenshot: the viewport, or the full page, or the part of the page between the tops of `from` and the bottom of
 * `to` (selectors), which keeps a committed image to the part a test is about.
 */
async function shot(name: string, fullPage = true, part: { readonly from?: string; readonly to?: string } = {}): Promise<void> {
  const file = path.join(shots, `view-${name}.png`);
  const box = async (sel: string | undefined) => (sel ? page.locator(sel).first().boundingBox() : null);
  const [from, to] = await Promise.all([box(part.from), box(part.to)]);
  const top = from ? Math.max(0, from.y - 12) : 0;
  const bottom = to ? to.y + to.height + 16 : await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: file, fullPage, ...(from || to ? { clip: { x: 0, y: top, width: 1280, height: bottom - top } } : {}) });
  expect(statSync(file).size).toBeGreaterThan(10_000);
  // Committed screenshots stay small; the size of a throwaway one depends on the machine's fonts.
  if (process.env.UPDATE_SCREENSHOTS === '1') expect(statSync(file).size).toBeLessThan(300_000);
}

describe.skipIf(!CHROMIUM)('trustbench view in headless chromium', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    runs = await makeRuns(dir, { whiteBox: true });
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
    await page.locator('#runs tbody tr').nth(4).waitFor();
    const rows = await page.locator('#runs tbody tr').allInnerTexts();
    expect(rows).toHaveLength(5);
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
    // The steering verification: the target row, then the side-effect matrix, as report.json has them.
    const { steeringFixes } = readReport('candidate') as { steeringFixes: [{ target: { dimension: string; verdict: string }; sideEffects: { dimension: string }[] }] };
    const fix = page.locator('.steering-fix[data-task="truthfulness.golden_advfactuality"]');
    const rows = await fix.locator('tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-dimension')));
    expect(rows).toEqual([steeringFixes[0].target.dimension, ...steeringFixes[0].sideEffects.map((d) => d.dimension)]);
    expect(await fix.locator('tbody tr').first().innerText()).toMatch(new RegExp(`target.*${steeringFixes[0].target.verdict}$`, 's'));
    expect(await fix.locator('tbody tr').first().innerText()).toMatch(/[+−]?\d\.\d{3} \[[+−]?\d\.\d{3}, [+−]?\d\.\d{3}\]/);
    expect(await page.locator('.steering-skipped').innerText()).toBe('ethics.implicit_ethics: not steered (the fit split has 1 failed and 3 passed items; reading a direction needs 4 of each)');
    // A black-box run has none of the white-box tables, and no cost line.
    expect(await page.locator('#signal-differences, #consistency, #critique, #cost').count()).toBe(0);
    await shot('run', true, { to: '#steering-summary' });
    await shot('steering-verification', true, { from: '.steering-fix', to: '.steering-skipped' });
  });

  it('shows a white-box run\'s signal differences, critique, consistency and cost', async () => {
    await page.goto(`${server.url}/#/run/whitebox`);
    await page.locator('#signal-differences').waitFor();
    const report = readReport('whitebox') as {
      signalDifferences: { signal: string; scope: string; excludesZero: boolean }[]; consistency: { dimension: string; scores: number[] }[];
      cost: { usd: number }; tokens: { prompt: number; completion: number }; critique: { dimensions: unknown[] };
    };
    const shown = await page.locator('#signal-differences tbody tr').evaluateAll((trs) => trs.map((t) => [t.getAttribute('data-signal'), t.getAttribute('data-scope'), t.classList.contains('excludes')]));
    expect(shown).toEqual(report.signalDifferences.map((d) => [d.signal, d.scope, d.excludesZero]));
    expect(await page.locator('#signal-differences tbody tr').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Gated DeltaNet/), expect.stringMatching(/full attention/), expect.stringMatching(/^entropy\s+output/)]));
    expect(await page.locator('#consistency thead').innerText()).toMatch(/seed \(main\)\s+seed \+1\s+mean\s+sd\s+agreement\s+kappa/);
    expect(await page.locator('#consistency tbody tr td:first-child').allInnerTexts()).toEqual(report.consistency.map((d) => d.dimension));
    expect(await page.locator('#cost').innerText()).toBe(`Cost: $${report.cost.usd.toPrecision(3)} for ${report.tokens.prompt} prompt tokens at $0.15/M and ${report.tokens.completion} completion tokens at $0.6/M (the profile's tokens)`);
    expect(await page.locator('#critique tbody tr').count()).toBe(report.critique.dimensions.length);
    await shot('run-white-box', true, { from: 'h2:has-text("Signals of failed")' });
  });

  it('shows an item\'s white-box signals: output signals, and per-layer signals labelled by layer type', async () => {
    const item = runs.whiteBox!.items.find((i) => i.correct === 1)!;
    await page.goto(`${server.url}/#/item/whitebox/${encodeURIComponent(item.key)}`);
    await page.locator('#layer-signals').waitFor();
    expect(await page.locator('main').innerText()).toContain('this item is in the correct group');
    const output = await page.locator('#output-signals tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-signal')));
    expect(output).toEqual(expect.arrayContaining(['entropy', 'top1_prob', 'margin', 'mean_logprob']));
    expect(await page.locator('#output-signals tr[data-signal="entropy"]').innerText()).toMatch(/^entropy\s+[\d.e+-]+\s+output: entropy \(nats\)/);
    // The planted checkpoint: layers 0-2 Gated DeltaNet, layer 3 full attention.
    const layers = await page.locator('#layer-signals tbody tr').evaluateAll((trs) => trs.map((t) => [t.getAttribute('data-layer'), t.getAttribute('data-layer-type'), t.querySelector('.lt')?.textContent]));
    expect(layers).toEqual([['0', 'linear_attention', 'Gated DeltaNet'], ['1', 'linear_attention', 'Gated DeltaNet'], ['2', 'linear_attention', 'Gated DeltaNet'], ['3', 'full_attention', 'full attention']]);
    expect(await page.locator('#layer-signals thead').innerText()).toMatch(/resid_norm/);
    await page.locator('.chart[data-rendered="true"] svg.marks').waitFor();
    expect(await page.locator('.chart svg.marks').textContent()).toContain('Signals by layer');
    await shot('item-signals');
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
    expect(order).toEqual(['whitebox', 'sweeps/in-progress', 'candidate', 'baseline']);
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
    await page.locator('#signals-note').waitFor();
    expect(await page.locator('#signals-note').innerText()).toMatch(/^this run has no signals\.arrow/);
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
