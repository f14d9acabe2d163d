import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuns, TEST_STEERING, type TestRuns } from './__fixtures__/make-runs.js';
import { findRuns, loadRun, RUNNING_WINDOW_MS, runStatus } from './run-index.js';
import { createRunStore } from './run-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-index-'));
let runs: TestRuns;
beforeAll(async () => {
  runs = await makeRuns(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findRuns', () => {
  it('finds run folders at any depth up to 3 and does not follow a symlink out of the folder', () => {
    expect(findRuns(runs.root)).toEqual(['baseline', 'broken', 'candidate', 'sweeps/in-progress']);
  });

  it('treats a run folder given directly as the run "."', () => {
    expect(findRuns(path.join(runs.root, 'baseline'))).toEqual(['.']);
  });
});

describe('loadRun', () => {
  it('summarises a complete run with the report scores and intervals', () => {
    const run = loadRun(runs.root, 'baseline');
    const report = JSON.parse(readFileSync(path.join(runs.root, 'baseline', 'report.json'), 'utf8')) as { dimensions: { dimension: string; score: { value: number; lower: number; upper: number } | null }[] };
    expect(run.summary).toMatchObject({ id: 'baseline', model: 'mock/overconfident', status: 'complete', createdAt: '2026-11-28T09:30:00.000Z', items: run.items.length });
    expect(run.summary.dimensions).toEqual(report.dimensions.map((d) => d.dimension));
    for (const d of report.dimensions) if (d.score) expect(run.summary.scores[d.dimension]).toMatchObject({ value: d.score.value, lower: d.score.lower, upper: d.score.upper });
  });

  it('shows a run without a report as running with partial means, and as stopped once its journal is stale', () => {
    const run = loadRun(runs.root, 'sweeps/in-progress');
    expect(run.summary.status).toBe('running');
    expect(run.report).toBeNull();
    const safety = run.items.filter((i) => i.score === 0 || i.score === 1);
    expect(run.summary.scores.safety).toEqual({ value: safety.reduce((s, i) => s + (i.score as number), 0) / safety.length, lower: null, upper: null, n: safety.length });
    expect(run.summary.expectedItems).toBeGreaterThanOrEqual(run.items.length);
    expect(runStatus(run.dir, Date.now() + RUNNING_WINDOW_MS + 1000)).toBe('stopped');
  });

  it('keeps a run whose optional report fields are malformed, with a warning naming the field', () => {
    const file = path.join(runs.root, 'candidate', 'report.json');
    const good = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, JSON.stringify({ ...JSON.parse(good), layers: [{ layer: 'one' }] }));
      const run = loadRun(runs.root, 'candidate');
      expect(run.summary.status).toBe('complete');
      expect(run.report?.layers).toBeUndefined();
      expect(run.report?.steering).toEqual(TEST_STEERING);
      expect(run.summary.warnings).toEqual([`${file}: layers[0].layer must be an integer, got "one"; the per-layer plot is left out`]);
    } finally {
      writeFileSync(file, good);
    }
  });

  it('lists a folder with a malformed manifest as unreadable, with the error naming the problem', () => {
    const run = loadRun(runs.root, 'broken');
    expect(run.summary.status).toBe('unreadable');
    expect(run.summary.error).toMatch(/JSON/);
  });
});

describe('createRunStore', () => {
  it('lists every run newest first and refuses ids outside the folder', () => {
    const store = createRunStore(runs.root);
    expect(store.list().map((r) => r.id)).toEqual(['sweeps/in-progress', 'candidate', 'baseline', 'broken']);
    expect(store.get('../runs/baseline')).toMatchObject({ ok: false, status: 400 });
    expect(store.get('escape')).toMatchObject({ ok: false, status: 403 });
    expect(store.get('sweeps')).toMatchObject({ ok: false, status: 404 });
    expect(store.get('candidate')).toMatchObject({ ok: true });
  });

  it('joins items with their prompts and gold answers from the dataset', async () => {
    const store = createRunStore(runs.root);
    const r = store.get('candidate');
    if (!r.ok) throw new Error(r.reason);
    const { items, note } = await store.items(r.run);
    expect(note).toBeNull();
    expect(items).toHaveLength(runs.candidateItems.length);
    const bad = items.find((i) => i.key === runs.maliciousKey);
    expect(bad?.prompt).toMatch(/^As we know, /);
    expect(items.filter((i) => i.prompt === null)).toEqual([]);
    expect(items.some((i) => i.options !== null && i.gold !== null)).toBe(true);
  });
});
