/**
 * The step API of batched decoding: one cache slot per sequence, sequences joining and leaving between steps.
 * `trustbench serve` (continuous batching) and the loop's profile drive an engine through it; every engine
 * (reference, onnx) implements it the same way, so a batched run gives the same tokens as one sequence at a time.
 */
import type { FinishReason } from './language-model.js';

/** A sequence that joins a decoder. */
export interface DecodeRequest {
  /** The prompt as token ids (already rendered through the chat template, if any). */
  readonly promptIds: readonly number[];
  /** Maximum number of new tokens (>= 1). */
  readonly maxTokens: number;
  /** 0 or absent means greedy. */
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  /** Seed of this sequence's sampler: the same seed gives the same tokens whatever else is in the batch. */
  readonly seed?: number;
  /** Token ids that end the sequence (not emitted); default: the tokenizer's end-of-sequence ids. */
  readonly stopTokenIds?: readonly number[];
  /** Also report the k most likely alternatives of each token (0 or absent: none). */
  readonly topLogprobs?: number;
}

/** One token produced by one sequence in one step. */
export interface DecodeEvent {
  /** The slot `join` returned. */
  readonly slot: number;
  /** The sampled token; absent when the sequence ended on a stop token (which is not emitted). */
  readonly tokenId?: number;
  /** Log-probability of `tokenId` under the model (before temperature / top-p / top-k). */
  readonly logprob?: number;
  /** The most likely alternatives, best first, when `topLogprobs` was asked. */
  readonly top?: readonly { readonly tokenId: number; readonly logprob: number }[];
  /** Set on the sequence's last event; the slot is free after it. */
  readonly finishReason?: FinishReason;
}

/**
 * A batched decoder over one model (and its interventions, if it is a steered view).
 *
 * @example
 * const decoder = model.createDecoder();
 * const a = decoder.join({ promptIds: idsA, maxTokens: 16 });
 * while (decoder.active.length > 0) {
 *   for (const e of await decoder.step()) if (e.slot === a && e.tokenId !== undefined) out.push(e.tokenId);
 * }
 */
export interface StepDecoder {
  /** Adds a sequence; its prompt is prefilled at the next `step`. Returns its slot. */
  join(request: DecodeRequest): number;
  /** Removes a sequence before it finished (cancelled, or a stop string matched); frees its slot. Unknown slots are ignored. */
  leave(slot: number): void;
  /** Slots of the sequences that have not finished, in join order. */
  readonly active: readonly number[];
  /**
   * Advances every active sequence by one token (new ones are prefilled first, in the same step).
   * A sequence that produces a stop token, or reaches `maxTokens`, gets `finishReason` and leaves.
   *
   * @throws {AbortError} when `signal` is aborted; the decoder is then unusable.
   */
  step(options?: { readonly signal?: AbortSignal }): Promise<DecodeEvent[]>;
}
