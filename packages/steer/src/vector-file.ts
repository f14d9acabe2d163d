/**
 * Steering vectors on disk: `<name>.json` with the provenance (model, layer, layer type, method, concept, pairs) and
 * `<name>.safetensors` with the F32 tensor `vector` (written by `@trustbench/model`'s safetensors writer), so other
 * tools can read the vector directly.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '@trustbench/core';
import { openSafetensors, writeSafetensors } from '@trustbench/model';
import type { SteeringVector } from './steering-vector.js';

/** Provenance stored beside a vector. */
export interface VectorProvenance {
  /** Where the contrastive pairs came from (a pair set's provenance, or a file). */
  readonly pairs: string;
  readonly heldOutAccuracy?: number;
  readonly seed?: number;
  readonly createdAt?: string;
}

/** A vector as loaded: the vector, its provenance and its recorded size. */
export type StoredSteeringVector = SteeringVector & VectorProvenance & { readonly dModel: number };

const LAYER_TYPES = ['linear_attention', 'full_attention'];

/**
 * Writes `<base>.json` and `<base>.safetensors`. Provenance fields already on the vector (a `LayerReading` carries
 * `pairs`, `heldOutAccuracy`, `seed`) are kept; `provenance` adds to or overrides them.
 *
 * @throws {DataError} when no pair provenance is known.
 * @example
 * await saveSteeringVector('runs/x/refusal-layer1', reading, { createdAt: new Date().toISOString() });
 */
export async function saveSteeringVector(base: string, vector: SteeringVector & Partial<VectorProvenance>, provenance: Partial<VectorProvenance> = {}): Promise<void> {
  const { vector: data, modelId, layer, layerType, method, concept } = vector;
  const pairs = provenance.pairs ?? vector.pairs;
  if (pairs === undefined) throw new DataError(`${base}.json: field "pairs" (where the contrastive pairs came from) is required`);
  const extra: Partial<VectorProvenance> = {};
  for (const key of ['heldOutAccuracy', 'seed', 'createdAt'] as const) {
    const value = provenance[key] ?? vector[key];
    if (value !== undefined) Object.assign(extra, { [key]: value });
  }
  await writeSafetensors(`${base}.safetensors`, { vector: { dtype: 'F32', shape: [data.length], data } }, { format: 'trustbench-steering-vector' });
  const meta = { modelId, layer, layerType, method, concept, dModel: data.length, pairs, ...extra, tensorFile: `${path.basename(base)}.safetensors` };
  await writeFile(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * Reads a vector written by `saveSteeringVector`.
 *
 * @throws {DataError} naming the file and field when a field is missing or of the wrong type, or the tensor's length
 *   differs from the recorded `dModel`.
 * @example
 * const v = await loadSteeringVector('runs/x/refusal-layer1');
 */
export async function loadSteeringVector(base: string): Promise<StoredSteeringVector> {
  const file = `${base}.json`;
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DataError(`${file}: cannot read the vector's provenance (${(error as Error).message})`, { cause: error });
  }
  for (const key of ['modelId', 'method', 'concept', 'pairs']) {
    if (typeof meta[key] !== 'string') throw new DataError(`${file}: field "${key}" must be a string, got ${JSON.stringify(meta[key])}`);
  }
  for (const key of ['layer', 'dModel']) {
    if (!Number.isInteger(meta[key]) || (meta[key] as number) < 0) throw new DataError(`${file}: field "${key}" must be a non-negative integer, got ${JSON.stringify(meta[key])}`);
  }
  if (!LAYER_TYPES.includes(meta['layerType'] as string)) throw new DataError(`${file}: field "layerType" must be one of ${LAYER_TYPES.join(', ')}, got ${JSON.stringify(meta['layerType'])}`);
  const st = await openSafetensors(`${base}.safetensors`);
  let vector: Float32Array;
  try {
    vector = await st.read('vector');
  } finally {
    await st.close();
  }
  if (vector.length !== meta['dModel']) throw new DataError(`${base}.safetensors: tensor "vector" has ${vector.length} values, ${file} says dModel ${String(meta['dModel'])}`);
  const { tensorFile: _tensorFile, ...rest } = meta;
  return { ...(rest as unknown as Omit<StoredSteeringVector, 'vector'>), vector };
}
