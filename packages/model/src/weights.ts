/**
 * The weights of a Qwen3.5 text model in float32, as the engines consume them. Matrices keep PyTorch's
 * `nn.Linear` layout `[out, in]` (y = x W^T), row-major.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WeightsError } from '@trustbench/core';
import type { Qwen35Config } from './config.js';
import { isDecodable, openSafetensors, unsupportedDtype, type SafetensorsFile, type TensorInfo } from './safetensors.js';
import { blockEntries, globalEntries, lmHeadShape, SKIPPED_PREFIXES, type WeightEntry } from './weight-map.js';


/** Weights common to every block. */
interface BlockWeightsBase {
  /** `input_layernorm.weight` [d_model] (stored offset: the norm multiplies by 1 + w). */
  readonly inputNorm: Float32Array;
  /** `post_attention_layernorm.weight` [d_model]. */
  readonly postAttentionNorm: Float32Array;
  /** `mlp.gate_proj.weight` [d_mlp, d_model]. */
  readonly mlpGate: Float32Array;
  /** `mlp.up_proj.weight` [d_mlp, d_model]. */
  readonly mlpUp: Float32Array;
  /** `mlp.down_proj.weight` [d_model, d_mlp]. */
  readonly mlpDown: Float32Array;
}

/** A gated full-attention block. */
export interface FullAttentionBlockWeights extends BlockWeightsBase {
  readonly type: 'full_attention';
  /** `self_attn.q_proj.weight` [heads * 2 * d_head, d_model]: per head, d_head query rows then d_head gate rows. */
  readonly qProj: Float32Array;
  /** `self_attn.k_proj.weight` [kv_heads * d_head, d_model]. */
  readonly kProj: Float32Array;
  /** `self_attn.v_proj.weight` [kv_heads * d_head, d_model]. */
  readonly vProj: Float32Array;
  /** `self_attn.o_proj.weight` [d_model, heads * d_head]. */
  readonly oProj: Float32Array;
  /** `self_attn.q_norm.weight` [d_head] (1 + w). */
  readonly qNorm: Float32Array;
  /** `self_attn.k_norm.weight` [d_head] (1 + w). */
  readonly kNorm: Float32Array;
}

/** A Gated DeltaNet (linear attention) block. */
export interface LinearAttentionBlockWeights extends BlockWeightsBase {
  readonly type: 'linear_attention';
  /** `linear_attn.in_proj_qkv.weight` [2 * nk * dk + nv * dv, d_model]: rows q | k | v, head-major. */
  readonly inProjQkv: Float32Array;
  /** `linear_attn.in_proj_z.weight` [nv * dv, d_model]. */
  readonly inProjZ: Float32Array;
  /** `linear_attn.in_proj_b.weight` [nv, d_model]. */
  readonly inProjB: Float32Array;
  /** `linear_attn.in_proj_a.weight` [nv, d_model]. */
  readonly inProjA: Float32Array;
  /** `linear_attn.conv1d.weight` [conv_dim, 1, kernel] flattened to [conv_dim, kernel]; tap kernel-1 multiplies the current token. */
  readonly conv1d: Float32Array;
  /** `linear_attn.dt_bias` [nv]. */
  readonly dtBias: Float32Array;
  /** `linear_attn.A_log` [nv]. */
  readonly aLog: Float32Array;
  /** `linear_attn.norm.weight` [dv] (plain weight, not 1 + w). */
  readonly norm: Float32Array;
  /** `linear_attn.out_proj.weight` [d_model, nv * dv]. */
  readonly outProj: Float32Array;
}

/** One block's weights. */
export type BlockWeights = FullAttentionBlockWeights | LinearAttentionBlockWeights;

/** All weights of the text model. */
export interface Qwen35Weights {
  /** `embed_tokens.weight` [vocab, d_model]. */
  readonly embedTokens: Float32Array;
  /** Final `norm.weight` [d_model] (1 + w). */
  readonly finalNorm: Float32Array;
  /** LM head [vocab, d_model]: the same array as `embedTokens` when the head is tied. */
  readonly lmHead: Float32Array;
  readonly blocks: readonly BlockWeights[];
}

/**
 * Progress of a model load. `download`: a hub file arriving (bytes of that file so far, of `totalBytes` when the
 * server sends a length); `weights`: a tensor decoded (stored bytes of all tensors read so far, of every tensor's).
 */
export interface LoadProgress {
  readonly phase: 'download' | 'weights';
  /** The file (download) or tensor (weights) that advanced. */
  readonly name: string;
  readonly bytes: number;
  readonly totalBytes: number | null;
  /** Resident set size of the process in bytes at this point. */
  readonly rss: number;
}

