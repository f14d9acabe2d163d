import { promptText } from '@trustbench/core';
import type { ContinuationRequest, LanguageModel } from '@trustbench/core';
import { createMockModel } from '@trustbench/core/testing';
import { describe, expect, it } from 'vitest';
import { bundledTrustllmSample } from './locate.js';
import { choiceMetrics, scoreChoices } from './loglikelihood.js';
import type { TaskRecord } from './task.js';
import { loadTrustllm } from './trustllm/index.js';

/** A model whose log-probability of a continuation is read from a table. */
const tableModel = (table: Record<string, number>): LanguageModel => ({
  id: 'table:test',
  capabilities: { logprobs: false, scoreContinuations: true, tokenizer: false, forward: false, whiteBox: false },
  generate: async () => ({ text: '', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 } }),
  scoreContinuations: async (reqs: readonly ContinuationRequest[]) => reqs.map((r) => ({ logprob: table[r.continuation]!, isGreedy: false, tokenCount: 1 })),
});

const record = (options: string[], gold: number): TaskRecord => ({ id: 't:0', prompt: 'Q?', gold, cluster: 't:0', fields: {}, choices: { options, gold } });

describe('log-likelihood multiple choice', () => {
  it('computes acc, length-normalised acc_norm and option probabilities as lm-eval-harness does', async () => {
    // ' cat' -2 (per char -0.5); ' elephant' -3 (per char -0.333): acc picks cat, acc_norm picks elephant
    const [r] = await scoreChoices(tableModel({ ' cat': -2, ' elephant': -3 }), [record([' cat', ' elephant'], 1)]);
    expect(r).toMatchObject({ pred: 0, predNorm: 1, acc: 0, accNorm: 1 });
    expect(r!.probs[0]).toBeCloseTo(Math.exp(-2) / (Math.exp(-2) + Math.exp(-3)), 12);
    expect(r!.confidence).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(choiceMetrics([r!, { ...r!, acc: 1, accNorm: 1 }])).toEqual({ acc: 0.5, acc_norm: 1, n: 2 });
  });

  it('scores the shuffled hallucination options against the tracked gold, in batches', async () => {
    const [task] = await loadTrustllm(bundledTrustllmSample(), ['truthfulness.hallucination']);
    const mc = task!.records.filter((r) => r.choices);
    expect(mc.length).toBeGreaterThan(0);
    const letter = (r: TaskRecord): string => r.choices!.options[r.choices!.gold]!.trim();
    // a model that knows every answer except the first item's
    const model = createMockModel({ rules: mc.map((r, i) => ({ match: (p: string) => p === promptText(r.prompt), reply: i === 0 ? (letter(r) === 'A' ? 'B' : 'A') : letter(r), confidence: 0.8 })) });
    const results = await scoreChoices(model, mc, { batchSize: 1 });
    expect(results.map((r) => r.acc)).toEqual(mc.map((_, i) => (i === 0 ? 0 : 1)));
    expect(choiceMetrics(results).acc).toBeCloseTo((mc.length - 1) / mc.length, 12);
    expect(results[1]!.confidence).toBeGreaterThan(0.5);
  });

  it('refuses models without continuation scoring and records without choices', async () => {
    const blackBox = { ...tableModel({}), id: 'openai:x', capabilities: { logprobs: false, scoreContinuations: false, tokenizer: false, forward: false, whiteBox: false } };
    await expect(scoreChoices(blackBox, [record([' A', ' B'], 0)])).rejects.toThrow('datasets.scoreChoices needs a model that can score continuations (log-likelihood); openai:x does not offer scoreContinuations');
    await expect(scoreChoices(tableModel({}), [{ ...record([], 0), choices: undefined } as unknown as TaskRecord])).rejects.toThrow('record t:0 has no multiple-choice form (expected choices with 2+ options, got none)');
    expect(Number.isNaN(choiceMetrics([]).acc)).toBe(true);
  });
});
