import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';
import type { ItemRecord } from './profile.js';

const item = (k: number, dimension: string, correct: 0 | 1, confidence: number): ItemRecord => ({
  key: `t|${k}`, itemId: String(k), taskId: `${dimension}.t`, dimension, cluster: `c${Math.floor(k / 2)}`, mode: 'loglikelihood', reply: 'A', extracted: 'A',
  score: correct, scorer: 'loglikelihood', confidence, correct, tokens: { prompt: 0, completion: 0 }, seed: 0, modelId: 'm', datasetVersion: 'v',
});

describe('diagnose', () => {
  // 15 items per dimension, 1 in 3 right, all at confidence 0.95: too few per dimension, enough pooled (30).
  const items = ['safety', 'ethics'].flatMap((d, j) => Array.from({ length: 15 }, (_, k) => item(100 * j + k, d, k % 3 === 0 ? 1 : 0, 0.95)));

  it('scores each dimension as the mean of item scores with an interval around it, and ECE = |0.95 - accuracy|', () => {
    const { dimensions } = diagnose(items, [], { seed: 1, iterations: 300 });
    for (const d of dimensions) {
      expect(d.score!.value).toBeCloseTo(5 / 15, 12);
      expect(d.score!.lower).toBeLessThan(d.score!.value);
      expect(d.calibration!.ece.value).toBeCloseTo(0.95 - 5 / 15, 12);
      expect(d.calibration!.n).toBe(15);
    }
  });

  it('suggests calibration from the pooled items when each dimension alone is too small', () => {
    const { suggestions } = diagnose(items, [], { seed: 1, iterations: 300 });
    expect(suggestions.map((s) => s.dimension)).toEqual(['all']);
    expect(suggestions[0]!.evidence).toMatch(/^ECE 0\.617 .* over 30 items/);
  });

  it('suggests nothing for a calibrated model', () => {
    const calibrated = items.map((i) => ({ ...i, confidence: 1 / 3 }));
    expect(diagnose(calibrated, [], { seed: 1, iterations: 300 }).suggestions).toEqual([]);
  });
});
