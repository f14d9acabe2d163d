/**
 * The Qwen3.5 text-model configuration, read from a Hugging Face `config.json` (composite layout with a
 * nested `text_config`, or a flat text config). See ../../../docs/qwen35-architecture.md for every field.
 */
import type { LayerType } from '@trustbench/core';

/** Everything the engines need to know about a Qwen3.5 text model, with derived sizes filled in. */
export interface Qwen35Config {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numLayers: number;
  /** Mixer type per layer (from `layer_types`, else every `full_attention_interval`-th layer is full). */
  readonly layerTypes: readonly LayerType[];
  readonly rmsNormEps: number;
  readonly tieWordEmbeddings: boolean;
  /** `text_config.eos_token_id` as a list (may be empty). */
  readonly eosTokenIds: readonly number[];
  readonly maxPositionEmbeddings: number;
  /** Gated full attention. */
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  /** `floor(headDim * partial_rotary_factor)`. */
  readonly rotaryDim: number;
  readonly ropeTheta: number;
  /** Gated DeltaNet. */
  readonly linearNumKeyHeads: number;
  readonly linearNumValueHeads: number;
  readonly linearKeyHeadDim: number;
  readonly linearValueHeadDim: number;
  readonly linearConvKernelDim: number;
}
