/**
 * The reference step decoder against `generate`: sequences that join and leave a shared batch between steps get
 * exactly the tokens and log-probabilities they get alone, greedy and sampled, plain and steered.
 */
import { fileURLToPath } from 'node:url';
import { AbortError, HookError, InputError, type DecodeRequest } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import type { ReferenceModel } from './model.js';
import { createStepDecoder } from './step-decoder.js';
import { drive, type Collected } from './__fixtures__/drive-decoder.js';
import { randomQwen35Weights } from './testing/random-checkpoint.js';

const model = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
const ids = (text: string) => model.tokenizer.encode(text);

/** What `generate` gives a request alone. */
async function alone(m: ReferenceModel, r: DecodeRequest): Promise<Collected> {
  const g = await m.generate('', {
    promptIds: r.promptIds, maxTokens: r.maxTokens, logprobs: true, topLogprobs: r.topLogprobs ?? 0,
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}), ...(r.topP !== undefined ? { topP: r.topP } : {}), ...(r.topK !== undefined ? { topK: r.topK } : {}), ...(r.seed !== undefined ? { seed: r.seed } : {}),
  });
  const n = g.tokenIds!.length;
  return {
    tokens: [...g.tokenIds!],
    logprobs: g.logprobs!.slice(0, n).map((t) => t.logprob), // generate also reports the stop token's, which is not emitted
    top: g.logprobs!.slice(0, n).map((t) => (t.top ?? []).map((x) => ({ token: x.token, logprob: x.logprob }))),
    finish: g.finishReason,
  };
}

const requests: Record<string, DecodeRequest> = {
  a: { promptIds: ids('The capital of France is'), maxTokens: 12, topLogprobs: 3 },
  b: { promptIds: ids('Hi'), maxTokens: 9, temperature: 1, seed: 7 },
  c: { promptIds: ids('Once upon a time, in a land far away, there lived'), maxTokens: 6, temperature: 0.8, topP: 0.9, seed: 3 },
  d: { promptIds: ids('Is the sky blue?'), maxTokens: 10, temperature: 1.2, topK: 20, seed: 11 },
  e: { promptIds: ids('1 2 3 4'), maxTokens: 15, temperature: 0.7, seed: 1 },
};
const joins = { 0: { a: requests['a']!, b: requests['b']! }, 2: { c: requests['c']! }, 3: { d: requests['d']! }, 5: { e: requests['e']! } };

describe.each([
  ['the model', model],
  ['a steered view', model.withInterventions([{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector: new Float32Array(model.config.hiddenSize).map((_, i) => Math.sin(i)), alpha: 4 }])],
] as const)('step decoding on %s', (_, m) => {
  it('gives each sequence exactly what generate gives it alone, with joins between steps', async () => {
    const { out, batchSizes } = await drive(m.createDecoder(), model.tokenizer, joins);
    expect(Math.max(...batchSizes)).toBeGreaterThanOrEqual(3); // the schedule really overlaps sequences
    for (const [name, r] of Object.entries(requests)) {
      const ref = await alone(m, r);
      expect(out[name]!.tokens, name).toEqual(ref.tokens);
      expect(out[name]!.logprobs, name).toEqual(ref.logprobs);
      expect(out[name]!.finish, name).toBe(ref.finish);
      if (r.topLogprobs) expect(out[name]!.top, name).toEqual(ref.top);
    }
  });

  it('keeps the others exact when a sequence leaves early, and reuses its slot', async () => {
    const { out, slotOf } = await drive(m.createDecoder(), model.tokenizer, { ...joins, 4: { f: requests['a']! } }, { 3: ['b'] });
    expect(slotOf.get('f')).toBe(slotOf.get('b'));
    const b = await alone(m, requests['b']!);
    expect(out['b']!.tokens).toEqual(b.tokens.slice(0, 3));
    for (const name of ['a', 'c', 'd', 'e']) expect(out[name]!.tokens, name).toEqual((await alone(m, requests[name]!)).tokens);
    expect(out['f']!.tokens).toEqual(out['a']!.tokens);
  });
});

describe('step decoder', () => {
  it('applies the steered view: steered tokens differ from the plain model', async () => {
    const steered = model.withInterventions([{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector: new Float32Array(model.config.hiddenSize).fill(1), alpha: 40 }]);
    const r = { promptIds: ids('The capital of France is'), maxTokens: 8 };
    const plain = await drive(model.createDecoder(), model.tokenizer, { 0: { r } });
    const moved = await drive(steered.createDecoder(), model.tokenizer, { 0: { r } });
    expect(moved.out['r']!.tokens).not.toEqual(plain.out['r']!.tokens);
  });

  it('ends a sequence on its stop token without emitting it', async () => {
    const r = requests['a']!;
    const ref = await alone(model, r);
    const { out } = await drive(model.createDecoder(), model.tokenizer, { 0: { s: { ...r, stopTokenIds: [ref.tokens[3]!] } } });
    expect(out['s']!.tokens).toEqual(ref.tokens.slice(0, ref.tokens.indexOf(ref.tokens[3]!)));
    expect(out['s']!.finish).toBe('stop');
  });

  it('rejects bad requests at join, and is unusable after an abort', async () => {
    const decoder = model.createDecoder();
    expect(() => decoder.join({ promptIds: [], maxTokens: 4 })).toThrow(InputError);
    expect(() => decoder.join({ promptIds: [1, model.config.vocabSize], maxTokens: 4 })).toThrow(/promptIds\[1\]/);
    expect(() => decoder.join({ promptIds: [1], maxTokens: 0 })).toThrow(/maxTokens/);
    expect(await decoder.step()).toEqual([]);
    decoder.join({ promptIds: [1, 2], maxTokens: 4 });
    decoder.leave(99); // unknown: ignored
    const controller = new AbortController();
    controller.abort();
    await expect(decoder.step({ signal: controller.signal })).rejects.toThrow(AbortError);
    await expect(decoder.step()).rejects.toThrow(AbortError);
    const bad = { kind: 'add', hook: 'blocks.0.attn.hook_z', vector: new Float32Array(8), alpha: 1 } as const; // layer 0 is a DeltaNet layer
    expect(() => createStepDecoder({ config: model.config, weights: randomQwen35Weights(model.config, 1), eosTokenIds: [], interventions: [bad] })).toThrow(HookError);
  });
});
