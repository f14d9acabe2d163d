/**
 * Text generation on the reference engine: prefill the prompt, then decode one token at a time from the
 * caches, with hooks and interventions at every step (the loop itself: internal/generation-loop.ts).
 */
import type { GenerateResult, Prompt, Tokenizer, WhiteBoxGenerateOptions } from '@trustbench/core';
import { createSequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardSequence } from './forward.js';
import { createHookRunner, type HookPlan } from './hook-runner.js';
import { generationLoop } from './internal/generation-loop.js';
import type { Qwen35Weights } from './weights.js';

/** Reference-engine extras: generate past end-of-sequence tokens, and observe each step's logits. */
export interface ReferenceGenerateOptions extends WhiteBoxGenerateOptions {
  readonly ignoreEos?: boolean;
  /** Token ids as the prompt (skips the chat template and the tokenizer). */
  readonly promptIds?: readonly number[];
  readonly onStep?: (step: { readonly id: number; readonly logits: Float32Array }) => void;
}

/** Generates from a prompt with the given weights, plan (interventions) and options. */
export function generate(weights: Qwen35Weights, config: Qwen35Config, tokenizer: Tokenizer, plan: HookPlan, prompt: Prompt, options: ReferenceGenerateOptions): Promise<GenerateResult> {
  return generationLoop(tokenizer, prompt, options, (ids) => {
    const state = createSequenceState(config);
    return (input, phase) => {
      const positions = input.map((_, t) => state.position + t);
      const hooks = createHookRunner(plan, config.layerTypes, { phase, positions, promptLength: ids.length }, new Map());
      return forwardSequence(input, state, weights, config, hooks, [input.length - 1], options.signal);
    };
  });
}
