/**
 * Text generation on the onnx engine, with the reference engine's semantics (see generate.ts): prefill the
 * prompt, then decode one token at a time from the caches, with hooks and interventions at every step,
 * stop tokens and stop strings, streamed text and log-probabilities.
 */
import { createRandom, type GenerateResult, type Prompt, type TokenLogprob, type Tokenizer } from '@trustbench/core';
import { promptIds, type ReferenceGenerateOptions } from '../generate.js';
import type { HookPlan } from '../hook-runner.js';
import { logSoftmax } from '../internal/ops.js';
import { sampleToken } from '../sampling.js';
import type { OnnxEngine } from './engine.js';
import { topTokens } from './onnx-decoder.js';
import { createOnnxSequenceState } from './state.js';

/** Generates from a prompt on `engine` with the plan's interventions and hooks. */
export async function onnxGenerate(engine: OnnxEngine, tokenizer: Tokenizer, plan: HookPlan, prompt: Prompt, options: ReferenceGenerateOptions): Promise<GenerateResult> {
  const config = engine.config;
  const ids = options.promptIds ? [...options.promptIds] : promptIds(tokenizer, prompt, options.enableThinking);
  const maxTokens = options.maxTokens ?? 256;
  const random = createRandom(options.seed ?? 0);
  const stops = new Set(options.ignoreEos ? [] : tokenizer.eosTokenIds);
  const state = createOnnxSequenceState(config);
  const run = async (input: number[], phase: 'prefill' | 'decode'): Promise<Float32Array> =>
    (await engine.forwardBatch([{ ids: input, state, plan, phase, promptLength: ids.length, logitRows: [input.length - 1] }], options.signal))[0] as Float32Array;
  const out: number[] = [];
  if (options.signal?.aborted) return { text: '', finishReason: 'abort', usage: { promptTokens: ids.length, completionTokens: 0 }, tokenIds: out };
  let logits = await run(ids, 'prefill');
  const logprobs: TokenLogprob[] = [];
  let text = '';
  let emitted = '';
  let finishReason: GenerateResult['finishReason'] = 'length';
  const emit = (next: string, final = false): void => {
    text = next;
    const stable = final ? next : next.replace(/\uFFFD+$/u, ''); // a trailing U+FFFD may be an incomplete UTF-8 sequence
    if (stable.length > emitted.length && stable.startsWith(emitted)) {
      options.onText?.(stable.slice(emitted.length));
      emitted = stable;
    }
  };
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
    const full = tokenizer.decode(out, { skipSpecialTokens: true });
    const stopAt = firstStop(full, options.stop ?? []);
    if (stopAt !== null) {
      emit(full.slice(0, stopAt));
      finishReason = 'stop';
      break;
    }
    emit(full);
    if (out.length < maxTokens) logits = await run([id], 'decode');
  }
  emit(text, true);
  return { text, finishReason, usage: { promptTokens: ids.length, completionTokens: out.length }, tokenIds: out, ...(options.logprobs ? { logprobs } : {}) };
}

function firstStop(text: string, stops: readonly string[]): number | null {
  let at: number | null = null;
  for (const s of stops) {
    const i = s.length > 0 ? text.indexOf(s) : -1;
    if (i >= 0 && (at === null || i < at)) at = i;
  }
  return at;
}

function tokenLogprob(logits: Float32Array, id: number, tokenizer: Tokenizer, top: number): TokenLogprob {
  const lp = logSoftmax(logits);
  const entry: TokenLogprob = { token: tokenizer.decode([id]), logprob: lp[id] as number };
  if (top <= 0) return entry;
  return { ...entry, top: topTokens(lp, top).map((t) => ({ token: tokenizer.decode([t.tokenId]), logprob: t.logprob })) };
}
