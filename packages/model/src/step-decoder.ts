/**
 * Continuous batching on the reference engine: the `StepDecoder` of `@trustbench/core`. Each sequence owns a slot with
 * its own `SequenceState` (caches), sampler and hook plan phase; every `step` runs one packed `forwardBatch` in which
 * new sequences are prefilled while the others decode one token. Packing never mixes rows across sequences, and each
 * sequence samples from its own seeded generator, so a sequence gets the same tokens and log-probabilities as
 * `generate` gives it alone, whatever joins or leaves around it.
 */
import type { Intervention, StepDecoder } from '@trustbench/core';
import { createSequenceState, type SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardBatch, type SequenceRun } from './forward.js';
import { createHookRunner, validatePlan, type HookPlan } from './hook-runner.js';
import { createDecoderCore, type DecoderSequence } from './internal/decoder-core.js';
import type { Qwen35Weights } from './weights.js';

/** What a reference step decoder runs on: the weights, and the interventions of a steered view. */
export interface StepDecoderParts {
  readonly config: Qwen35Config;
  readonly weights: Qwen35Weights;
  /** Default stop tokens of requests that give none. */
  readonly eosTokenIds: readonly number[];
  /** Applied at every step, in both phases unless an intervention says otherwise; default none. */
  readonly interventions?: readonly Intervention[];
}

/**
 * Creates a step decoder over the reference engine (see `ReferenceModel.createDecoder`).
 *
 * @throws {HookError} for an intervention at a hook the model lacks (at once).
 * @throws {InputError} from `join`, for an empty prompt, a token id outside the vocabulary or a bad `maxTokens`.
 * @example
 * const decoder = createStepDecoder({ config, weights, eosTokenIds: tokenizer.eosTokenIds });
 * const slot = decoder.join({ promptIds: [1, 2, 3], maxTokens: 8 });
 * const events = await decoder.step();
 */
export function createStepDecoder(parts: StepDecoderParts): StepDecoder {
  const { config, weights } = parts;
  const plan: HookPlan = { interventions: parts.interventions ?? [], hooks: [], cacheNames: new Set() };
  validatePlan(plan, config.layerTypes);
  return createDecoderCore<SequenceState>({
    vocabSize: config.vocabSize,
    eosTokenIds: parts.eosTokenIds,
    createState: () => createSequenceState(config),
    forward: (batch, signal) => forwardBatch(batch.map((s) => run(s, plan, config)), weights, config, signal),
  });
}

/** The packed-batch entry of one sequence: its prompt (prefill) or its last token (decode), hooks in that phase. */
function run(s: DecoderSequence<SequenceState>, plan: HookPlan, config: Qwen35Config): SequenceRun {
  const phase = s.state.position === 0 ? 'prefill' : 'decode';
  const positions = s.next.map((_, t) => s.state.position + t);
  const hooks = createHookRunner(plan, config.layerTypes, { phase, positions, promptLength: s.request.promptIds.length }, new Map());
  return { ids: s.next, state: s.state, hooks, logitRows: [s.next.length - 1] };
}
