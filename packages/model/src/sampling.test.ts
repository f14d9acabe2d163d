import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { argmax, sampleToken } from './sampling.js';

/** The definition: sort every id by logit (ties to the lower id), top-k, softmax(logits / T), smallest nucleus of mass top-p. */
function definition(logits: Float32Array, o: { temperature: number; topK?: number; topP?: number }, u: number): number {
  let order = Array.from(logits.keys()).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  if (o.topK) order = order.slice(0, o.topK);
  const m = logits[order[0]!]!;
  const w = order.map((id) => Math.exp((logits[id]! - m) / o.temperature));
  const total = w.reduce((a, b) => a + b, 0);
  let keep = order.length;
  if (o.topP !== undefined && o.topP < 1) {
    let mass = 0;
    for (keep = 0; keep < order.length && mass < o.topP * total; keep++) mass += w[keep]!;
  }
  let r = u * w.slice(0, keep).reduce((a, b) => a + b, 0);
  for (let i = 0; i < keep; i++) if ((r -= w[i]!) < 0) return order[i]!;
  return order[keep - 1]!;
}

describe('sampleToken', () => {
  it('is greedy at temperature 0, ties to the lowest id', () => {
    expect(sampleToken(Float32Array.of(1, 3, 3, -2), {}, createRandom(1))).toBe(1);
    expect(argmax(Float32Array.of(-1, -1))).toBe(0);
  });

  it('draws exactly the token of the definition, with ties, zeros of both signs and negative logits', () => {
    const r = createRandom(9);
    const logits = Float32Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : Math.round(r.normal() * 8) / 4));
    for (const options of [{ temperature: 1 }, { temperature: 0.7, topP: 0.9 }, { temperature: 1.3, topK: 50 }, { temperature: 0.5, topK: 200, topP: 0.5 }]) {
      const a = createRandom(4);
      const b = createRandom(4);
      for (let n = 0; n < 40; n++) expect(sampleToken(logits, options, a)).toBe(definition(logits, options, b.next()));
    }
  });

  it('keeps only the top-k tokens and the nucleus', () => {
    const logits = Float32Array.of(0, 5, 4, -3, 4.5);
    const r = createRandom(2);
    const seen = new Set(Array.from({ length: 200 }, () => sampleToken(logits, { temperature: 2, topK: 2 }, r)));
    expect([...seen].sort()).toEqual([1, 4]);
    const nucleus = new Set(Array.from({ length: 200 }, () => sampleToken(logits, { temperature: 1, topP: 0.01 }, r)));
    expect([...nucleus]).toEqual([1]);
  });
});
