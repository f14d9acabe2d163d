/**
 * Tiny Qwen3.5 checkpoints with seeded random weights, in memory or written as a Hugging Face folder
 * (config.json + safetensors, optionally sharded with an index), for tests of any config.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRandom, type Random } from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import { writeSafetensors, type SafetensorsDtype, type TensorToWrite } from '../safetensors.js';
import { blockEntries, globalEntries, lmHeadShape } from '../weight-map.js';
import type { Qwen35Weights } from '../weights.js';

/**
 * A tiny config (vocab 64, hidden 32, 4 layers: 3 DeltaNet + 1 full attention), with overrides.
 *
 * @example
 * tinyQwen35Config({ linearKeyHeadDim: 8, linearValueHeadDim: 12 })
 */
export function tinyQwen35Config(overrides: Partial<Qwen35Config> = {}): Qwen35Config {
  const numLayers = overrides.numLayers ?? overrides.layerTypes?.length ?? 4;
  return {
    vocabSize: 64, hiddenSize: 32, intermediateSize: 48, numLayers,
    layerTypes: Array.from({ length: numLayers }, (_, i) => ((i + 1) % 4 === 0 ? 'full_attention' : 'linear_attention')),
    rmsNormEps: 1e-6, tieWordEmbeddings: true, eosTokenIds: [], maxPositionEmbeddings: 4096,
    numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 16, rotaryDim: 4, ropeTheta: 1e7,
    linearNumKeyHeads: 2, linearNumValueHeads: 2, linearKeyHeadDim: 8, linearValueHeadDim: 8, linearConvKernelDim: 4,
    ...overrides,
  };
}

/** How each kind of tensor is drawn: projections ~ N(0, 0.2^2), (1 + w) norms near 0, the DeltaNet norm near 1, decays varied. */
function draw(field: string, n: number, random: Random): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = random.normal();
    out[i] =
      field === 'norm' ? 1 + 0.1 * z
        : /Norm$/.test(field) || field === 'finalNorm' || field === 'qNorm' || field === 'kNorm' ? 0.1 * z
          : field === 'aLog' ? Math.log(0.5 + 4 * random.next())
            : field === 'dtBias' ? 0.5 * z
              : field === 'embedTokens' || field === 'lmHead' ? z
                : field === 'conv1d' ? 0.5 * z
                  : 0.2 * z;
  }
  return out;
}

/**
 * Seeded random weights for a config.
 *
 * @example
 * const weights = randomQwen35Weights(tinyQwen35Config(), 1);
 */
export function randomQwen35Weights(config: Qwen35Config, seed: number): Qwen35Weights {
  const random = createRandom(seed);
  const tensorOf = (field: string, shape: readonly number[]) => draw(field, shape.reduce((a, b) => a * b, 1), random);
  const [embed, norm] = globalEntries(config).map((e) => tensorOf(e.field, e.shape)) as [Float32Array, Float32Array];
  const blocks = config.layerTypes.map((type, i) => {
    const fields: Record<string, unknown> = { type };
    for (const e of blockEntries(config, i)) fields[e.field] = tensorOf(e.field, e.shape);
    return fields as unknown as Qwen35Weights['blocks'][number];
  });
  const lmHead = config.tieWordEmbeddings ? embed : tensorOf('lmHead', lmHeadShape(config));
  return { embedTokens: embed, finalNorm: norm, lmHead, blocks };
}

/** Options of `writeCheckpoint`. */
export interface WriteCheckpointOptions {
  /** Storage dtype of matrices and norms; `A_log` and the DeltaNet norm stay F32 as in the real file. Default BF16. */
  readonly dtype?: SafetensorsDtype;
  /** Split into this many shards with a `model.safetensors.index.json`. Default 1 (one `model.safetensors`). */
  readonly shards?: number;
  /** Extra tensors (e.g. decoys such as `mtp.fc.weight`) written beside the model's. */
  readonly extra?: Readonly<Record<string, TensorToWrite>>;
}

/**
 * Writes weights as a Hugging Face folder: `config.json` (composite layout with `text_config`) and
 * `model.safetensors` (or shards + index) under the `model.language_model.` prefix.
 *
 * @example
 * await writeCheckpoint(dir, config, randomQwen35Weights(config, 1), { dtype: 'F32' });
 */
export async function writeCheckpoint(dir: string, config: Qwen35Config, weights: Qwen35Weights, options: WriteCheckpointOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(toHfConfig(config), null, 2));
  const dtype = options.dtype ?? 'BF16';
  const tensors: Record<string, TensorToWrite> = { ...options.extra };
  const put = (name: string, shape: readonly number[], data: Float32Array, real: 'BF16' | 'F32') => {
    tensors[name] = { dtype: real === 'F32' ? 'F32' : dtype, shape, data };
  };
  for (const e of globalEntries(config)) put(`model.language_model.${e.name}`, e.shape, e.field === 'embedTokens' ? weights.embedTokens : weights.finalNorm, e.realDtype);
  weights.blocks.forEach((b, i) => {
    for (const e of blockEntries(config, i)) put(`model.language_model.${e.name}`, e.shape, (b as unknown as Record<string, Float32Array>)[e.field] as Float32Array, e.realDtype);
  });
  if (!config.tieWordEmbeddings) put('lm_head.weight', lmHeadShape(config), weights.lmHead, 'BF16');
  const shards = options.shards ?? 1;
  if (shards === 1) return writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
  const names = Object.keys(tensors).sort();
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < shards; s++) {
    const file = `model.safetensors-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    const part = names.filter((_, i) => i % shards === s);
    for (const n of part) weightMap[n] = file;
    await writeSafetensors(path.join(dir, file), Object.fromEntries(part.map((n) => [n, tensors[n] as TensorToWrite])));
  }
  await writeFile(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2));
}

/** The Hugging Face `config.json` for a config (composite layout, as the real checkpoint). */
export function toHfConfig(c: Qwen35Config): Record<string, unknown> {
  return {
    architectures: ['Qwen3_5ForConditionalGeneration'],
    model_type: 'qwen3_5',
    tie_word_embeddings: c.tieWordEmbeddings,
    text_config: {
      model_type: 'qwen3_5_text', vocab_size: c.vocabSize, hidden_size: c.hiddenSize, intermediate_size: c.intermediateSize,
      num_hidden_layers: c.numLayers, layer_types: c.layerTypes, rms_norm_eps: c.rmsNormEps, tie_word_embeddings: c.tieWordEmbeddings,
      eos_token_id: c.eosTokenIds.length === 1 ? c.eosTokenIds[0] : c.eosTokenIds, max_position_embeddings: c.maxPositionEmbeddings,
      num_attention_heads: c.numAttentionHeads, num_key_value_heads: c.numKeyValueHeads, head_dim: c.headDim,
      rope_parameters: { rope_type: 'default', rope_theta: c.ropeTheta, partial_rotary_factor: c.rotaryDim / c.headDim },
      linear_num_key_heads: c.linearNumKeyHeads, linear_num_value_heads: c.linearNumValueHeads,
      linear_key_head_dim: c.linearKeyHeadDim, linear_value_head_dim: c.linearValueHeadDim, linear_conv_kernel_dim: c.linearConvKernelDim,
      hidden_act: 'silu', attn_output_gate: true,
    },
  };
}
