/**
 * Percentile bootstrap confidence intervals, with clustered resampling for items that come in pairs or groups, and the
 * paired bootstrap of a before/after difference on the same items.
 */
import { createRandom, InputError, type Random } from '@trustbench/core';
import { drawIndices, resampledMean } from './internal/resample.js';
import { checkOpenUnit, checkPositiveInteger, checkSameLength, checkValues } from './internal/validate.js';

/**
 * A statistic of a sample: the built-in `'mean'` (fast path), or any function of the resampled values. The array
 * passed to a function is reused between resamples: read it, do not keep it.
 */
export type Statistic = 'mean' | ((sample: Float64Array) => number);

/** Options of the bootstrap. */
export interface BootstrapOptions {
  /** Resamples; default 1000. */
  readonly iterations?: number;
  /** 1 - coverage; default 0.05 (a 95% interval). */
  readonly alpha?: number;
  /** Seed of the resampling; default 0. */
  readonly seed?: number;
  /**
   * Cluster id per value: whole clusters are resampled together, so items that come in pairs or groups (paraphrases of
   * one prompt, the turns of one dialogue) count as one unit and the interval is not too narrow. Each resample draws
   * as many clusters as there are, with replacement, so its size varies with the clusters drawn.
   */
  readonly clusters?: readonly (string | number)[];
}

/** A point estimate with its percentile interval. */
export interface BootstrapInterval {
  /** The statistic on the original sample (for a paired bootstrap, the difference after - before). */
  readonly value: number;
  /** The alpha/2 quantile of the resampled statistics. */
  readonly lower: number;
  /** The 1 - alpha/2 quantile of the resampled statistics. */
  readonly upper: number;
  /** 1 - alpha. */
  readonly level: number;
  readonly iterations: number;
  /** How it was computed, e.g. `"clustered percentile bootstrap, 1000 resamples"`, for the report. */
  readonly method: string;
}

/**
 * Percentile bootstrap CI: the statistic on B resamples (items, or whole clusters, drawn with replacement from a
 * generator seeded by `seed`), then the alpha/2 and 1 - alpha/2 quantiles of the B values (type-7 interpolation, see
 * {@link quantile}). The same seed gives the same interval. A statistic that can be undefined on a resample (AUROC of
 * a one-class resample) must return a number or throw; a NaN is an error.
 *
 * @param values The per-item values (finite numbers). For a statistic of several arrays, pass item indices and read
 *   the arrays inside the statistic.
 * @param statistic `'mean'` (default, a fast path) or a function of a resampled `Float64Array`.
 * @param options `iterations` B (default 1000), `alpha` (default 0.05), `seed` (default 0), `clusters`.
 * @returns The statistic on the data, with its interval.
 * @throws {InputError} for empty input, non-finite values, clusters of the wrong length, iterations not a positive
 *   integer, alpha outside (0, 1), or a statistic that returns NaN.
 * @example
 * bootstrapCI([1, 0, 1, 1], 'mean', { seed: 1 }) // { value: 0.75, lower: ..., upper: ..., level: 0.95 }
 */
export function bootstrapCI(values: readonly number[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): BootstrapInterval {
  checkValues('bootstrapCI', 'values', values);
  const B = checkOptions('bootstrapCI', options);
  const data = Float64Array.from(values);
  const stat = statisticFn(statistic);
  const resample = resampler(values.length, options.clusters, 'bootstrapCI');
  const stats = resampledStatistics(data, statistic, resample, createRandom(options.seed ?? 0), B);
  return interval('bootstrapCI', stat(data), stats, options, options.clusters ? 'clustered percentile bootstrap' : 'percentile bootstrap');
}

/**
 * Paired bootstrap of a difference: statistic(after) - statistic(before), resampling items (or clusters) jointly so
 * each resample keeps the pairing (the same items before and after). An interval above 0 means "after" is higher.
 *
 * @param before Per-item values before the change (finite numbers).
 * @param after Per-item values after it, same items in the same order.
 * @param statistic `'mean'` (default) or a function of a resampled `Float64Array`.
 * @param options As {@link bootstrapCI}.
 * @returns The difference with its interval.
 * @throws {InputError} as {@link bootstrapCI}, or when before and after differ in length.
 * @example
 * pairedBootstrap([0, 0, 1, 0], [1, 0, 1, 1], 'mean', { seed: 3 }) // value 0.5 with its interval
 */
export function pairedBootstrap(before: readonly number[], after: readonly number[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): BootstrapInterval {
  checkSameLength('pairedBootstrap', 'before', before.length, 'after (they must be paired)', after.length);
  checkValues('pairedBootstrap', 'before', before);
  checkValues('pairedBootstrap', 'after', after);
  const B = checkOptions('pairedBootstrap', options);
  const x = Float64Array.from(before);
  const y = Float64Array.from(after);
  const stat = statisticFn(statistic);
  const resample = resampler(before.length, options.clusters, 'pairedBootstrap');
  const random = createRandom(options.seed ?? 0);
  if (statistic === 'mean') {
    // mean(after) - mean(before) on a resample is the mean of the per-item differences on it.
    const d = y.map((v, i) => v - (x[i] as number));
    const stats = resampledStatistics(d, 'mean', resample, random, B);
    return interval('pairedBootstrap', stat(y) - stat(x), stats, options, options.clusters ? 'clustered paired percentile bootstrap' : 'paired percentile bootstrap');
  }
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const idx = resample.draw(random);
    const sx = new Float64Array(idx.length);
    const sy = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      sx[i] = x[idx[i] as number] as number;
      sy[i] = y[idx[i] as number] as number;
    }
    stats[b] = stat(sy) - stat(sx);
  }
  return interval('pairedBootstrap', stat(y) - stat(x), stats, options, options.clusters ? 'clustered paired percentile bootstrap' : 'paired percentile bootstrap');
}

