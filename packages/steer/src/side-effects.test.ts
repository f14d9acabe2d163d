import { tensor, type Tokenizer, type WhiteBoxModel } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { neutralLogLikelihood, utilityAccuracy } from './side-effects.js';

const V = 4;
/** A fake model over 4 tokens whose logits at every position come from `row(lastId)`; text encodes one token per character. */
const fake = (row: (id: number) => number[]): Pick<WhiteBoxModel, 'forward' | 'tokenizer'> => ({
  tokenizer: { encode: (s: string) => [...s].map((c) => Number(c)) } as unknown as Tokenizer,
  forward: async (input) => {
    const ids = input as readonly number[];
    return tensor(Float32Array.from(ids.flatMap((id) => row(id))), [1, ids.length, V]);
  },
});

describe('neutralLogLikelihood', () => {
  it('is -ln V under uniform logits and log p under a known distribution', async () => {
    expect(await neutralLogLikelihood(['0123', [3, 2]])(fake(() => [0, 0, 0, 0]))).toBeCloseTo(-Math.log(V), 12);
    // After token t the model gives logit ln 3 to token t + 1 (mod 4): p(next) = 3 / 6 = 0.5, others 1/6.
    const next = fake((t) => Array.from({ length: V }, (_, j) => (j === (t + 1) % V ? Math.log(3) : 0)));
    expect(await neutralLogLikelihood(['0123'])(next)).toBeCloseTo(Math.log(0.5), 6);
    expect(await neutralLogLikelihood(['02'])(next)).toBeCloseTo(Math.log(1 / 6), 6);
  });
  it('rejects no texts and one-token texts', async () => {
    expect(() => neutralLogLikelihood([])).toThrow('no texts');
    await expect(neutralLogLikelihood(['1'])(fake(() => [0, 0, 0, 0]))).rejects.toThrow('text "1" has 1 token(s), needs at least 2');
  });
});

describe('utilityAccuracy', () => {
  it('scores the choice with the highest summed log-probability', async () => {
    const next = fake((t) => Array.from({ length: V }, (_, j) => (j === (t + 1) % V ? 2 : 0)));
    const items = [
      { context: '0', choices: ['12', '13'], answer: 0 }, // right: 0 -> 1 -> 2
      { context: '2', choices: ['30', '31'], answer: 1 }, // wrong: the model prefers 3 -> 0
      { context: [1], choices: [[2], [0]], answer: 0 },
    ];
    expect(await utilityAccuracy(items)(next)).toBeCloseTo(2 / 3, 12);
  });
  it('rejects malformed items', () => {
    expect(() => utilityAccuracy([])).toThrow('no items');
    expect(() => utilityAccuracy([{ context: '0', choices: ['1'], answer: 0 }])).toThrow('item 0 needs at least 2 choices and 0 <= answer < 1, got 1 choices and answer 0');
    expect(() => utilityAccuracy([{ context: '0', choices: ['1', '2'], answer: 2 }])).toThrow('got 2 choices and answer 2');
  });
});
