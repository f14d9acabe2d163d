/**
 * From a local folder or a Hugging Face hub id to a ready model.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { hubSnapshot, type HubProgress, type HubSnapshotOptions } from '@trustbench/core';
import { readQwen35Config } from './config.js';
import { createReferenceModel, type ReferenceModel } from './model.js';
import { loadTokenizer } from './tokenizer.js';
import { loadQwen35Weights, type LoadProgress } from './weights.js';

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Hub settings (endpoint, token, cache, offline, revision) when `source` is a hub id. */
  readonly hub?: Omit<HubSnapshotOptions, 'include' | 'onProgress'>;
  /** Called as hub files arrive (`download`) and as tensors are decoded (`weights`), with bytes and RSS. */
  readonly onProgress?: (p: LoadProgress) => void;
}

/** The repository files a text model needs: config, tokenizer, chat template, weights (any shard names) and their index. */
const HUB_FILES = /^(config\.json|tokenizer\.json|tokenizer_config\.json|chat_template\.jinja|model\.safetensors\.index\.json|model[^/]*\.safetensors)$/;

/**
 * Loads a Qwen3.5 model from a folder, or from the hub (`Qwen/Qwen3.5-0.8B`) into the local cache first.
 * A `source` that exists on disk is always a folder; otherwise an `org/name` string is a hub id.
 *
 * @throws {ConfigError | WeightsError} for a bad folder; {HubError} when the hub cannot be used (offline with no
 *   cache, unreachable endpoint), saying what was tried and how to pass a local folder instead.
 * @example
 * const model = await loadModel('fixtures/qwen35-tiny');
 * const { text } = await model.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 8 });
 */
export async function loadModel(source: string, options: LoadModelOptions = {}): Promise<ReferenceModel> {
  const { dir, id, revision } = await resolveModelSource(source, options);
  const config = await readQwen35Config(dir);
  const tokenizer = await loadTokenizer(dir, config.eosTokenIds);
  const weights = await loadQwen35Weights(dir, config, options.onProgress);
  return createReferenceModel({ id, ...(revision ? { revision } : {}), config, weights, tokenizer });
}

/**
 * The local folder of a model source (a folder, or a hub id fetched into the cache first), its model id and revision.
 *
 * @throws {HubError} when a hub id cannot be fetched.
 * @example
 * const { dir, id } = await resolveModelSource('fixtures/qwen35-tiny');
 */
export async function resolveModelSource(source: string, options: LoadModelOptions = {}): Promise<{ dir: string; id: string; revision?: string }> {
  const isDir = await stat(source).then((s) => s.isDirectory(), () => false);
  if (isDir || !/^[\w.-]+\/[\w.-]+$/.test(source)) return { dir: source, id: `local:${path.resolve(source)}` };
  const { onProgress } = options;
  const snap = await hubSnapshot(source, {
    ...options.hub,
    include: (f) => HUB_FILES.test(f),
    ...(onProgress ? { onProgress: (p: HubProgress) => onProgress({ phase: 'download', name: p.file, bytes: p.bytes, totalBytes: p.total, rss: process.memoryUsage.rss() }) } : {}),
  });
  return { dir: snap.path, id: source, revision: snap.commit };
}
