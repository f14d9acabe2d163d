/**
 * Percentile bootstrap confidence intervals, with clustered resampling for items that come in pairs or groups, and the
 * paired bootstrap of a before/after difference on the same items.
 */
import { createRandom, InputError } from '@trustbench/core';
import { checkValues } from './internal/validate.js';

/** A statistic of a sample: the built-in `'mean'` (fast path), or any function of the resampled values. */
export type Statistic = 'mean' | ((sample: Float64Array) => number);

/** Options of the bootstrap. */
export interface BootstrapOptions {
  /** Resamples; default 1000. */
  readonly iterations?: number;
  /** 1 - coverage; default 0.05 (a 95% interval). */
  readonly alpha?: number;
  /** Seed of the resampling; default 0. */
  readonly seed?: number;
  /** Cluster id per value: whole clusters are resampled together (pairs stay pairs). */
  readonly clusters?: readonly (string | number)[];
}

/** A point estimate with its percentile interval. */
export interface BootstrapInterval {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly iterations: number;
  readonly method: string;
}

/**
 * Percentile bootstrap CI: the statistic on B resamples (items, or whole clusters, drawn with replacement), then the
 * alpha/2 and 1 - alpha/2 quantiles (linear interpolation between order statistics, type 7).
 *
 * @throws {InputError} for empty input, non-finite values, or clusters of the wrong length.
 * @example
 * bootstrapCI([1, 0, 1, 1], 'mean', { seed: 1 }) // { value: 0.75, lower: ..., upper: ..., level: 0.95 }
 */
export function bootstrapCI(values: readonly number[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): BootstrapInterval {
  checkValues('bootstrapCI', 'values', values);
  const data = Float64Array.from(values);
  const stat = statisticFn(statistic);
  const resample = resampler(values.length, options.clusters, 'bootstrapCI');
  const B = options.iterations ?? 1000;
  const random = createRandom(options.seed ?? 0);
  const stats = new Float64Array(B);
  const sample = new Float64Array(values.length);
  if (statistic === 'mean' && !options.clusters) {
    // Fast path: the mean of a resample is a sum of random draws; no index array or sample copy is needed.
    const n = data.length;
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[Math.floor(random.next() * n)] as number;
      stats[b] = s / n;
    }
    return interval(stat(data), stats, options, 'percentile bootstrap');
  }
  for (let b = 0; b < B; b++) {
    const idx = resample(random);
    const s = idx.length === sample.length ? sample : new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) s[i] = data[idx[i] as number] as number;
    stats[b] = stat(s);
  }
  return interval(stat(data), stats, options, options.clusters ? 'clustered percentile bootstrap' : 'percentile bootstrap');
}

/**
 * Paired bootstrap of a difference: statistic(after) - statistic(before), resampling items (or clusters) jointly so
 * each resample keeps the pairing.
 *
 * @example
 * pairedBootstrap([0, 0, 1, 0], [1, 0, 1, 1], 'mean', { seed: 3 }) // value 0.5 with its interval
 */
export function pairedBootstrap(before: readonly number[], after: readonly number[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): BootstrapInterval {
  if (before.length !== after.length) throw new InputError(`pairedBootstrap: before has ${before.length} values, after has ${after.length}; they must be paired`);
  checkValues('pairedBootstrap', 'before', before);
  checkValues('pairedBootstrap', 'after', after);
  const x = Float64Array.from(before);
  const y = Float64Array.from(after);
  const stat = statisticFn(statistic);
  const resample = resampler(before.length, options.clusters, 'pairedBootstrap');
  const B = options.iterations ?? 1000;
  const random = createRandom(options.seed ?? 0);
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const idx = resample(random);
    const sx = new Float64Array(idx.length);
    const sy = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      sx[i] = x[idx[i] as number] as number;
      sy[i] = y[idx[i] as number] as number;
    }
    stats[b] = stat(sy) - stat(sx);
  }
  return interval(stat(y) - stat(x), stats, options, options.clusters ? 'clustered paired percentile bootstrap' : 'paired percentile bootstrap');
}

function statisticFn(statistic: Statistic): (s: Float64Array) => number {
  if (statistic !== 'mean') return statistic;
  return (s) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) t += s[i] as number;
    return t / s.length;
  };
}

/** Draws resample indices: items with replacement, or whole clusters with replacement. */
function resampler(n: number, clusters: BootstrapOptions['clusters'], name: string): (r: ReturnType<typeof createRandom>) => Uint32Array {
  if (!clusters) {
    const idx = new Uint32Array(n);
    return (r) => {
      for (let i = 0; i < n; i++) idx[i] = r.int(n);
      return idx;
    };
  }
  if (clusters.length !== n) throw new InputError(`${name}: clusters has ${clusters.length} ids for ${n} values`);
  const groups = new Map<string | number, number[]>();
  clusters.forEach((c, i) => groups.set(c, [...(groups.get(c) ?? []), i]));
  const members = [...groups.values()];
  return (r) => {
    const out: number[] = [];
    for (let k = 0; k < members.length; k++) out.push(...(members[r.int(members.length)] as number[]));
    return Uint32Array.from(out);
  };
}

function interval(value: number, stats: Float64Array, options: BootstrapOptions, method: string): BootstrapInterval {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`bootstrap: alpha must be in (0, 1), got ${alpha}`);
  stats.sort();
  return { value, lower: quantile(stats, alpha / 2), upper: quantile(stats, 1 - alpha / 2), level: 1 - alpha, iterations: stats.length, method: `${method}, ${stats.length} resamples` };
}

/** Type-7 quantile of sorted values. */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
