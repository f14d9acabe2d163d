/**
 * The log-likelihood form of multiple-choice tasks (lm-eval-harness's `multiple_choice` output type): every option is
 * scored as a continuation of the prompt, so a small local model is evaluated without parsing free text, and the
 * option probabilities give a confidence for calibration.
 */
import { InputError, requireCapability } from '@trustbench/core';
import type { LanguageModel } from '@trustbench/core';
import type { TaskRecord } from './task.js';

/** The log-likelihood score of one multiple-choice record. */
export interface ChoiceResult {
  readonly id: string;
  readonly gold: number;
  /** Summed log-probability of each option given the prompt. */
  readonly logprobs: readonly number[];
  /** Softmax of `logprobs` over the options (the model's distribution restricted to them). */
  readonly probs: readonly number[];
  /** argmax of `logprobs`. */
  readonly pred: number;
  /** argmax of `logprobs / option length in characters`. */
  readonly predNorm: number;
  /** `probs[pred]`: the confidence of the prediction, for calibration. */
  readonly confidence: number;
  readonly acc: 0 | 1;
  readonly accNorm: 0 | 1;
}

const argmax = (xs: readonly number[]): number => xs.reduce((best, x, i) => (x > xs[best]! ? i : best), 0);

/**
 * Scores the `choices` of multiple-choice records with `model.scoreContinuations`, one batch per call.
 *
 * Formula (lm-eval-harness): `acc = [argmax_i ll_i = gold]`, `acc_norm = [argmax_i ll_i / len_i = gold]` with `len_i`
 * the option's length in characters; `probs = softmax(ll)`; ties go to the first option.
 *
 * @throws {CapabilityError} when the model cannot score continuations.
 * @throws {InputError} when a record has no `choices` form, or the model returns the wrong number of scores.
 * @example
 * const results = await scoreChoices(model, task.records.filter((r) => r.choices));
 * choiceMetrics(results); // { acc: 0.61, acc_norm: 0.63, n: 652 }
 */
export async function scoreChoices(model: LanguageModel, records: readonly TaskRecord[], options: { readonly batchSize?: number; readonly signal?: AbortSignal } = {}): Promise<ChoiceResult[]> {
  requireCapability(model, 'scoreContinuations', 'datasets.scoreChoices');
  const batchSize = options.batchSize ?? 64;
  const out: ChoiceResult[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    const requests = batch.flatMap((r) => {
      if (!r.choices || r.choices.options.length < 2) throw new InputError(`datasets.scoreChoices: record ${r.id} has no multiple-choice form (expected choices with 2+ options, got ${r.choices ? r.choices.options.length : 'none'})`);
      return r.choices.options.map((continuation) => ({ context: r.prompt, continuation }));
    });
    const scores = await model.scoreContinuations(requests, options.signal ? { signal: options.signal } : {});
    if (scores.length !== requests.length) throw new InputError(`datasets.scoreChoices: ${model.id} returned ${scores.length} scores for ${requests.length} continuations`);
    let at = 0;
    for (const r of batch) {
      const opts = r.choices!.options;
      const ll = scores.slice(at, at + opts.length).map((s) => s.logprob);
      at += opts.length;
      const max = Math.max(...ll);
      const ex = ll.map((x) => Math.exp(x - max));
      const z = ex.reduce((a, b) => a + b, 0);
      const probs = ex.map((e) => e / z);
      const pred = argmax(ll);
      const predNorm = argmax(ll.map((x, i) => x / Math.max(1, opts[i]!.length)));
      const gold = r.choices!.gold;
      out.push({ id: r.id, gold, logprobs: ll, probs, pred, predNorm, confidence: probs[pred]!, acc: pred === gold ? 1 : 0, accNorm: predNorm === gold ? 1 : 0 });
    }
  }
  return out;
}

/**
 * Mean `acc` and `acc_norm` over scored choices.
 *
 * Formula: `acc = Σ acc_i / n`, `acc_norm = Σ accNorm_i / n`.
 *
 * @example
 * choiceMetrics(await scoreChoices(model, records)); // { acc, acc_norm, n }
 */
export function choiceMetrics(results: readonly ChoiceResult[]): { readonly acc: number; readonly acc_norm: number; readonly n: number } {
  const n = results.length;
  if (n === 0) return { acc: Number.NaN, acc_norm: Number.NaN, n };
  return { acc: results.reduce((a, r) => a + r.acc, 0) / n, acc_norm: results.reduce((a, r) => a + r.accNorm, 0) / n, n };
}
