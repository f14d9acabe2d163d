import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { compareItems } from '@trustbench/loop';
import { readSignalFile } from '@trustbench/signals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuns, MALICIOUS_REPLY, type TestRuns } from './__fixtures__/make-runs.js';
import { CONTENT_SECURITY_POLICY } from './app.js';
import { groupItemSignals, type ItemSignals } from './item-signals.js';
import { loadRun } from './run-index.js';
import { startViewServer, type ViewServer } from './start-view-server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-server-'));
let runs: TestRuns;
let server: ViewServer;
beforeAll(async () => {
  runs = await makeRuns(dir, { whiteBox: true });
  server = await startViewServer({ runsDir: runs.root, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request with the path sent byte for byte (fetch would normalise `..` away before sending). */
function raw(pathname: string, host?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, method: 'GET', headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject).end();
  });
}

describe('startViewServer', () => {
  it('binds 127.0.0.1 and serves the page and the vendored Vega builds with a strict CSP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    for (const f of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) expect((await raw(`/vendor/${f}`)).status).toBe(200);
    expect((await raw('/app/pages/item.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('answers the API: runs, a run page, items with the malicious reply as JSON data, the leaderboard', async () => {
    const list = JSON.parse((await raw('/api/runs')).body) as { runs: { id: string; status: string }[] };
    expect(list.runs.map((r) => [r.id, r.status])).toEqual([['sweeps/in-progress', 'running'], ['whitebox', 'complete'], ['candidate', 'complete'], ['baseline', 'complete'], ['broken', 'unreadable']]);
    const page = JSON.parse((await raw('/api/run?id=candidate')).body) as { charts: Record<string, unknown>; files: string[] };
    expect(Object.values(page.charts).every((c) => c !== null)).toBe(true);
    expect(page.files).toContain('candidate/report.html');
    const items = JSON.parse((await raw('/api/items?id=candidate')).body) as { items: { key: string; reply: string }[] };
    expect(items.items.find((i) => i.key === runs.maliciousKey)?.reply).toBe(MALICIOUS_REPLY);
    const board = JSON.parse((await raw('/api/leaderboard?baseline=baseline')).body) as { baseline: string; rows: { id: string; deltas: unknown }[] };
    expect(board.baseline).toBe('baseline');
    // The server's paired comparisons (default seed 0, 1000 resamples), against loop's compareItems run here.
    const expected = compareItems(loadRun(runs.root, 'baseline').items, runs.candidateItems, { seed: 0, iterations: 1000 });
    expect(expected).not.toEqual([]);
    expect(board.rows.find((r) => r.id === 'candidate')?.deltas).toEqual(Object.fromEntries(expected.map((c) => [c.dimension, { difference: c.difference, verdict: c.verdict, pairs: c.pairs, holmPValue: c.holmPValue }])));
  });

  it('answers a white-box run page with its verification tables, each only when present', async () => {
    const page = JSON.parse((await raw('/api/run?id=whitebox')).body) as { report: Record<string, unknown>; files: string[]; summary: { warnings: string[] } };
    const report = JSON.parse(readFileSync(path.join(runs.root, 'whitebox', 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(page.summary.warnings).toEqual([]);
    for (const k of ['signalDifferences', 'consistency', 'cost', 'critique']) expect(page.report[k]).toEqual(report[k]);
    expect((page.report.consistency as { scores: number[] }[])[0]?.scores).toHaveLength(2);
    expect(page.files).toContain('whitebox/signals.arrow');
    const candidate = JSON.parse((await raw('/api/run?id=candidate')).body) as { report: Record<string, unknown> };
    expect(Object.keys(candidate.report)).not.toEqual(expect.arrayContaining(['signalDifferences']));
    expect(candidate.report.cost).toBeUndefined();
    expect(candidate.report.steeringFixes).toHaveLength(2);
  });

  it('answers an item\'s signals from signals.arrow, and says why when a run has none', async () => {
    // Signals are recorded for the judged items (correct 0 or 1), grouped as the item was judged.
    const item = runs.whiteBox!.items.find((i) => i.correct === 0)!;
    const r = JSON.parse((await raw(`/api/item-signals?id=whitebox&key=${encodeURIComponent(item.key)}`)).body) as { signals: ItemSignals; chart: unknown; note: unknown };
    const expected = groupItemSignals(await readSignalFile(path.join(runs.root, 'whitebox', 'signals.arrow'))).get(item.key);
    expect(expected?.group).toBe('incorrect');
    expect(r).toMatchObject({ signals: JSON.parse(JSON.stringify(expected)), note: null });
    expect(r.chart).not.toBeNull();
    // The planted checkpoint: three Gated DeltaNet layers, then full attention.
    expect([...new Map(r.signals.layers.map((l) => [l.layer, l.layerType]))]).toEqual([[0, 'linear_attention'], [1, 'linear_attention'], [2, 'linear_attention'], [3, 'full_attention']]);
    expect(r.signals.output.map((o) => o.signal)).toEqual(expect.arrayContaining(['entropy', 'top1_prob', 'margin', 'mean_logprob']));
    const none = JSON.parse((await raw(`/api/item-signals?id=candidate&key=${encodeURIComponent(runs.maliciousKey)}`)).body) as { signals: unknown; note: string };
    expect(none).toMatchObject({ signals: null, note: expect.stringMatching(/no signals\.arrow/) });
    const missing = JSON.parse((await raw('/api/item-signals?id=whitebox&key=nope')).body) as { signals: unknown; note: string };
    expect(missing).toMatchObject({ signals: null, note: expect.stringMatching(/no signals for nope/) });
    const outside = await raw(`/api/item-signals?id=baseline&key=x`);
    expect(outside.body).not.toContain('TOP-SECRET');
    expect(JSON.parse(outside.body)).toMatchObject({ signals: null, note: expect.stringMatching(/not read: a link that leads outside the runs folder/) });
    expect((await raw('/api/item-signals?id=..%2Fetc&key=x')).status).toBe(400);
  });

  it('serves run files under the runs folder, sandboxed', async () => {
    const r = await raw('/files/candidate/report.html');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe('sandbox');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    // The URL parser treats %2e%2e as a dot segment and removes it before routing: what is left is not a route.
    ['/files/%2e%2e/secret.txt', 404],
    ['/files/candidate/%2e%2e/%2e%2e/secret.txt', 404],
    ['/files/..%2fsecret.txt', 400],
    ['/files/%2Fetc%2Fpasswd', 400],
    ['/files/candidate%5c..%5c..%5csecret.txt', 400],
    ['/files/%E0%A4%A', 400],
    ['/files/candidate/leak.txt', 403],
    ['/files/escape/secret.txt', 403],
    ['/files/candidate/missing.json', 404],
    ['/api/run?id=..%2Fruns%2Fbaseline', 400],
    ['/api/items?id=escape', 403],
    ['/api/run?id=nope', 404],
  ])('refuses %s with %i and never shows the secret', async (p, status) => {
    const r = await raw(p);
    expect(r.status).toBe(status);
    expect(r.body).not.toContain('TOP-SECRET');
  });

  it('never answers a raw ../ path with a file outside the folder', async () => {
    for (const p of ['/files/../secret.txt', '/files/../../../../etc/passwd', '/../secret.txt']) {
      const r = await raw(p);
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain('TOP-SECRET');
      expect(r.body).not.toContain('root:');
    }
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    expect((await raw('/api/runs', 'evil.example:80')).status).toBe(403);
    expect((await raw('/api/runs', `localhost:${server.port}`)).status).toBe(200);
  });

  it('reports a taken port and a missing folder as ConfigError', async () => {
    await expect(startViewServer({ runsDir: runs.root, port: server.port })).rejects.toThrow(/in use: pass --port/);
    await expect(startViewServer({ runsDir: path.join(dir, 'nope'), port: 0 })).rejects.toThrow(ConfigError);
  });
});
