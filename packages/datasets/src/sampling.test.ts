import { describe, expect, it } from 'vitest';
import { sampleRecords, splitRecords } from './sampling.js';
import type { TaskRecord } from './task.js';

const records: TaskRecord[] = Array.from({ length: 60 }, (_, i) => ({
  id: `t:${i}`, prompt: `p${i}`, gold: i % 3 === 0 ? 'a' : 'b', cluster: `c${Math.floor(i / 2)}`, fields: {},
}));

describe('seeded sampling and splitting', () => {
  it('keeps the same items for the same seed, nests limits, and keeps pairs whole', () => {
    const a = sampleRecords(records, { limit: 10, seed: 1 });
    expect(sampleRecords(records, { limit: 10, seed: 1 })).toEqual(a);
    expect(a).toHaveLength(10);
    expect(sampleRecords(records, { limit: 10, seed: 2 })).not.toEqual(a);
    const bigger = sampleRecords(records, { limit: 20, seed: 1 }).map((r) => r.id);
    for (const r of a) expect(bigger).toContain(r.id);
    const clusters = new Map<string, number>();
    for (const r of a) clusters.set(r.cluster, (clusters.get(r.cluster) ?? 0) + 1);
    expect([...clusters.values()].every((n) => n === 2)).toBe(true);
    // the order of the input does not change the choice
    expect(sampleRecords([...records].reverse(), { limit: 10, seed: 1 }).map((r) => r.id).sort()).toEqual(a.map((r) => r.id).sort());
  });

  it('splits by fractions, whole clusters, stratified', () => {
    const s = splitRecords(records, { fractions: { fit: 0.5, test: 0.5 }, seed: 3, stratify: (r) => String(r.cluster.length) });
    expect(s.fit.length + s.test.length).toBe(60);
    const fitClusters = new Set(s.fit.map((r) => r.cluster));
    expect(s.test.some((r) => fitClusters.has(r.cluster))).toBe(false);
    expect(Math.abs(s.fit.length - 30)).toBeLessThanOrEqual(4);
    expect(() => splitRecords(records, { fractions: { a: 0.5, b: 0.4 }, seed: 1 })).toThrow(/fractions must sum to 1, got 0.9/);
  });
});
