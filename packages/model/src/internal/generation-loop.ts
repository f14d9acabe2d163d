/**
 * The generation loop both engines run (see generate.ts): prefill the prompt, then sample and decode one token at a
 * time, with stop tokens and stop strings, streamed text and log-probabilities. An engine supplies only `RunLogits`.
 */
import { createRandom, createTextStream, encodePrompt, type GenerateResult, type Prompt, type TokenLogprob, type Tokenizer } from '@trustbench/core';
import type { ReferenceGenerateOptions } from '../generate.js';
import { sampleToken } from '../sampling.js';
import { tokenLogprob } from './token-logprobs.js';

/** Runs `input` (the prompt in 'prefill', one token in 'decode') on one sequence's state; the logits of its last position. */
export type RunLogits = (input: number[], phase: 'prefill' | 'decode') => Float32Array | Promise<Float32Array>;

/** Generates from `prompt`; `start` gets the prompt ids and returns the runner of one fresh sequence. */
export async function generationLoop(tokenizer: Tokenizer, prompt: Prompt, options: ReferenceGenerateOptions, start: (ids: readonly number[]) => RunLogits): Promise<GenerateResult> {
  const ids = options.promptIds ? [...options.promptIds] : encodePrompt(tokenizer, prompt, options.enableThinking);
  const maxTokens = options.maxTokens ?? 256;
  const random = createRandom(options.seed ?? 0);
  const stops = new Set(options.ignoreEos ? [] : tokenizer.eosTokenIds);
  const run = start(ids);
  const out: number[] = [];
  if (options.signal?.aborted) return { text: '', finishReason: 'abort', usage: { promptTokens: ids.length, completionTokens: 0 }, tokenIds: out };
  let logits = await run(ids, 'prefill');
  const logprobs: TokenLogprob[] = [];
  const text = createTextStream(tokenizer, options);
  let finishReason: GenerateResult['finishReason'] = 'length';
  while (out.length < maxTokens) {
    if (options.signal?.aborted) {
      finishReason = 'abort';
      break;
    }
    const id = sampleToken(logits, options, random);
    options.onStep?.({ id, logits });
    if (options.logprobs) logprobs.push(tokenLogprob(logits, id, tokenizer, options.topLogprobs ?? 0));
    if (stops.has(id)) {
      finishReason = 'stop';
      break;
    }
    out.push(id);
    if (text.push(out)) {
      finishReason = 'stop';
      break;
    }
    if (out.length < maxTokens) logits = await run([id], 'decode');
  }
  return { text: text.finish(), finishReason, usage: { promptTokens: ids.length, completionTokens: out.length }, tokenIds: out, ...(options.logprobs ? { logprobs } : {}) };
}
