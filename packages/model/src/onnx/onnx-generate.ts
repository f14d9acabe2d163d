/**
 * Text generation on the onnx engine, with the reference engine's semantics (the same loop:
 * internal/generation-loop.ts): prefill the prompt, then decode one token at a time from the caches, with hooks and
 * interventions at every step, stop tokens and stop strings, streamed text and log-probabilities.
 */
import type { GenerateResult, Prompt, Tokenizer } from '@trustbench/core';
import type { ReferenceGenerateOptions } from '../generate.js';
import type { HookPlan } from '../hook-runner.js';
import { generationLoop } from '../internal/generation-loop.js';
import type { OnnxEngine } from './engine.js';
import { createOnnxSequenceState } from './state.js';

/** Generates from a prompt on `engine` with the plan's interventions and hooks. */
export function onnxGenerate(engine: OnnxEngine, tokenizer: Tokenizer, plan: HookPlan, prompt: Prompt, options: ReferenceGenerateOptions): Promise<GenerateResult> {
  return generationLoop(tokenizer, prompt, options, (ids) => {
    const state = createOnnxSequenceState(engine.config);
    return async (input, phase) =>
      (await engine.forwardBatch([{ ids: input, state, plan, phase, promptLength: ids.length, logitRows: [input.length - 1] }], options.signal))[0] as Float32Array;
  });
}
