/**
 * Continuous batching on the onnx engine: the `StepDecoder` of `@trustbench/core`, as the reference engine's
 * `createStepDecoder` does it. Each sequence owns a slot with its own state, sampler and hook phase; every `step`
 * runs one packed `forwardBatch` (weight segments read once for every row) in which new sequences are prefilled
 * while the others decode one token. Rows never mix across sequences, so each sequence gets the tokens it gets
 * alone, whatever joins or leaves around it.
 */
import type { StepDecoder } from '@trustbench/core';
import type { HookPlan } from '../hook-runner.js';
import { createDecoderCore, type DecoderSequence } from '../internal/decoder-core.js';
import type { OnnxEngine, OnnxSequenceRun } from './engine.js';
import { createOnnxSequenceState, type OnnxSequenceState } from './state.js';

/**
 * Creates a step decoder over a built onnx engine, with `plan` (the interventions of a steered view).
 *
 * @throws {InputError} from `join`, for an empty prompt, a token id outside the vocabulary or a bad `maxTokens`.
 * @example
 * const decoder = createOnnxStepDecoder(engine, tokenizer.eosTokenIds, plan);
 */
export function createOnnxStepDecoder(engine: OnnxEngine, eosTokenIds: readonly number[], plan: HookPlan): StepDecoder {
  const runOf = (s: DecoderSequence<OnnxSequenceState>): OnnxSequenceRun => ({
    ids: s.next, state: s.state, plan, phase: s.state.position === 0 ? 'prefill' : 'decode', promptLength: s.request.promptIds.length, logitRows: [s.next.length - 1],
  });
  return createDecoderCore<OnnxSequenceState>({
    vocabSize: engine.config.vocabSize,
    eosTokenIds,
    createState: () => createOnnxSequenceState(engine.config),
    forward: (batch, signal) => engine.forwardBatch(batch.map(runOf), signal),
  });
}
