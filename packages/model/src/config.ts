/**
 * The Qwen3.5 text-model configuration, read from a Hugging Face `config.json` (composite layout with a
 * nested `text_config`, or a flat text config). See docs/qwen35-architecture.md for every field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type LayerType } from '@trustbench/core';

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

type Json = Record<string, unknown>;

/**
 * Parses a Hugging Face Qwen3.5 `config.json` (composite with `text_config`, or a flat text config).
 *
 * @param json The parsed JSON.
 * @param file The file name used in error messages.
 * @throws {ConfigError} naming the field, the expected type and the value found, e.g.
 *   `config.json: text_config.head_dim must be a positive integer, got "256px"`.
 * @example
 * const config = parseQwen35Config(JSON.parse(await readFile('config.json', 'utf8')));
 */
export function parseQwen35Config(json: unknown, file = 'config.json'): Qwen35Config {
  if (!isObject(json)) throw new ConfigError(`${file}: expected a JSON object, got ${describe(json)}`);
  const nested = json['text_config'] !== undefined;
  const text = nested ? json['text_config'] : json;
  if (!isObject(text)) throw new ConfigError(`${file}: text_config must be an object, got ${describe(text)}`);
  const prefix = nested ? 'text_config.' : '';
  const int = (key: string, fallback?: number): number => {
    const v = text[key] ?? fallback;
    if (!Number.isInteger(v) || (v as number) <= 0) throw new ConfigError(`${file}: ${prefix}${key} must be a positive integer, got ${describe(text[key])}`);
    return v as number;
  };
  const num = (value: unknown, key: string, fallback?: number): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`${file}: ${key} must be a positive number, got ${describe(value)}`);
    return v;
  };
  const numLayers = int('num_hidden_layers');
  const layerTypes = parseLayerTypes(text['layer_types'], numLayers, text['full_attention_interval'], `${file}: ${prefix}`);
  const rope = text['rope_parameters'] ?? {};
  if (!isObject(rope)) throw new ConfigError(`${file}: ${prefix}rope_parameters must be an object, got ${describe(rope)}`);
  const headDim = int('head_dim');
  const partial = num(rope['partial_rotary_factor'] ?? text['partial_rotary_factor'], `${prefix}rope_parameters.partial_rotary_factor`, 1);
  if (partial > 1) throw new ConfigError(`${file}: ${prefix}rope_parameters.partial_rotary_factor must be in (0, 1], got ${partial}`);
  const rotaryDim = Math.floor(headDim * partial);
  if (rotaryDim % 2 !== 0) throw new ConfigError(`${file}: head_dim * partial_rotary_factor must be even, got ${headDim} * ${partial} = ${rotaryDim}`);
  const tie = text['tie_word_embeddings'] ?? json['tie_word_embeddings'] ?? false;
  if (typeof tie !== 'boolean') throw new ConfigError(`${file}: tie_word_embeddings must be a boolean, got ${describe(tie)}`);
  const heads = int('num_attention_heads');
  const kvHeads = int('num_key_value_heads');
  if (heads % kvHeads !== 0) throw new ConfigError(`${file}: ${prefix}num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kvHeads})`);
  const nk = int('linear_num_key_heads');
  const nv = int('linear_num_value_heads');
  if (nv % nk !== 0) throw new ConfigError(`${file}: ${prefix}linear_num_value_heads (${nv}) must be a multiple of linear_num_key_heads (${nk})`);
  return {
    vocabSize: int('vocab_size'),
    hiddenSize: int('hidden_size'),
    intermediateSize: int('intermediate_size'),
    numLayers,
    layerTypes,
    rmsNormEps: num(text['rms_norm_eps'], `${prefix}rms_norm_eps`, 1e-6),
    tieWordEmbeddings: tie,
    eosTokenIds: parseEos(text['eos_token_id'] ?? json['eos_token_id'], `${file}: ${prefix}eos_token_id`),
    maxPositionEmbeddings: int('max_position_embeddings', 262144),
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    rotaryDim,
    ropeTheta: num(rope['rope_theta'] ?? text['rope_theta'], `${prefix}rope_parameters.rope_theta`, 10_000_000),
    linearNumKeyHeads: nk,
    linearNumValueHeads: nv,
    linearKeyHeadDim: int('linear_key_head_dim'),
    linearValueHeadDim: int('linear_value_head_dim'),
    linearConvKernelDim: int('linear_conv_kernel_dim', 4),
  };
}

/**
 * Reads and parses `<dir>/config.json`.
 *
 * @throws {ConfigError} when the file is missing, is not JSON, or has a bad field.
 */
export async function readQwen35Config(dir: string): Promise<Qwen35Config> {
  const file = path.join(dir, 'config.json');
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new ConfigError(`${file}: cannot read the model config (${(cause as Error).message})`, { cause });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parseQwen35Config(json, file);
}

function parseLayerTypes(value: unknown, n: number, interval: unknown, at: string): LayerType[] {
  if (value === undefined) {
    const every = interval ?? 4;
    if (!Number.isInteger(every) || (every as number) <= 0) throw new ConfigError(`${at}full_attention_interval must be a positive integer, got ${describe(interval)}`);
    return Array.from({ length: n }, (_, i) => ((i + 1) % (every as number) === 0 ? 'full_attention' : 'linear_attention'));
  }
  if (!Array.isArray(value) || value.length !== n) {
    throw new ConfigError(`${at}layer_types must be an array of ${n} entries (num_hidden_layers), got ${Array.isArray(value) ? `${value.length} entries` : describe(value)}`);
  }
  return value.map((t, i) => {
    if (t !== 'linear_attention' && t !== 'full_attention') throw new ConfigError(`${at}layer_types[${i}] must be "linear_attention" or "full_attention", got ${describe(t)}`);
    return t;
  });
}

function parseEos(value: unknown, at: string): number[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const v of list) if (!Number.isInteger(v) || (v as number) < 0) throw new ConfigError(`${at} must be a token id or a list of them, got ${describe(value)}`);
  return list as number[];
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing (missing)' : JSON.stringify(v);
}
