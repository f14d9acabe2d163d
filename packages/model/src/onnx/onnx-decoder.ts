/**
 * Continuous batching on the onnx engine: the `StepDecoder` of `@trustbench/core`, as the reference engine's
 * `createStepDecoder` does it. Each sequence owns a slot with its own state, sampler and hook phase; every `step`
 * runs one packed `forwardBatch` (weight segments read once for every row) in which new sequences are prefilled
 * while the others decode one token. Rows never mix across sequences, so each sequence gets the tokens it gets
 * alone, whatever joins or leaves around it.
 */
import { AbortError, createRandom, InputError, type DecodeEvent, type DecodeRequest, type Random, type StepDecoder } from '@trustbench/core';
import type { HookPlan } from '../hook-runner.js';
import { logSoftmax } from '../internal/ops.js';
import { sampleToken } from '../sampling.js';
import type { OnnxEngine, OnnxSequenceRun } from './engine.js';
import { createOnnxSequenceState, type OnnxSequenceState } from './state.js';

interface Sequence {
  readonly slot: number;
  readonly request: DecodeRequest;
  readonly state: OnnxSequenceState;
  readonly random: Random;
  readonly stops: ReadonlySet<number>;
  next: readonly number[];
  produced: number;
}

/**
 * Creates a step decoder over a built onnx engine, with `plan` (the interventions of a steered view).
 *
 * @throws {InputError} from `join`, for an empty prompt, a token id outside the vocabulary or a bad `maxTokens`.
 * @example
 * const decoder = createOnnxStepDecoder(engine, tokenizer.eosTokenIds, plan);
 */
export function createOnnxStepDecoder(engine: OnnxEngine, eosTokenIds: readonly number[], plan: HookPlan): StepDecoder {
  const config = engine.config;
  const sequences = new Map<number, Sequence>();
  let broken = false;
  const freeSlot = (): number => {
    let slot = 0;
    while (sequences.has(slot)) slot++;
    return slot;
  };
  const runOf = (s: Sequence): OnnxSequenceRun => ({
    ids: s.next, state: s.state, plan, phase: s.state.position === 0 ? 'prefill' : 'decode', promptLength: s.request.promptIds.length, logitRows: [s.next.length - 1],
  });
  const advance = (s: Sequence, row: Float32Array): DecodeEvent => {
    const id = sampleToken(row, s.request, s.random);
    if (s.stops.has(id)) {
      sequences.delete(s.slot);
      return { slot: s.slot, finishReason: 'stop' };
    }
    const k = s.request.topLogprobs ?? 0;
    s.produced++;
    s.next = [id];
    const done = s.produced >= s.request.maxTokens;
    if (done) sequences.delete(s.slot);
    return { slot: s.slot, tokenId: id, logprob: logprobOf(row, id), ...(k > 0 ? { top: topTokens(logSoftmax(row), k) } : {}), ...(done ? { finishReason: 'length' as const } : {}) };
  };
  return {
    join(request) {
      if (broken) throw new AbortError('this step decoder was aborted; create a new one');
      checkRequest(request, config.vocabSize);
      const slot = freeSlot();
      sequences.set(slot, {
        slot, request, state: createOnnxSequenceState(config), random: createRandom(request.seed ?? 0), stops: new Set(request.stopTokenIds ?? eosTokenIds), next: [...request.promptIds], produced: 0,
      });
      return slot;
    },
    leave(slot) {
      sequences.delete(slot);
    },
    get active() {
      return [...sequences.keys()];
    },
    async step(options = {}) {
      if (broken) throw new AbortError('this step decoder was aborted; create a new one');
      if (sequences.size === 0) return [];
      const batch = [...sequences.values()];
      let logits: Float32Array[];
      try {
        if (options.signal?.aborted) throw new AbortError('step aborted before the forward');
        logits = await engine.forwardBatch(batch.map(runOf), options.signal);
      } catch (error) {
        broken = true; // some caches may have advanced: the decoder cannot go on consistently
        throw error;
      }
      return batch.map((s, i) => advance(s, logits[i] as Float32Array));
    },
  };
}

function checkRequest(r: DecodeRequest, vocabSize: number): void {
  if (r.promptIds.length === 0) throw new InputError('join: promptIds must hold at least one token id, got an empty prompt');
  const bad = r.promptIds.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
  if (bad >= 0) throw new InputError(`join: promptIds[${bad}] = ${r.promptIds[bad]} is outside the vocabulary [0, ${vocabSize})`);
  if (!Number.isInteger(r.maxTokens) || r.maxTokens < 1) throw new InputError(`join: maxTokens must be a positive integer, got ${r.maxTokens}`);
  if (r.topLogprobs !== undefined && !(Number.isInteger(r.topLogprobs) && r.topLogprobs >= 0)) throw new InputError(`join: topLogprobs must be a non-negative integer, got ${r.topLogprobs}`);
}

/**
 * `logSoftmax(row)[id]` with the same float64 operations in the same order (so the same bits), without building the
 * whole 248k-entry log-softmax: it was a third of the main thread's time in decoding.
 */
export function logprobOf(row: Float32Array, id: number): number {
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) m = Math.max(m, row[i] as number);
  let z = 0;
  for (let i = 0; i < row.length; i++) z += Math.exp((row[i] as number) - m);
  return (row[id] as number) - (m + Math.log(z));
}

/** The k most likely ids, best first, ties to the lower id. */
export function topTokens(lp: ArrayLike<number>, k: number): { tokenId: number; logprob: number }[] {
  const best: { tokenId: number; logprob: number }[] = [];
  const taken = new Set<number>();
  for (let r = 0; r < Math.min(k, lp.length); r++) {
    let b = -1;
    for (let i = 0; i < lp.length; i++) if (!taken.has(i) && (b < 0 || (lp[i] as number) > (lp[b] as number))) b = i;
    taken.add(b);
    best.push({ tokenId: b, logprob: lp[b] as number });
  }
  return best;
}
