import { copyFile, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, WeightsError } from '@trustbench/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQwen35Config, readQwen35Config, type Qwen35Config } from './config.js';
import { openSafetensors, writeSafetensors } from './safetensors.js';
import { randomQwen35Weights, tinyQwen35Config, toHfConfig, writeCheckpoint } from './testing/random-checkpoint.js';
import { loadQwen35Weights, type LoadProgress } from './weights.js';

const toHfText = (c: Qwen35Config) => toHfConfig(c)['text_config'] as Record<string, unknown>;

const fixture = fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url));
const temps: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'tb-model-'));
  temps.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('config.json', () => {
  it('reads the fixture: nested text_config, layer types, rope parameters, tied head', async () => {
    const c = await readQwen35Config(fixture);
    expect(c).toMatchObject({ vocabSize: 512, hiddenSize: 64, numLayers: 8, headDim: 32, rotaryDim: 8, ropeTheta: 1e7, tieWordEmbeddings: true, eosTokenIds: [500] });
    expect(c.layerTypes).toEqual(['linear_attention', 'linear_attention', 'linear_attention', 'full_attention', 'linear_attention', 'linear_attention', 'linear_attention', 'full_attention']);
  });

  it('names the field, the expected type and the value', async () => {
    const base = JSON.parse(await readFile(`${fixture}/config.json`, 'utf8')) as { text_config: Record<string, unknown> };
    const bad = (patch: Record<string, unknown>) => ({ ...base, text_config: { ...base.text_config, ...patch } });
    expect(() => parseQwen35Config(bad({ head_dim: '256px' }))).toThrow(new ConfigError('config.json: text_config.head_dim must be a positive integer, got "256px"'));
    expect(() => parseQwen35Config(bad({ layer_types: ['linear_attention'] }))).toThrow(/layer_types must be an array of 8 entries \(num_hidden_layers\), got 1 entries/);
    expect(() => parseQwen35Config(bad({ layer_types: undefined, full_attention_interval: 4 })).layerTypes[3]).not.toThrow();
    expect(() => parseQwen35Config(bad({ num_key_value_heads: 3 }))).toThrow(/num_attention_heads \(4\) must be a multiple of num_key_value_heads \(3\)/);
    expect(() => parseQwen35Config(bad({ hidden_size: undefined }))).toThrow(/hidden_size must be a positive integer, got nothing \(missing\)/);
    expect(() => parseQwen35Config(bad({ rope_parameters: { rope_theta: '1e7' } }))).toThrow(new ConfigError('config.json: text_config.rope_parameters.rope_theta must be a positive number, got "1e7"'));
    expect(() => parseQwen35Config(bad({ tie_word_embeddings: 'yes' }))).toThrow(new ConfigError('config.json: tie_word_embeddings must be a boolean, got "yes"'));
    expect(() => parseQwen35Config(bad({ eos_token_id: [500, 'x'] }))).toThrow(new ConfigError('config.json: text_config.eos_token_id must be a token id or a list of them, got [500,"x"]'));
    expect(() => parseQwen35Config(bad({ layer_types: ['linear_attention', 'linear_attention', 'linear_attention', 'mamba', 'linear_attention', 'linear_attention', 'linear_attention', 'full_attention'] })))
      .toThrow(new ConfigError('config.json: text_config.layer_types[3] must be "linear_attention" or "full_attention", got "mamba"'));
    expect(() => parseQwen35Config([], 'x/config.json')).toThrow(new ConfigError('x/config.json: expected a JSON object, got []'));
  });

  it('reads a flat text config, full_attention_interval, top-level rope fields and eos lists; defaults as Hugging Face', () => {
    const c = parseQwen35Config({
      vocab_size: 64, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 6, full_attention_interval: 3, num_attention_heads: 4, num_key_value_heads: 2,
      head_dim: 16, partial_rotary_factor: 0.5, rope_theta: 1e6, linear_num_key_heads: 2, linear_num_value_heads: 4, linear_key_head_dim: 8, linear_value_head_dim: 12,
      eos_token_id: [7, 8],
    });
    expect(c.layerTypes).toEqual(['linear_attention', 'linear_attention', 'full_attention', 'linear_attention', 'linear_attention', 'full_attention']);
    expect(c).toMatchObject({ rotaryDim: 8, ropeTheta: 1e6, eosTokenIds: [7, 8], tieWordEmbeddings: false, linearConvKernelDim: 4, rmsNormEps: 1e-6 });
    expect(parseQwen35Config({ text_config: { ...toHfText(c), eos_token_id: null } }).eosTokenIds).toEqual([]);
  });
});