/** The statistic on B resamples of `data` (fast paths for the mean). */
function resampledStatistics(data: Float64Array, statistic: Statistic, resample: Resampler, random: Random, B: number): Float64Array {
  const stat = statisticFn(statistic);
  const stats = new Float64Array(B);
  if (statistic === 'mean') {
    // Fast paths: the mean of a resample needs no index array or sample copy; with clusters, per-cluster sums and sizes
    // (the same draws as the general path, so the interval is identical).
    if (!resample.clusters) for (let b = 0; b < B; b++) stats[b] = resampledMean(random, data);
    else {
      const { members } = resample.clusters;
      const sums = Float64Array.from(members, (m) => m.reduce((t, i) => t + (data[i] as number), 0));
      const sizes = Float64Array.from(members, (m) => m.length);
      const pick = new Uint32Array(members.length);
      for (let b = 0; b < B; b++) {
        drawIndices(random, members.length, pick);
        let sum = 0;
        let size = 0;
        for (let k = 0; k < pick.length; k++) {
          const c = pick[k] as number;
          sum += sums[c] as number;
          size += sizes[c] as number;
        }
        stats[b] = sum / size;
      }
    }
  } else {
    let sample = new Float64Array(data.length);
    for (let b = 0; b < B; b++) {
      const idx = resample.draw(random);
      if (sample.length !== idx.length) sample = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) sample[i] = data[idx[i] as number] as number;
      stats[b] = stat(sample);
    }
  }
  return stats;
}

function statisticFn(statistic: Statistic): (s: Float64Array) => number {
  if (statistic !== 'mean') return statistic;
  return (s) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) t += s[i] as number;
    return t / s.length;
  };
}

function checkOptions(name: string, options: BootstrapOptions): number {
  const B = options.iterations ?? 1000;
  checkPositiveInteger(name, 'options.iterations', B);
  checkOpenUnit(name, 'options.alpha', options.alpha ?? 0.05);
  return B;
}

/** Draws resample indices: items with replacement, or whole clusters with replacement (`clusters` set). */
interface Resampler {
  readonly draw: (r: Random) => Uint32Array;
  readonly clusters?: { readonly members: readonly Uint32Array[] };
}

function resampler(n: number, clusters: BootstrapOptions['clusters'], name: string): Resampler {
  if (!clusters) {
    const idx = new Uint32Array(n);
    return { draw: (r) => drawIndices(r, n, idx) };
  }
  if (clusters.length !== n) throw new InputError(`${name}: options.clusters has ${clusters.length} ids for ${n} values; it needs one id per value`);
  const groups = new Map<string | number, number[]>();
  clusters.forEach((c, i) => {
    if (typeof c !== 'string' && typeof c !== 'number') throw new InputError(`${name}: options.clusters[${i}] must be a string or number id, got ${String(c)}`);
    const members = groups.get(c);
    if (members) members.push(i);
    else groups.set(c, [i]);
  });
  const members = [...groups.values()].map((m) => Uint32Array.from(m));
  const pick = new Uint32Array(members.length);
  return {
    clusters: { members },
    draw: (r) => {
      drawIndices(r, members.length, pick);
      let size = 0;
      for (let k = 0; k < pick.length; k++) size += (members[pick[k] as number] as Uint32Array).length;
      const out = new Uint32Array(size);
      let at = 0;
      for (let k = 0; k < pick.length; k++) {
        const m = members[pick[k] as number] as Uint32Array;
        for (let j = 0; j < m.length; j++) out[at++] = m[j] as number;
      }
      return out;
    },
  };
}

function interval(name: string, value: number, stats: Float64Array, options: BootstrapOptions, method: string): BootstrapInterval {
  const alpha = options.alpha ?? 0.05;
  if (Number.isNaN(value)) throw new InputError(`${name}: the statistic returned NaN on the data; it must return a number`);
  const bad = stats.findIndex(Number.isNaN);
  if (bad >= 0) throw new InputError(`${name}: the statistic returned NaN on resample ${bad}; it must return a number for every resample`);
  stats.sort();
  return { value, lower: quantile(stats, alpha / 2), upper: quantile(stats, 1 - alpha / 2), level: 1 - alpha, iterations: stats.length, method: `${method}, ${stats.length} resamples` };
}

/**
 * Type-7 quantile of sorted values (R's default, numpy's `linear`): h = (n - 1) q, Q = x_floor(h) + (h - floor(h))
 * (x_floor(h)+1 - x_floor(h)), 0-based.
 *
 * @param sorted Values in ascending order (not checked).
 * @param q The probability, in [0, 1].
 * @returns The interpolated quantile.
 * @throws {InputError} for empty input or q outside [0, 1].
 * @example
 * quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  if (sorted.length === 0) throw new InputError('quantile: sorted is empty; it has no quantiles');
  if (!(q >= 0 && q <= 1)) throw new InputError(`quantile: q must be in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
