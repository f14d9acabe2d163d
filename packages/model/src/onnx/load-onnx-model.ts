/**
 * From a folder or hub id to an onnx model, streaming the weights block by block: each block's tensors are read
 * as float32, turned into onnxruntime sessions, and dropped before the next block is read, so the checkpoint is
 * never held twice (only the embedding stays, for the JS side to gather rows from: as bfloat16 when that is lossless,
 * else float32).
 */
import { WeightsError } from '@trustbench/core';
import { readQwen35Config, type Qwen35Config } from '../config.js';
import { resolveModelSource, type LoadModelOptions } from '../load-model.js';
import { openSafetensors, type SafetensorsFile } from '../safetensors.js';
import { loadTokenizer } from '../tokenizer.js';
import { blockEntries, globalEntries, lmHeadShape, type WeightEntry } from '../weight-map.js';
import { weightFiles, type BlockWeights } from '../weights.js';
import type { WeightSource } from './build-engine.js';
import { createOnnxModel, type OnnxModel, type OnnxModelOptions } from './onnx-model.js';

/**
 * Loads a Qwen3.5 model into the onnx engine.
 *
 * @throws {ConfigError | WeightsError} for a bad folder; {CapabilityError} for a device without a provider.
 * @example
 * const model = await loadOnnxModel('fixtures/qwen35-tiny', { precision: 'fp16' });
 */
export async function loadOnnxModel(source: string, options: LoadModelOptions & OnnxModelOptions = {}): Promise<OnnxModel> {
  const { dir, id, revision } = await resolveModelSource(source, options);
  const config = await readQwen35Config(dir);
  const tokenizer = await loadTokenizer(dir, config.eosTokenIds);
  const files = await Promise.all((await weightFiles(dir)).map((f) => openSafetensors(f)));
  try {
    const weights = streamingSource(files, config);
    return await createOnnxModel({ id, ...(revision ? { revision } : {}), config, weights, tokenizer }, options);
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}

function streamingSource(files: readonly SafetensorsFile[], c: Qwen35Config): WeightSource {
  const where = new Map<string, SafetensorsFile>();
  for (const f of files) for (const name of f.tensors.keys()) where.set(name, f);
  const prefix = [...where.keys()].some((n) => n.startsWith('model.language_model.')) ? 'model.language_model.' : 'model.';
  const read = async (e: WeightEntry, name = prefix + e.name): Promise<Float32Array> => {
    const f = where.get(name);
    if (!f) throw new WeightsError(`${files.map((x) => x.path).join(', ')}: missing tensor "${name}" (expected shape [${e.shape.join(', ')}])`);
    const info = f.tensors.get(name);
    if (info?.shape.join(',') !== e.shape.join(',')) throw new WeightsError(`${f.path}: tensor "${name}" has shape [${info?.shape.join(', ')}], expected [${e.shape.join(', ')}] from config.json`);
    return f.read(name);
  };
  const [embedEntry, normEntry] = globalEntries(c) as [WeightEntry, WeightEntry];
  return {
    async globals() {
      const embedTokens = await read(embedEntry);
      const finalNorm = await read(normEntry);
      const lmHead = c.tieWordEmbeddings ? embedTokens : await read({ name: 'lm_head.weight', field: 'lmHead', shape: lmHeadShape(c), realDtype: 'BF16' }, 'lm_head.weight');
      return { embedTokens, finalNorm, lmHead };
    },
    async block(i) {
      const fields: Record<string, unknown> = { type: c.layerTypes[i] };
      for (const e of blockEntries(c, i)) fields[e.field] = await read(e);
      return fields as unknown as BlockWeights;
    },
  };
}
