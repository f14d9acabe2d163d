/**
 * The comparison table: each signal on Gated DeltaNet vs full-attention layers, and on correct vs incorrect items,
 * with an effect size and a bootstrap interval whose level is Bonferroni-corrected for the number of rows
 * (level 1 - 0.05 / m), so "the interval excludes 0" can be read row by row without a multiple-comparisons excess.
 *
 * Units: every item contributes one value per side, the mean of the signal over that side's records (over layers
 * and heads of one type, or over everything for output signals), so layers and heads of one item are never counted
 * as independent samples.
 *
 * - linear vs full: paired by item; difference = mean(linear - full); effect size d_z = mean(diff) / sd(diff);
 *   interval: percentile bootstrap of the mean difference (`bootstrapCI` of @trustbench/metrics).
 * - correct vs incorrect (per layer type, and for output signals): difference = mean(incorrect) - mean(correct);
 *   effect size Cohen's d with the pooled sd; interval: stratified percentile bootstrap (each group resampled within
 *   itself).
 */
import { createRandom, InputError } from '@trustbench/core';
import { bootstrapCI, quantile } from '@trustbench/metrics';
import type { SignalRecord } from './signal-record.js';

/** One row of the table. */
export interface ComparisonRow {
  readonly signal: string;
  /** 'linear vs full', or 'incorrect vs correct' with the layer type compared ('output' for output signals). */
  readonly comparison: 'linear vs full' | 'incorrect vs correct';
  readonly scope: 'linear_attention' | 'full_attention' | 'output' | 'all layers';
  readonly n: readonly [number, number];
  readonly meanA: number;
  readonly meanB: number;
  readonly difference: number;
  readonly effectSize: number;
  readonly lower: number;
  readonly upper: number;
  /** 1 - 0.05 / (number of rows). */
  readonly level: number;
  readonly excludesZero: boolean;
}

/**
 * Builds the table from records (groups "correct" / "incorrect" drive the second comparison; other groups are ignored).
 *
 * @throws {InputError} when there are no records.
 * @example
 * const rows = compareSignals(records, { seed: 1 });
 */
export function compareSignals(records: readonly SignalRecord[], options: { readonly seed?: number; readonly iterations?: number } = {}): ComparisonRow[] {
  if (records.length === 0) throw new InputError('compareSignals: no records');
  // item -> signal|scope -> [sum, count]
  const cells = new Map<string, Map<string, [number, number]>>();
  const groups = new Map<string, string | null>();
  for (const r of records) {
    if (!Number.isFinite(r.value)) continue;
    groups.set(r.itemId, r.group);
    const byItem = cells.get(r.itemId) ?? new Map<string, [number, number]>();
    cells.set(r.itemId, byItem);
    for (const scope of r.layerType === null ? ['output'] : [r.layerType, 'all layers']) {
      const key = `${r.signal}|${scope}`;
      const c = byItem.get(key) ?? [0, 0];
      c[0] += r.value;
      c[1] += 1;
      byItem.set(key, c);
    }
  }
  const signals = [...new Set(records.map((r) => r.signal))];
  const value = (item: string, signal: string, scope: string) => {
    const c = cells.get(item)?.get(`${signal}|${scope}`);
    return c ? c[0] / c[1] : undefined;
  };
  const items = [...cells.keys()];
  type Pending = Omit<ComparisonRow, 'lower' | 'upper' | 'level' | 'excludesZero'> & { interval: (alpha: number) => [number, number] };
  const pending: Pending[] = [];
  const seed = options.seed ?? 0;
  const iterations = options.iterations ?? 1000;
  for (const signal of signals) {
    const pairs = items.map((i) => [value(i, signal, 'linear_attention'), value(i, signal, 'full_attention')] as const).filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined);
    if (pairs.length >= 2) {
      const diff = pairs.map(([a, b]) => a - b);
      pending.push({
        signal, comparison: 'linear vs full', scope: 'all layers', n: [pairs.length, pairs.length],
        meanA: mean(pairs.map((p) => p[0])), meanB: mean(pairs.map((p) => p[1])), difference: mean(diff), effectSize: mean(diff) / sd(diff),
        interval: (alpha) => {
          const ci = bootstrapCI(diff, 'mean', { alpha, seed, iterations });
          return [ci.lower, ci.upper];
        },
      });
    }
    for (const scope of ['output', 'linear_attention', 'full_attention'] as const) {
      const of = (g: string) => items.filter((i) => groups.get(i) === g).map((i) => value(i, signal, scope)).filter((v): v is number => v !== undefined);
      const [bad, good] = [of('incorrect'), of('correct')];
      if (bad.length < 2 || good.length < 2) continue;
      const pooled = Math.sqrt(((bad.length - 1) * sd(bad) ** 2 + (good.length - 1) * sd(good) ** 2) / (bad.length + good.length - 2));
      pending.push({
        signal, comparison: 'incorrect vs correct', scope, n: [bad.length, good.length],
        meanA: mean(bad), meanB: mean(good), difference: mean(bad) - mean(good), effectSize: (mean(bad) - mean(good)) / pooled,
        interval: (alpha) => stratifiedInterval(bad, good, alpha, seed, iterations),
      });
    }
  }
  const alpha = 0.05 / Math.max(1, pending.length);
  return pending.map(({ interval, ...row }) => {
    const [lower, upper] = interval(alpha);
    return { ...row, lower, upper, level: 1 - alpha, excludesZero: lower > 0 || upper < 0 };
  });
}

/** Percentile interval of mean(a) - mean(b), resampling each group within itself. */
function stratifiedInterval(a: readonly number[], b: readonly number[], alpha: number, seed: number, iterations: number): [number, number] {
  const random = createRandom(seed);
  const stats = new Float64Array(iterations);
  const draw = (x: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[Math.floor(random.next() * x.length)] as number;
    return s / x.length;
  };
  for (let k = 0; k < iterations; k++) stats[k] = draw(a) - draw(b);
  stats.sort();
  return [quantile(stats, alpha / 2), quantile(stats, 1 - alpha / 2)];
}

function mean(x: readonly number[]): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

/** Sample standard deviation (n - 1). */
function sd(x: readonly number[]): number {
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
}
