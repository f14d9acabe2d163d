/**
 * Text generation on the reference engine: prefill the prompt, then decode one token at a time from the
 * caches, with hooks and interventions at every step.
 */
import { createRandom, type GenerateResult, type Prompt, type TokenLogprob, type Tokenizer, type WhiteBoxGenerateOptions } from '@trustbench/core';
import { createSequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardSequence } from './forward.js';
import { createHookRunner, type HookPlan } from './hook-runner.js';
import { logSoftmax } from './internal/ops.js';
import { sampleToken } from './sampling.js';
import type { Qwen35Weights } from './weights.js';

/** Reference-engine extras: generate past end-of-sequence tokens, and observe each step's logits. */
export interface ReferenceGenerateOptions extends WhiteBoxGenerateOptions {
  readonly ignoreEos?: boolean;
  /** Token ids as the prompt (skips the chat template and the tokenizer). */
  readonly promptIds?: readonly number[];
  readonly onStep?: (step: { readonly id: number; readonly logits: Float32Array }) => void;
}

/** Renders a prompt to ids: strings as-is, chat messages through the chat template with a generation prompt. */
export function promptIds(tokenizer: Tokenizer, prompt: Prompt, enableThinking = false): number[] {
  const text = typeof prompt === 'string' ? prompt : tokenizer.applyChatTemplate(prompt, { addGenerationPrompt: true, enableThinking });
  return tokenizer.encode(text);
}

/** Generates from a prompt with the given weights, plan (interventions) and options. */
export function generate(weights: Qwen35Weights, config: Qwen35Config, tokenizer: Tokenizer, plan: HookPlan, prompt: Prompt, options: ReferenceGenerateOptions): GenerateResult {
  const ids = options.promptIds ? [...options.promptIds] : promptIds(tokenizer, prompt, options.enableThinking);
  const maxTokens = options.maxTokens ?? 256;
  const random = createRandom(options.seed ?? 0);
  const stops = new Set(options.ignoreEos ? [] : tokenizer.eosTokenIds);
  const state = createSequenceState(config);
  const run = (input: number[], phase: 'prefill' | 'decode'): Float32Array => {
    const positions = input.map((_, t) => state.position + t);
    const hooks = createHookRunner(plan, config.layerTypes, { phase, positions, promptLength: ids.length }, new Map());
    return forwardSequence(input, state, weights, config, hooks, [input.length - 1], options.signal);
  };
  const out: number[] = [];
  if (options.signal?.aborted) return { text: '', finishReason: 'abort', usage: { promptTokens: ids.length, completionTokens: 0 }, tokenIds: out };
  let logits = run(ids, 'prefill');
  const logprobs: TokenLogprob[] = [];
  let text = '';
  let emitted = '';
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
    const full = tokenizer.decode(out, { skipSpecialTokens: true });
    const stopAt = firstStop(full, options.stop ?? []);
    if (stopAt !== null) {
      emit(full.slice(0, stopAt));
      finishReason = 'stop';
      break;
    }
    emit(full);
    if (out.length < maxTokens) logits = run([id], 'decode');
  }
  emit(text, true);
  return { text, finishReason, usage: { promptTokens: ids.length, completionTokens: out.length }, tokenIds: out, ...(options.logprobs ? { logprobs } : {}) };

  /** Streams what is stable: a trailing U+FFFD may be an incomplete UTF-8 sequence that the next token completes. */
  function emit(next: string, final = false): void {
    text = next;
    const stable = final ? next : next.replace(/\uFFFD+$/u, '');
    if (stable.length > emitted.length && stable.startsWith(emitted)) {
      options.onText?.(stable.slice(emitted.length));
      emitted = stable;
    }
  }
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
  const best: { token: string; logprob: number }[] = [];
  const taken = new Set<number>();
  for (let r = 0; r < Math.min(top, lp.length); r++) {
    let b = -1;
    for (let i = 0; i < lp.length; i++) if (!taken.has(i) && (b < 0 || (lp[i] as number) > (lp[b] as number))) b = i;
    taken.add(b);
    best.push({ token: tokenizer.decode([b]), logprob: lp[b] as number });
  }
  return { ...entry, top: best };
}

