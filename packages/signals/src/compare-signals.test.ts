import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { compareSignals } from './compare-signals.js';
import type { SignalRecord } from './signal-record.js';

/** 40 items; 'shifted' is 1 higher on incorrect items and on DeltaNet layers; 'null' has no effect at all. */
function records(): SignalRecord[] {
  const random = createRandom(2);
  const out: SignalRecord[] = [];
  for (let k = 0; k < 40; k++) {
    const group = k % 2 ? 'incorrect' : 'correct';
    for (const [layer, layerType] of [[0, 'linear_attention'], [1, 'linear_attention'], [2, 'full_attention']] as const) {
      const base = { modelId: 'm', datasetId: 'd', seed: 1, itemId: `i${k}`, group, layer, layerType, head: null };
      out.push({ ...base, signal: 'shifted', value: random.normal() * 0.3 + (group === 'incorrect' ? 1 : 0) + (layerType === 'linear_attention' ? 1 : 0) });
      out.push({ ...base, signal: 'null', value: random.normal() });
    }
  }
  return out;
}

describe('compareSignals', () => {
  const rows = compareSignals(records(), { seed: 1 });
  const row = (signal: string, comparison: string, scope: string) => rows.find((r) => r.signal === signal && r.comparison === comparison && r.scope === scope)!;

  it('finds planted effects with Bonferroni-corrected intervals, and none where there is none', () => {
    expect(rows).toHaveLength(6); // 2 signals x (linear vs full + 2 layer types)
    for (const r of rows) expect(r.level).toBeCloseTo(1 - 0.05 / 6, 12);
    const lf = row('shifted', 'linear vs full', 'all layers');
    expect(lf.difference).toBeCloseTo(1, 0);
    expect(lf.excludesZero).toBe(true);
    const cf = row('shifted', 'incorrect vs correct', 'full_attention');
    expect(cf.n).toEqual([20, 20]);
    expect(cf.difference).toBeGreaterThan(0.7);
    expect(cf.effectSize).toBeGreaterThan(2);
    expect(cf.lower).toBeGreaterThan(0);
    for (const r of rows.filter((x) => x.signal === 'null')) expect(r.excludesZero).toBe(false);
  });
});
