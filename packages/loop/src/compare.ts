/**
 * Compare two runs item by item: per dimension, the paired bootstrap CI of the score difference (B - A, clustered),
 * the exact McNemar p-value, Holm-adjusted across dimensions, and a verdict that never claims more than the CI.
 */
import { holm, mcnemarExact, minimumDetectableEffect, pairedBootstrap, type BootstrapInterval } from '@trustbench/metrics';
import type { ItemRecord } from './profile.js';
import type { Verdict } from './calibration-fix.js';

/** One dimension of a comparison. */
export interface DimensionComparison {
  readonly dimension: string;
  /** Items scored 0/1 in both runs. */
  readonly pairs: number;
  readonly before: number;
  readonly after: number;
  readonly difference: BootstrapInterval;
  readonly mcnemar: { readonly b: number; readonly c: number; readonly pValue: number };
  readonly holmPValue: number;
  /** helped: CI above zero; hurt: below zero; otherwise no detectable effect (see minimumDetectableEffect). */
  readonly verdict: Verdict;
  /** Smallest difference these pairs could detect (alpha 0.05, power 0.8); when no item changed, sd 0.5 is assumed. */
  readonly minimumDetectableEffect: number;
}

/**
 * Compares run B against run A (the baseline) over every dimension both cover: the side-effect matrix of a change.
 * A dimension with fewer than 2 paired items is left out. `group` groups items otherwise (default: by dimension).
 *
 * @example
 * const rows = compareItems(readRun('runs/before').items, readRun('runs/after').items, { seed: 1 });
 */
export function compareItems(
  a: readonly ItemRecord[], b: readonly ItemRecord[], options: { readonly seed: number; readonly iterations?: number; readonly group?: (item: ItemRecord) => string },
): DimensionComparison[] {
  const group = options.group ?? ((i: ItemRecord) => i.dimension);
  const byKey = new Map(a.filter((i) => i.score === 0 || i.score === 1).map((i) => [i.key, i]));
  const paired = b.filter((i) => (i.score === 0 || i.score === 1) && byKey.has(i.key)).map((after) => ({ before: byKey.get(after.key) as ItemRecord, after }));
  const dims = [...new Set(paired.map((p) => group(p.after)))].sort();
  const rows = dims.flatMap((dimension) => {
    const ps = paired.filter((p) => group(p.after) === dimension);
    if (ps.length < 2) return [];
    const x = ps.map((p) => p.before.score as 0 | 1);
    const y = ps.map((p) => p.after.score as 0 | 1);
    const difference = pairedBootstrap(x, y, 'mean', { seed: options.seed, iterations: options.iterations ?? 1000, clusters: ps.map((p) => p.after.cluster) });
    const d = y.map((v, k) => v - (x[k] as number));
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, d.length - 1));
    return [{
      dimension, pairs: ps.length, before: x.reduce<number>((s, v) => s + v, 0) / x.length, after: y.reduce<number>((s, v) => s + v, 0) / y.length, difference,
      mcnemar: mcnemarExact(x, y), verdict: (difference.lower > 0 ? 'helped' : difference.upper < 0 ? 'hurt' : 'no detectable effect') as Verdict,
      minimumDetectableEffect: minimumDetectableEffect({ n: d.length, sd: sd > 0 ? sd : 0.5 }),
    }];
  });
  const adjusted = rows.length > 0 ? holm(rows.map((r) => r.mcnemar.pValue)) : [];
  return rows.map((r, k) => ({ ...r, holmPValue: adjusted[k] as number }));
}
