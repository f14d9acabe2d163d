import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareItems } from '@trustbench/loop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuns } from './__fixtures__/make-runs.js';
import { buildLeaderboard } from './leaderboard.js';
import { findRuns, loadRun, type LoadedRun } from './run-index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-board-'));
let loaded: LoadedRun[];
beforeAll(async () => {
  const { root } = await makeRuns(dir);
  loaded = findRuns(root).map((id) => loadRun(root, id));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildLeaderboard', () => {
  it('puts readable runs best mean first, each mean the average of its dimension scores', () => {
    const board = buildLeaderboard(loaded, null, { seed: 0, iterations: 200 });
    expect(board.rows.map((r) => r.id).sort()).toEqual(['baseline', 'candidate', 'sweeps/in-progress']);
    const means = board.rows.map((r) => r.mean as number);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    for (const r of board.rows) {
      const v = Object.values(r.scores).map((s) => s.value);
      expect(r.mean).toBeCloseTo(v.reduce((a, b) => a + b, 0) / v.length, 12);
      expect(r.deltas).toBeNull();
    }
  });

  it('gives each run the paired comparison against the baseline, and none to the baseline itself', () => {
    const board = buildLeaderboard(loaded, 'baseline', { seed: 0, iterations: 200 });
    expect(board.baseline).toBe('baseline');
    expect(board.rows.find((r) => r.id === 'baseline')?.deltas).toBeNull();
    const base = loaded.find((r) => r.summary.id === 'baseline')!;
    const cand = loaded.find((r) => r.summary.id === 'candidate')!;
    const expected = compareItems(base.items, cand.items, { seed: 0, iterations: 200 });
    const deltas = board.rows.find((r) => r.id === 'candidate')?.deltas ?? {};
    expect(Object.keys(deltas).sort()).toEqual(expected.map((c) => c.dimension).sort());
    for (const c of expected) expect(deltas[c.dimension]).toEqual({ difference: c.difference, verdict: c.verdict, pairs: c.pairs, holmPValue: c.holmPValue });
  });

  it('ignores an unknown baseline', () => {
    expect(buildLeaderboard(loaded, 'nope', { seed: 0, iterations: 200 }).baseline).toBeNull();
  });
});
