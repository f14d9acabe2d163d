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
  let order = descendingOrder(logits);
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

/**
 * Token ids by logit, largest first, ties to the lower id: the order of
 * `ids.sort((a, b) => logits[b] - logits[a] || a - b)`, about 10x faster on a 248k vocabulary. Each id gets
 * one float64 key, (order-reversed float32 bits) * 2^idBits + id, exact below 2^53, sorted as a typed array.
 */
function descendingOrder(logits: Float32Array): number[] {
  const idBits = Math.max(1, Math.ceil(Math.log2(logits.length)));
  if (32 + idBits > 53) return Array.from(logits.keys()).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  const copy = new Float32Array(logits);
  for (let id = 0; id < copy.length; id++) if (copy[id] === 0) copy[id] = 0; // -0 -> +0, so they tie as numbers do
  const bits = new Uint32Array(copy.buffer);
  const scale = 2 ** idBits;
  const keys = new Float64Array(logits.length);
  for (let id = 0; id < logits.length; id++) {
    const b = bits[id] as number;
    const ascending = b >= 0x80000000 ? 0xffffffff - b : b + 0x80000000; // float order -> unsigned order
    keys[id] = (0xffffffff - ascending) * scale + id;
  }
  keys.sort();
  const order = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) order[i] = (keys[i] as number) % scale;
  return order;
}