/**
 * Loads the text-model weights of a Hugging Face folder as float32, one tensor at a time. Reads
 * `model.safetensors.index.json` when present (any shard names), else `model.safetensors`; accepts the
 * `model.language_model.` or `model.` prefix, a tied or untied head, and skips `mtp.*` / `model.visual.*`.
 *
 * @throws {WeightsError} naming the file and tensor for a missing tensor, an unexpected extra tensor, a wrong shape,
 *   an unknown dtype, or a truncated file.
 * @example
 * const weights = await loadQwen35Weights(dir, await readQwen35Config(dir));
 */
export async function loadQwen35Weights(dir: string, config: Qwen35Config, onProgress?: (p: LoadProgress) => void): Promise<Qwen35Weights> {
  const files = await weightFiles(dir);
  const opened: SafetensorsFile[] = [];
  try {
    for (const f of files) opened.push(await openSafetensors(f));
    const where = new Map<string, SafetensorsFile>();
    for (const st of opened) for (const name of st.tensors.keys()) where.set(name, st);
    const names = [...where.keys()];
    const prefix = names.some((n) => n.startsWith('model.language_model.')) ? 'model.language_model.' : 'model.';
    const expected: WeightEntry[] = [...globalEntries(config), ...config.layerTypes.flatMap((_, i) => blockEntries(config, i))].map((e) => ({ ...e, name: prefix + e.name }));
    if (!config.tieWordEmbeddings) expected.push({ name: 'lm_head.weight', field: 'lmHead', shape: lmHeadShape(config), realDtype: 'BF16' });
    const known = new Set(expected.map((e) => e.name));
    const extra = names.filter((n) => !known.has(n) && !SKIPPED_PREFIXES.some((p) => n.startsWith(p)) && !(n === 'lm_head.weight' && config.tieWordEmbeddings));
    if (extra.length > 0) {
      throw new WeightsError(`${where.get(extra[0] as string)?.path}: unexpected tensor "${extra[0]}"${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ''}; it is not part of a Qwen3.5 text model with this config.json`);
    }
    for (const e of expected) {
      const st = where.get(e.name);
      if (!st) throw new WeightsError(`${files.join(', ')}: missing tensor "${e.name}" (expected shape [${e.shape.join(', ')}])`);
      const info = st.tensors.get(e.name) as TensorInfo;
      if (info.shape.join(',') !== e.shape.join(',')) {
        throw new WeightsError(`${st.path}: tensor "${e.name}" has shape [${info.shape.join(', ')}], expected [${e.shape.join(', ')}] from config.json`);
      }
      if (!isDecodable(info.dtype)) throw unsupportedDtype(st.path, info);
    }
    const stored = (name: string) => {
      const info = (where.get(name) as SafetensorsFile).tensors.get(name) as TensorInfo;
      return info.end - info.start;
    };
    const totalBytes = expected.reduce((sum, e) => sum + stored(e.name), 0);
    let bytes = 0;
    const read = async (name: string): Promise<Float32Array> => {
      const data = await (where.get(name) as SafetensorsFile).read(name);
      bytes += stored(name);
      onProgress?.({ phase: 'weights', name, bytes, totalBytes, rss: process.memoryUsage.rss() });
      return data;
    };
    const embedTokens = await read(`${prefix}embed_tokens.weight`);
    const finalNorm = await read(`${prefix}norm.weight`);
    const blocks: BlockWeights[] = [];
    for (let i = 0; i < config.numLayers; i++) {
      const fields: Record<string, unknown> = { type: config.layerTypes[i] };
      for (const e of blockEntries(config, i)) fields[e.field] = await read(prefix + e.name);
      blocks.push(fields as unknown as BlockWeights);
    }
    const lmHead = config.tieWordEmbeddings ? embedTokens : await read('lm_head.weight');
    return { embedTokens, finalNorm, lmHead, blocks };
  } finally {
    await Promise.all(opened.map((st) => st.close()));
  }
}

/** The safetensors files of a model folder (one file, or the shards of its index), each checked to exist. */
export async function weightFiles(dir: string): Promise<string[]> {
  const indexFile = path.join(dir, 'model.safetensors.index.json');
  const index = await readFile(indexFile, 'utf8').catch(() => null);
  if (index === null) {
    const single = path.join(dir, 'model.safetensors');
    await access(single).catch(() => {
      throw new WeightsError(`${dir}: no model.safetensors and no model.safetensors.index.json; is this a Hugging Face model folder?`);
    });
    return [single];
  }
  let map: unknown;
  try {
    map = (JSON.parse(index) as { weight_map?: unknown }).weight_map;
  } catch (cause) {
    throw new WeightsError(`${indexFile}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (map === null || typeof map !== 'object') throw new WeightsError(`${indexFile}: weight_map must be an object of tensor name -> file name`);
  const files = [...new Set(Object.values(map as Record<string, string>))].sort();
  for (const f of files) {
    await access(path.join(dir, f)).catch(() => {
      throw new WeightsError(`${indexFile}: shard "${f}" named in weight_map does not exist in ${dir}`);
    });
  }
  return files.map((f) => path.join(dir, f));
}
