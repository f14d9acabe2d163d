/**
 * The `StepDecoder` both engines share (see step-decoder.ts): slots, joins and leaves, per-sequence seeded sampling,
 * stop tokens and caps, and the broken state after a failed step. An engine supplies only `forward`: one packed
 * pass over the sequences of a step, each feeding `next` from its own state.
 */
import { AbortError, createRandom, InputError, type DecodeEvent, type DecodeRequest, type Random, type StepDecoder } from '@trustbench/core';
import { sampleToken } from '../sampling.js';
import { logprobOf, topTokens } from './token-logprobs.js';
import { logSoftmax } from './ops.js';

/** One sequence of a step decoder, over an engine's state `S`. */
export interface DecoderSequence<S> {
  readonly slot: number;
  readonly request: DecodeRequest;
  readonly state: S;
  readonly random: Random;
  readonly stops: ReadonlySet<number>;
  /** Ids the next step feeds: the prompt before prefill, then the last sampled token. */
  next: readonly number[];
  produced: number;
}

/** What an engine gives the shared decoder. */
export interface DecoderEngine<S> {
  readonly vocabSize: number;
  /** Default stop tokens of requests that give none. */
  readonly eosTokenIds: readonly number[];
  createState(): S;
  /** Feeds every sequence's `next` (prefill when its state is at position 0), advancing its state; the logits of its last position each. */
  forward(batch: readonly DecoderSequence<S>[], signal?: AbortSignal): Float32Array[] | Promise<Float32Array[]>;
}

/** Creates a step decoder over `engine`. */
export function createDecoderCore<S>(engine: DecoderEngine<S>): StepDecoder {
  const sequences = new Map<number, DecoderSequence<S>>(); // insertion order = join order
  let broken = false;

  const freeSlot = (): number => {
    let slot = 0;
    while (sequences.has(slot)) slot++;
    return slot;
  };

  /** Samples one sequence's next token from its logits row, and ends the sequence on a stop token or at its cap. */
  const advance = (s: DecoderSequence<S>, row: Float32Array): DecodeEvent => {
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
    const lp = k > 0 ? logSoftmax(row) : undefined; // the whole log-softmax only when alternatives are asked for
    return { slot: s.slot, tokenId: id, logprob: lp ? (lp[id] as number) : logprobOf(row, id), ...(lp ? { top: topTokens(lp, k) } : {}), ...(done ? { finishReason: 'length' as const } : {}) };
  };

  return {
    join(request) {
      if (broken) throw new AbortError('this step decoder was aborted; create a new one');
      checkRequest(request, engine.vocabSize);
      const slot = freeSlot();
      sequences.set(slot, {
        slot, request, state: engine.createState(), random: createRandom(request.seed ?? 0), stops: new Set(request.stopTokenIds ?? engine.eosTokenIds), next: [...request.promptIds], produced: 0,
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
        logits = await engine.forward(batch, options.signal);
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
