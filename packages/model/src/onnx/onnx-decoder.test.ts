/**
 * Batched step decoding on the onnx engine: sequences that join and leave a shared batch between steps get the
 * tokens and log-probabilities they get when decoded one at a time, plain and steered, and the tokens of the
 * reference engine's decoder.
 */
import { fileURLToPath } from 'node:url';
import { AbortError, InputError, type DecodeRequest } from '@trustbench/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../load-model.js';
import { drive } from '../__fixtures__/drive-decoder.js';
import { loadOnnxModel } from './load-onnx-model.js';

const dir = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const reference = await loadModel(dir);
const model = await loadOnnxModel(dir);
afterAll(() => model.release());
const ids = (text: string) => model.tokenizer.encode(text);
const maxAbs = (a: readonly number[], b: readonly number[]) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

const requests: Record<string, DecodeRequest> = {
  a: { promptIds: ids('The capital of France is'), maxTokens: 10 },
  b: { promptIds: ids('Hi'), maxTokens: 8, temperature: 1, seed: 7 },
  c: { promptIds: ids('Once upon a time, in a land far away, there lived'), maxTokens: 6, temperature: 0.8, topP: 0.9, seed: 3 },
  d: { promptIds: ids('Is the sky blue?'), maxTokens: 9, temperature: 1.2, topK: 20, seed: 11 },
};
const joins = { 0: { a: requests['a']!, b: requests['b']! }, 2: { c: requests['c']! }, 3: { d: requests['d']! } };
const vector = new Float32Array(model.config.hiddenSize).map((_, i) => Math.sin(i));

describe.each([
  ['the model', model, reference],
  ['a steered view', model.withInterventions([{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector, alpha: 4 }]), reference.withInterventions([{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector, alpha: 4 }])],
] as const)('onnx step decoding on %s', (_, m, ref) => {
  it('a batch with joins and a leave equals each sequence decoded alone, and the reference decoder', async () => {
    const { out, batchSizes: sizes } = await drive(m.createDecoder(), model.tokenizer, joins, { 4: ['b'] });
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(3);
    let worst = 0;
    for (const [name, r] of Object.entries(requests)) {
      const alone = (await drive(m.createDecoder(), model.tokenizer, { 0: { [name]: r } })).out[name]!;
      const expected = name === 'b' ? alone.tokens.slice(0, out[name]!.tokens.length) : alone.tokens;
      expect(out[name]!.tokens, name).toEqual(expected);
      worst = Math.max(worst, maxAbs(out[name]!.logprobs, alone.logprobs));
      if (name !== 'b') expect((await drive(ref.createDecoder(), model.tokenizer, { 0: { [name]: r } })).out[name]!.tokens, `${name} vs reference`).toEqual(alone.tokens);
    }
    console.log(`onnx batched vs alone: max |logprob diff| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
    expect(out['b']!.tokens.length).toBe(4);
  });
});

it('five sequences decoding together (the batched one-token DeltaNet core on the thread pool) equal each alone', async () => {
  const five = { ...requests, e: { promptIds: ids('Name a colour.'), maxTokens: 7 } };
  const { out, batchSizes } = await drive(model.createDecoder(), model.tokenizer, { 0: five });
  expect(batchSizes.slice(1, 4)).toEqual([5, 5, 5]); // decode steps with 5 one-token rows
  for (const [name, r] of Object.entries(five)) {
    const alone = (await drive(model.createDecoder(), model.tokenizer, { 0: { [name]: r } })).out[name]!;
    expect(out[name]!.tokens, name).toEqual(alone.tokens);
    expect(maxAbs(out[name]!.logprobs, alone.logprobs), name).toBeLessThan(1e-5);
  }
});

it('rejects bad requests at join, and is unusable after an abort', async () => {
  const decoder = model.createDecoder();
  expect(() => decoder.join({ promptIds: [], maxTokens: 4 })).toThrow(InputError);
  expect(() => decoder.join({ promptIds: [1], maxTokens: 0 })).toThrow(/maxTokens/);
  decoder.join({ promptIds: [1, 2], maxTokens: 4 });
  const controller = new AbortController();
  controller.abort();
  await expect(decoder.step({ signal: controller.signal })).rejects.toThrow(AbortError);
  await expect(decoder.step()).rejects.toThrow(AbortError);
});
