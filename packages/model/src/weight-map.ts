/**
 * The one declarative table from Hugging Face tensor names to `Qwen35Weights` fields, with the shape
 * each tensor must have under a given config. The loader and the random-checkpoint writer both read it.
 */
import type { Qwen35Config } from './config.js';

/** One tensor of the table. `name` is relative to the text-model prefix (`model.language_model.`). */
export interface WeightEntry {
  readonly name: string;
  readonly field: string;
  readonly shape: readonly number[];
  /** Storage dtype in the real checkpoint (informative; the loader accepts F32, F16 and BF16 anywhere). */
  readonly realDtype: 'BF16' | 'F32';
}

type Spec = readonly [suffix: string, field: string, shape: (c: Qwen35Config) => number[], realDtype?: 'F32'];

const GLOBAL: readonly Spec[] = [
  ['embed_tokens.weight', 'embedTokens', (c) => [c.vocabSize, c.hiddenSize]],
  ['norm.weight', 'finalNorm', (c) => [c.hiddenSize]],
];

const EVERY_LAYER: readonly Spec[] = [
  ['input_layernorm.weight', 'inputNorm', (c) => [c.hiddenSize]],
  ['post_attention_layernorm.weight', 'postAttentionNorm', (c) => [c.hiddenSize]],
  ['mlp.gate_proj.weight', 'mlpGate', (c) => [c.intermediateSize, c.hiddenSize]],
  ['mlp.up_proj.weight', 'mlpUp', (c) => [c.intermediateSize, c.hiddenSize]],
  ['mlp.down_proj.weight', 'mlpDown', (c) => [c.hiddenSize, c.intermediateSize]],
];

const FULL_ATTENTION: readonly Spec[] = [
  ['self_attn.q_proj.weight', 'qProj', (c) => [c.numAttentionHeads * c.headDim * 2, c.hiddenSize]],
  ['self_attn.k_proj.weight', 'kProj', (c) => [c.numKeyValueHeads * c.headDim, c.hiddenSize]],
  ['self_attn.v_proj.weight', 'vProj', (c) => [c.numKeyValueHeads * c.headDim, c.hiddenSize]],
  ['self_attn.o_proj.weight', 'oProj', (c) => [c.hiddenSize, c.numAttentionHeads * c.headDim]],
  ['self_attn.q_norm.weight', 'qNorm', (c) => [c.headDim]],
  ['self_attn.k_norm.weight', 'kNorm', (c) => [c.headDim]],
];

/** Channels of the DeltaNet conv: q | k | v. */
export const convDim = (c: Qwen35Config): number => 2 * c.linearNumKeyHeads * c.linearKeyHeadDim + c.linearNumValueHeads * c.linearValueHeadDim;

const LINEAR_ATTENTION: readonly Spec[] = [
  ['linear_attn.in_proj_qkv.weight', 'inProjQkv', (c) => [convDim(c), c.hiddenSize]],
  ['linear_attn.in_proj_z.weight', 'inProjZ', (c) => [c.linearNumValueHeads * c.linearValueHeadDim, c.hiddenSize]],
  ['linear_attn.in_proj_b.weight', 'inProjB', (c) => [c.linearNumValueHeads, c.hiddenSize]],
  ['linear_attn.in_proj_a.weight', 'inProjA', (c) => [c.linearNumValueHeads, c.hiddenSize]],
  ['linear_attn.conv1d.weight', 'conv1d', (c) => [convDim(c), 1, c.linearConvKernelDim]],
  ['linear_attn.dt_bias', 'dtBias', (c) => [c.linearNumValueHeads]],
  ['linear_attn.A_log', 'aLog', (c) => [c.linearNumValueHeads], 'F32'],
  ['linear_attn.norm.weight', 'norm', (c) => [c.linearValueHeadDim], 'F32'],
  ['linear_attn.out_proj.weight', 'outProj', (c) => [c.hiddenSize, c.linearNumValueHeads * c.linearValueHeadDim]],
];

/** Tensors of a full checkpoint that a text-only loader skips. */
export const SKIPPED_PREFIXES = ['mtp.', 'model.visual.', 'visual.'] as const;

const entry = (prefix: string, c: Qwen35Config) => ([suffix, field, shape, dtype]: Spec): WeightEntry => ({
  name: `${prefix}${suffix}`, field, shape: shape(c), realDtype: dtype ?? 'BF16',
});

/** The global tensors of the text prefix (embedding, final norm). */
export function globalEntries(c: Qwen35Config): WeightEntry[] {
  return GLOBAL.map(entry('', c));
}

/** The tensors of block `i`, by its layer type. */
export function blockEntries(c: Qwen35Config, i: number): WeightEntry[] {
  const mixer = c.layerTypes[i] === 'full_attention' ? FULL_ATTENTION : LINEAR_ATTENTION;
  return [...EVERY_LAYER, ...mixer].map(entry(`layers.${i}.`, c));
}

/** Shape of the untied LM head (`lm_head.weight`, outside the text prefix). */
export const lmHeadShape = (c: Qwen35Config): number[] => [c.vocabSize, c.hiddenSize];