describe('weights', () => {
  it('loads BF16 / F16 / F32, single file or oddly named shards, tied or untied, skipping decoys', async () => {
    for (const [dtype, shards, tie] of [['F32', 1, true], ['F16', 3, false], ['BF16', 2, true]] as const) {
      const dir = await tempDir();
      const config = tinyQwen35Config({ tieWordEmbeddings: tie });
      const weights = randomQwen35Weights(config, 11);
      await writeCheckpoint(dir, config, weights, { dtype, shards, extra: { 'mtp.fc.weight': { dtype: 'BF16', shape: [2, 2], data: new Float32Array(4) } } });
      const loaded = await loadQwen35Weights(dir, await readQwen35Config(dir));
      const tol = dtype === 'F32' ? 0 : dtype === 'F16' ? 2e-3 : 2e-2;
      const err = Math.max(...loaded.embedTokens.map((x, i) => Math.abs(x - (weights.embedTokens[i] as number))));
      expect(err).toBeLessThanOrEqual(tol * 4);
      expect(loaded.lmHead === loaded.embedTokens).toBe(tie);
      expect(loaded.blocks.map((b) => b.type)).toEqual(config.layerTypes);
    }
  });

  it('decodes BF16 and F16 exactly', async () => {
    const dir = await tempDir();
    const values = Float32Array.from([1, -2.5, 0.15625, 65504, 2 ** -24]);
    await writeSafetensors(`${dir}/x.safetensors`, { a: { dtype: 'F16', shape: [5], data: values }, b: { dtype: 'BF16', shape: [2], data: Float32Array.from([1.5, -3]) } });
    const st = await openSafetensors(`${dir}/x.safetensors`);
    expect(Array.from(await st.read('a'))).toEqual(Array.from(values));
    expect(Array.from(await st.read('b'))).toEqual([1.5, -3]);
    await st.close();
  });

  it('says which file and tensor are wrong: missing, extra, wrong shape, unknown dtype, truncated, bad header', async () => {
    const config = tinyQwen35Config();
    const weights = randomQwen35Weights(config, 1);
    const write = async (extra: Record<string, never> | undefined, mutate?: (dir: string) => Promise<void>) => {
      const dir = await tempDir();
      await writeCheckpoint(dir, config, weights, { dtype: 'F32', ...(extra ? { extra } : {}) });
      await mutate?.(dir);
      return dir;
    };
    const load = async (dir: string) => loadQwen35Weights(dir, config);
    await expect(load(await write(undefined, (d) => writeCheckpoint(d, { ...config, intermediateSize: 40 }, randomQwen35Weights({ ...config, intermediateSize: 40 }, 1), { dtype: 'F32' }))))
      .rejects.toThrow(/tensor "model.language_model.layers.0.mlp.gate_proj.weight" has shape \[40, 32\], expected \[48, 32\] from config.json/);
    await expect(load(await write({ 'model.language_model.layers.0.extra.weight': { dtype: 'F32', shape: [1], data: new Float32Array(1) } } as never)))
      .rejects.toThrow(/unexpected tensor "model.language_model.layers.0.extra.weight"/);
    const dropped = await tempDir();
    const st = await openSafetensors(`${await write(undefined)}/model.safetensors`);
    const kept: Record<string, { dtype: 'F32'; shape: readonly number[]; data: Float32Array }> = {};
    for (const [name, info] of st.tensors) if (!name.endsWith('layers.2.linear_attn.A_log')) kept[name] = { dtype: 'F32', shape: info.shape, data: await st.read(name) };
    await st.close();
    await copyFile(`${fixture}/config.json`, `${dropped}/config.json`);
    await writeSafetensors(`${dropped}/model.safetensors`, kept);
    await expect(load(dropped)).rejects.toThrow(/missing tensor "model.language_model.layers.2.linear_attn.A_log" \(expected shape \[2\]\)/);
    const truncated = await write(undefined, async (d) => truncate(`${d}/model.safetensors`, 5000));
    await expect(load(truncated)).rejects.toThrow(WeightsError);
    await expect(load(truncated)).rejects.toThrow(/the file is truncated|runs past the end of the file/);
    const headerPast = await tempDir();
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(10_000n);
    await writeFile(`${headerPast}/model.safetensors`, Buffer.concat([len, Buffer.from('{}')]));
    await expect(load(headerPast)).rejects.toThrow(/header length 10000 runs past the end of the file \(file size 10 bytes\)/);
    const notSafetensors = await tempDir();
    const header = JSON.stringify({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } });
    const hl = Buffer.alloc(8);
    hl.writeBigUInt64LE(BigInt(header.length));
    await writeFile(`${notSafetensors}/model.safetensors`, Buffer.concat([hl, Buffer.from(header), Buffer.alloc(1)]));
    await expect(load(notSafetensors)).rejects.toThrow(/tensor "w" has dtype "Q4", which is not a safetensors dtype \(expected one of BOOL, U8, I8, .*F64\)/);
    // A model tensor in a real safetensors dtype that is not decoded, and a decoy in one that is never read.
    const intDtype = await write({ 'model.visual.pos_ids': { dtype: 'F32', shape: [3], data: new Float32Array(3) } } as never);
    const st2 = `${intDtype}/model.safetensors`;
    const bytes = await readFile(st2);
    const patched = bytes.toString('latin1')
      .replace('"model.language_model.layers.0.linear_attn.A_log":{"dtype":"F32"', '"model.language_model.layers.0.linear_attn.A_log":{"dtype":"I32"')
      .replace('"model.visual.pos_ids":{"dtype":"F32"', '"model.visual.pos_ids":{"dtype":"I32"');
    expect(patched).toContain('"model.visual.pos_ids":{"dtype":"I32"');
    await writeFile(st2, Buffer.from(patched, 'latin1'));
    await expect(load(intDtype)).rejects.toThrow(new WeightsError(`${st2}: tensor "model.language_model.layers.0.linear_attn.A_log" has dtype "I32"; supported dtypes are F32, F16 and BF16`));
    await writeFile(st2, Buffer.from(patched.replace('layers.0.linear_attn.A_log":{"dtype":"I32"', 'layers.0.linear_attn.A_log":{"dtype":"F32"'), 'latin1'));
    expect((await load(intDtype)).blocks).toHaveLength(4);
  });

  it('reads shards through the index, names a missing shard, and reports stored bytes as it goes', async () => {
    const dir = await tempDir();
    const config = tinyQwen35Config({ linearKeyHeadDim: 8, linearValueHeadDim: 12, linearNumValueHeads: 4 });
    const weights = randomQwen35Weights(config, 3);
    await writeCheckpoint(dir, config, weights, { dtype: 'F32', shards: 3 });
    const progress: LoadProgress[] = [];
    const loaded = await loadQwen35Weights(dir, await readQwen35Config(dir), (p) => progress.push(p));
    expect(loaded).toEqual(weights);
    expect(progress).toHaveLength(2 + 3 * 14 + 11);
    expect(progress.at(-1)).toMatchObject({ phase: 'weights', bytes: progress.at(-1)?.totalBytes });
    expect(progress.at(-1)?.totalBytes).toBe(4 * [weights.embedTokens, weights.finalNorm, ...weights.blocks.flatMap((b) => Object.values(b).filter((v) => v instanceof Float32Array))].reduce((n, a) => n + a.length, 0));
    await unlink(`${dir}/model.safetensors-00002-of-00003.safetensors`);
    await expect(loadQwen35Weights(dir, config)).rejects.toThrow(new WeightsError(`${dir}/model.safetensors.index.json: shard "model.safetensors-00002-of-00003.safetensors" named in weight_map does not exist in ${dir}`));
  });

  it('rejects overlapping or malformed byte ranges and a header that is not an object', async () => {
    const dir = await tempDir();
    const file = `${dir}/model.safetensors`;
    const raw = async (header: unknown, dataBytes: number) => {
      const json = Buffer.from(JSON.stringify(header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      await writeFile(file, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
      return openSafetensors(file);
    };
    await expect(raw({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12))
      .rejects.toThrow(new WeightsError(`${file}: tensors "a" and "b" overlap in the data section`));
    await expect(raw({ a: { dtype: 'BF16', shape: [2, 3], data_offsets: [0, 8] } }, 8))
      .rejects.toThrow(new WeightsError(`${file}: tensor "a" BF16[2, 3] needs 12 bytes, its data_offsets [0, 8] span 8`));
    await expect(raw({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, 4))
      .rejects.toThrow(new WeightsError(`${file}: tensor "b" data_offsets must be two integers 0 <= begin <= end, got [-4,0]`));
    await expect(raw([1, 2], 0)).rejects.toThrow(/the header must be a JSON object of tensor name -> \{ dtype, shape, data_offsets \}, got \[1,2\]/);
  });

  it('decodes F16 edge values: negatives, subnormals, infinities, NaN', async () => {
    const dir = await tempDir();
    const values = Float32Array.from([-0.5, 2 ** -20, -(2 ** -14), Infinity, -Infinity, NaN, 0, -0]);
    await writeSafetensors(`${dir}/x.safetensors`, { h: { dtype: 'F16', shape: [values.length], data: values }, b: { dtype: 'BF16', shape: [3], data: Float32Array.from([-Infinity, 2 ** -130, -1e30]) } });
    const st = await openSafetensors(`${dir}/x.safetensors`);
    expect(Array.from(await st.read('h'))).toEqual(Array.from(values));
    const bf = await st.read('b');
    expect([bf[0], bf[1]]).toEqual([-Infinity, 2 ** -130]);
    expect(Math.abs((bf[2] as number) / -1e30 - 1)).toBeLessThan(2 ** -8);
    await st.close();
  });
});
