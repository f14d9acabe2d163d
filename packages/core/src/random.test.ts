import { describe, expect, it } from 'vitest';
import { createRandom, hashString } from './random.js';

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = Array.from({ length: 5 }, createRandom(7).next);
    const b = createRandom(7);
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(a);
    expect(createRandom(8).next()).not.toBe(a[0]);
  });

  it('is uniform and normal to within sampling error', () => {
    const rng = createRandom(1);
    const n = 100_000;
    let sum = 0, sumN = 0, sumN2 = 0, outside = 0;
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      buckets[Math.floor(u * 10)]++;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const c of buckets) expect(Math.abs(c - n / 10)).toBeLessThan(5 * Math.sqrt(n / 10));
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('hashes strings stably', () => {
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });
});
