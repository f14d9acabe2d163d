/**
 * Choosing the next token from a logits row: greedy at temperature 0, else seeded sampling from
 * softmax(logits / T) restricted to the top-k tokens and then to the smallest nucleus of mass top-p.
 */
import type { Random } from '@trustbench/core';

/** Sampling settings. */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
}

/**
 * Picks a token id. Ties in greedy mode go to the lowest id.
 *
 * @example
 * sampleToken(row, { temperature: 0.7, topP: 0.9 }, createRandom(1))
 */
export function sampleToken(logits: Float32Array, options: SamplingOptions, random: Random): number {
  const temperature = options.temperature ?? 0;
  if (temperature <= 0) return argmax(logits);
  let order = Array.from(logits.keys()).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  if (options.topK && options.topK > 0) order = order.slice(0, options.topK);
  const m = logits[order[0] as number] as number;
  const weights = order.map((id) => Math.exp(((logits[id] as number) - m) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let keep = order.length;
  if (options.topP !== undefined && options.topP < 1) {
    let mass = 0;
    for (keep = 0; keep < order.length && mass < options.topP * total; keep++) mass += weights[keep] as number;
  }
  const kept = weights.slice(0, keep);
  let u = random.next() * kept.reduce((a, b) => a + b, 0);
  for (let i = 0; i < keep; i++) {
    u -= kept[i] as number;
    if (u < 0) return order[i] as number;
  }
  return order[keep - 1] as number;
}

/** Index of the largest value (the first on ties). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}
