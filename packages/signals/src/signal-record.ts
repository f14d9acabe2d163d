/**
 * The signal record: one number about one item, at one place in the model. A long ("tidy") layout, so that every
 * signal of every layer type lands in the same columns and a table can be filtered and grouped without a schema per
 * signal.
 */
import type { LayerType } from '@trustbench/core';

/**
 * One signal value.
 *
 * | column | type | meaning |
 * |---|---|---|
 * | modelId, datasetId | string | what was run on what |
 * | seed | int32 | the run's seed |
 * | itemId | string | the item |
 * | group | string or null | the item's label for comparisons (e.g. "correct" / "incorrect"), null when unknown |
 * | signal | string | the signal's name (see `SIGNAL_NAMES`) |
 * | layer | int32 or null | block index; null for output signals |
 * | layerType | "linear_attention" / "full_attention" / null | the block's mixer type |
 * | head | int32 or null | attention head (full attention) or value head (DeltaNet); null for whole-layer signals |
 * | value | float64 | the value |
 */
export interface SignalRecord {
  readonly modelId: string;
  readonly datasetId: string;
  readonly seed: number;
  readonly itemId: string;
  readonly group: string | null;
  readonly signal: string;
  readonly layer: number | null;
  readonly layerType: LayerType | null;
  readonly head: number | null;
  readonly value: number;
}

/**
 * Every signal name `collectSignals` writes, with where it lives and what it is.
 */
export const SIGNAL_NAMES = {
  mean_logprob: 'output: mean log p(token | prefix) over the input (teacher forcing)',
  min_logprob: 'output: minimum of the same',
  entropy: 'output: entropy (nats) of the next-token distribution at the last position',
  top1_prob: 'output: probability of the most likely next token at the last position',
  margin: 'output: p(top-1) - p(top-2) at the last position',
  answer_logprob: 'output: log p(answer token) at the last position (items with an answer id)',
  resid_norm: 'layer: L2 norm of blocks.{i}.hook_resid_post at the last position',
  mixer_out_norm: 'layer: L2 norm of what the mixer writes (hook_attn_out) at the last position',
  mlp_out_norm: 'layer: L2 norm of what the MLP writes (hook_mlp_out) at the last position',
  lens_entropy: 'layer: entropy of the logit lens (final norm + head applied to hook_resid_post) at the last position',
  lens_rank: "layer: rank (0 = top) of the model's final top-1 token under the logit lens",
  attn_entropy: 'head: mean row entropy of p_ij = |a_ij| / sum_j |a_ij| (pattern or DeltaNet effective attention)',
  attn_sink: 'head: mean p_i0 (weight on the first token)',
  attn_max: 'head: mean max_j p_ij',
  attn_span: 'head: mean sum_j p_ij (i - j), in tokens',
  beta_mean: 'DeltaNet head: mean write strength beta over positions',
  decay_mean: 'DeltaNet head: mean decay exp(g) over positions',
  decay_min: 'DeltaNet head: minimum decay exp(g) over positions',
  state_norm: 'DeltaNet head: Frobenius norm of the final recurrent state [dk, dv]',
} as const;

/** A signal name. */
export type SignalName = keyof typeof SIGNAL_NAMES;
