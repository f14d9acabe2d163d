/**
 * The reference Qwen3.5 model as a `WhiteBoxModel`: plain typed arrays, every hook point open.
 *
 * Batches of different lengths run as one packed pass (see `forwardBatch`): no pad tokens ever enter the
 * model, so each sequence's outputs have the same bits as when it runs alone. Outputs are then stacked
 * right-padded with zeros: `forward` gives [batch, max_pos, vocab] and rows past a sequence's length are 0.
 * Right padding keeps position t of every sequence at index t. Hook functions are called once per sequence,
 * with batch size 1 and that sequence's `positions` and `promptLength`; `runWithCache` stacks them the same way.
 */
import {
  resolveHook, type ContinuationRequest, type ContinuationScore, type GenerateResult, type HookName, type Intervention, type Prompt, type StepDecoder, type Tensor,
  type Tokenizer, type WhiteBoxModel,
} from '@trustbench/core';
import { createSequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardBatch } from './forward.js';
import { generate, type ReferenceGenerateOptions } from './generate.js';
import { createHookRunner, validatePlan, type HookPlan } from './hook-runner.js';
import { packedCalls } from './internal/packed-calls.js';
import { createStepDecoder } from './step-decoder.js';
import type { Qwen35Weights } from './weights.js';

/** What the reference model is built from. */
export interface ReferenceModelParts {
  readonly id: string;
  readonly revision?: string;
  readonly config: Qwen35Config;
  readonly weights: Qwen35Weights;
  readonly tokenizer: Tokenizer;
}

/** The reference model: a `WhiteBoxModel` whose `generate` also takes `ReferenceGenerateOptions`. */
export interface ReferenceModel extends WhiteBoxModel {
  readonly config: Qwen35Config;
  generate(prompt: Prompt, options?: ReferenceGenerateOptions): Promise<GenerateResult>;
  scoreContinuations(requests: readonly ContinuationRequest[]): Promise<ContinuationScore[]>;
  withInterventions(interventions: readonly Intervention[]): ReferenceModel;
  /** A step decoder for continuous batching; a steered view's decoder applies its interventions. */
  createDecoder(): StepDecoder;
}

/**
 * Builds the reference model from loaded parts (see `loadModel` for a folder or hub id).
 *
 * @example
 * const model = createReferenceModel({ id: 'local:tiny', config, weights, tokenizer });
 * const { logits, cache } = await model.runWithCache([1, 2, 3], { names: ['blocks.0.linear_attn.hook_beta'] });
 */
export function createReferenceModel(parts: ReferenceModelParts): ReferenceModel {
  return steeredModel(parts, []);
}

/** The model with `interventions` applied to every call (the `withInterventions` view). */
function steeredModel(parts: ReferenceModelParts, interventions: readonly Intervention[]): ReferenceModel {
  const { config, weights, tokenizer } = parts;
  for (const iv of interventions) resolveHook(iv.hook, config.layerTypes);
  const basePlan: HookPlan = { interventions, hooks: [], cacheNames: new Set() };

  const calls = packedCalls(config, tokenizer, interventions, (sequences, plan, caches, rows, signal) => forwardBatch(
    sequences.map((ids, s) => ({
      ids,
      state: createSequenceState(config),
      hooks: createHookRunner(plan, config.layerTypes, { phase: 'prefill', positions: ids.map((_, t) => t), promptLength: ids.length }, caches[s] as Map<HookName, Tensor>),
      logitRows: rows[s] as number[],
    })),
    weights,
    config,
    signal,
  ));

  const model: ReferenceModel = {
    id: parts.id,
    ...(parts.revision ? { revision: parts.revision } : {}),
    config,
    tokenizer,
    ...calls,
    async generate(prompt, options = {}) {
      const plan: HookPlan = { ...basePlan, hooks: options.hooks ?? [] };
      validatePlan(plan, config.layerTypes);
      return generate(weights, config, tokenizer, plan, prompt, options);
    },
    withInterventions(more) {
      return steeredModel(parts, [...interventions, ...more]);
    },
    createDecoder() {
      return createStepDecoder({ config, weights, eosTokenIds: tokenizer.eosTokenIds, interventions });
    },
  };
  return model;
}
