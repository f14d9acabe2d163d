/**
 * Bootstrap index draws. One resample of n indices is 1e5 draws at 100k items, so the generator runs inline: each
 * resample takes one 32-bit seed from the caller's seeded `Random` and draws from a Mulberry32 stream (the generator
 * core's `createRandom` uses), about 2.5x faster than a call per draw. Everything still follows from the one seed.
 */
import type { Random } from '@trustbench/core';

const TWO_32 = 4294967296;

/** Fills `out` with uniform indices in [0, n). */
export function drawIndices(random: Random, n: number, out: Uint32Array): Uint32Array {
  let state = Math.floor(random.next() * TWO_32) | 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) * n) / TWO_32;
  }
  return out;
}

/** The mean of one resample of `data`, drawing exactly the indices `drawIndices(random, data.length, ...)` would. */
export function resampledMean(random: Random, data: Float64Array): number {
  const n = data.length;
  let state = Math.floor(random.next() * TWO_32) | 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    sum += data[(((t ^ (t >>> 14)) >>> 0) * n) / TWO_32 | 0] as number;
  }
  return sum / n;
}
