/**
 * Generation of many prompts at once through a model's step decoder (continuous batching): every prompt joins one
 * decoder, and each step advances all of them in one packed forward pass. A sequence gets the same tokens and
 * log-probabilities as `generate` gives it alone, so a profile's journal does not depend on the batch size.
 */
import { encodePrompt, type LanguageModel, type Prompt, type StepDecoder, type Tokenizer } from '@trustbench/core';

/** One prompt to generate from. */
export interface BatchedRequest {
  readonly prompt: Prompt;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed: number;
}

/** What one prompt produced (the parts of `GenerateResult` the profile uses). */
export interface BatchedResult {
  readonly text: string;
  /** Log-probability of each generated token (the stop token, which is not emitted, has none). */
  readonly logprobs: readonly number[];
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** A model that can decode in batches. */
export type BatchingModel = LanguageModel & { readonly tokenizer: Tokenizer; createDecoder(): StepDecoder };

/** True when the model offers a step decoder and a tokenizer. */
export const canBatch = (model: LanguageModel): model is BatchingModel => typeof model.createDecoder === 'function' && model.tokenizer !== undefined;

/**
 * Generates every request in one step decoder; chat prompts go through the chat template (thinking off), as `generate`.
 *
 * @example
 * const [a, b] = await generateBatched(model, [{ prompt: 'Hi', maxTokens: 8, temperature: 0, seed: 1 }, ...]);
 */
export async function generateBatched(model: BatchingModel, requests: readonly BatchedRequest[], signal?: AbortSignal): Promise<BatchedResult[]> {
  const decoder = model.createDecoder();
  const tokenizer = model.tokenizer;
  const out = requests.map((r) => {
    const promptIds = encodePrompt(tokenizer, r.prompt);
    const slot = decoder.join({ promptIds, maxTokens: r.maxTokens, temperature: r.temperature, seed: r.seed });
    return { slot, promptIds, tokenIds: [] as number[], logprobs: [] as number[] };
  });
  const bySlot = new Map(out.map((o) => [o.slot, o]));
  while (decoder.active.length > 0) {
    for (const e of await decoder.step(signal ? { signal } : {})) {
      const o = bySlot.get(e.slot);
      if (!o || e.tokenId === undefined) continue;
      o.tokenIds.push(e.tokenId);
      o.logprobs.push(e.logprob as number);
    }
  }
  return out.map((o) => ({ text: tokenizer.decode(o.tokenIds, { skipSpecialTokens: true }), logprobs: o.logprobs, promptTokens: o.promptIds.length, completionTokens: o.tokenIds.length }));
}
