/**
 * Steering vectors on disk: `<name>.json` with the provenance (model, layer, layer type, method, concept, pairs) and
 * `<name>.safetensors` with the F32 tensor `vector`, so other tools can read the vector directly.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { DataError } from '@trustbench/core';
import { openSafetensors, writeSafetensors } from '@trustbench/model';
import type { SteeringVector } from './steering-vector.js';

/** Extra provenance stored beside a vector. */
export interface VectorProvenance {
  /** Where the contrastive pairs came from (a built-in set id, or a file). */
  readonly pairs: string;
  readonly heldOutAccuracy?: number;
  readonly createdAt?: string;
}

/**
 * Writes `<base>.json` and `<base>.safetensors`.
 *
 * @example
 * await saveSteeringVector('runs/x/refusal-layer1', vector, { pairs: 'builtin:refusal' });
 */
export async function saveSteeringVector(base: string, vector: SteeringVector, provenance: VectorProvenance): Promise<void> {
  const { vector: data, ...meta } = vector;
  await writeSafetensors(`${base}.safetensors`, { vector: { dtype: 'F32', shape: [data.length], data } }, { format: 'trustbench-steering-vector' });
  await writeFile(`${base}.json`, JSON.stringify({ ...meta, dModel: data.length, ...provenance, tensorFile: `${base.split('/').pop()}.safetensors` }, null, 2));
}

/**
 * Reads a vector written by `saveSteeringVector`.
 *
 * @throws {DataError} when a field is missing or the tensor's length differs from the recorded `dModel`.
 */
export async function loadSteeringVector(base: string): Promise<SteeringVector & VectorProvenance> {
  const meta = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Record<string, unknown>;
  for (const key of ['modelId', 'layer', 'layerType', 'method', 'concept', 'dModel', 'pairs']) {
    if (meta[key] === undefined) throw new DataError(`${base}.json: missing field "${key}"`);
  }
  const st = await openSafetensors(`${base}.safetensors`);
  const vector = await st.read('vector');
  await st.close();
  if (vector.length !== meta['dModel']) throw new DataError(`${base}.safetensors: vector has ${vector.length} values, ${base}.json says dModel ${String(meta['dModel'])}`);
  return { ...(meta as unknown as SteeringVector & VectorProvenance), vector };
}
