/**
 * Continuous batching on the reference engine: the `StepDecoder` of `@trustbench/core`. Each sequence owns a slot with
 * its own `SequenceState` (caches), sampler and hook plan phase; every `step` runs one packed `forwardBatch` in which
 * new sequences are prefilled while the others decode one token. Packing never mixes rows across sequences, and each
 * sequence samples from its own seeded generator, so a sequence gets the same tokens and log-probabilities as
 * `generate` gives it alone, whatever joins or leaves around it.
 */
import { AbortError, createRandom, InputError, type DecodeEvent, type DecodeRequest, type Intervention, type Random, type StepDecoder } from '@trustbench/core';
import { createSequenceState, type SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardBatch, type SequenceRun } from './forward.js';
import { createHookRunner, validatePlan, type HookPlan } from './hook-runner.js';
import { logSoftmax } from './internal/ops.js';
import { sampleToken } from './sampling.js';
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

interface Sequence {
  readonly slot: number;
  readonly request: DecodeRequest;
  readonly state: SequenceState;
  readonly random: Random;
  readonly stops: ReadonlySet<number>;
  /** Ids the next step feeds: the prompt before prefill, then the last sampled token. */
  next: readonly number[];
  produced: number;
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
  const sequences = new Map<number, Sequence>(); // insertion order = join order
  let broken = false;

  const freeSlot = (): number => {
    let slot = 0;
    while (sequences.has(slot)) slot++;
    return slot;
  };

  return {
    join(request) {
      if (broken) throw new AbortError('this step decoder was aborted; create a new one');
      checkRequest(request, config.vocabSize);
      const slot = freeSlot();
      sequences.set(slot, {
        slot, request, state: createSequenceState(config), random: createRandom(request.seed ?? 0), stops: new Set(request.stopTokenIds ?? parts.eosTokenIds), next: [...request.promptIds], produced: 0,
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
        logits = forwardBatch(batch.map((s) => run(s, plan, config)), weights, config, options.signal);
      } catch (error) {
        broken = true; // some caches may have advanced: the decoder cannot go on consistently
        throw error;
      }
      return batch.map((s, i) => advance(s, logits[i] as Float32Array));
    },
  };

  /** Samples one sequence's next token from its logits row, and ends the sequence on a stop token or at its cap. */
  function advance(s: Sequence, row: Float32Array): DecodeEvent {
    const id = sampleToken(row, s.request, s.random);
    if (s.stops.has(id)) {
      sequences.delete(s.slot);
      return { slot: s.slot, finishReason: 'stop' };
    }
    const lp = logSoftmax(row);
    const k = s.request.topLogprobs ?? 0;
    s.produced++;
    s.next = [id];
    const done = s.produced >= s.request.maxTokens;
    if (done) sequences.delete(s.slot);
    return { slot: s.slot, tokenId: id, logprob: lp[id] as number, ...(k > 0 ? { top: topTokens(lp, k) } : {}), ...(done ? { finishReason: 'length' as const } : {}) };
  }
}

/** The packed-batch entry of one sequence: its prompt (prefill) or its last token (decode), hooks in that phase. */
function run(s: Sequence, plan: HookPlan, config: Qwen35Config): SequenceRun {
  const phase = s.state.position === 0 ? 'prefill' : 'decode';
  const positions = s.next.map((_, t) => s.state.position + t);
  const hooks = createHookRunner(plan, config.layerTypes, { phase, positions, promptLength: s.request.promptIds.length }, new Map());
  return { ids: s.next, state: s.state, hooks, logitRows: [s.next.length - 1] };
}

function checkRequest(r: DecodeRequest, vocabSize: number): void {
  if (r.promptIds.length === 0) throw new InputError('join: promptIds must hold at least one token id, got an empty prompt');
  const bad = r.promptIds.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
  if (bad >= 0) throw new InputError(`join: promptIds[${bad}] = ${r.promptIds[bad]} is outside the vocabulary [0, ${vocabSize})`);
  if (!Number.isInteger(r.maxTokens) || r.maxTokens < 1) throw new InputError(`join: maxTokens must be a positive integer, got ${r.maxTokens}`);
  if (r.topLogprobs !== undefined && !(Number.isInteger(r.topLogprobs) && r.topLogprobs >= 0)) throw new InputError(`join: topLogprobs must be a non-negative integer, got ${r.topLogprobs}`);
}

/** The k most likely ids, best first, ties to the lower id (the order `generate` reports them in). */
function topTokens(lp: ArrayLike<number>, k: number): { tokenId: number; logprob: number }[] {
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
