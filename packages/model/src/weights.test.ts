import { copyFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, HubError, WeightsError } from '@trustbench/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQwen35Config, readQwen35Config } from './config.js';
import { loadModel } from './load-model.js';
import { openSafetensors, writeSafetensors } from './safetensors.js';
import { randomQwen35Weights, tinyQwen35Config, writeCheckpoint } from './testing/random-checkpoint.js';
import { loadQwen35Weights } from './weights.js';

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
    const badDtype = await tempDir();
    const header = JSON.stringify({ w: { dtype: 'I8', shape: [1], data_offsets: [0, 1] } });
    const hl = Buffer.alloc(8);
    hl.writeBigUInt64LE(BigInt(header.length));
    await writeFile(`${badDtype}/model.safetensors`, Buffer.concat([hl, Buffer.from(header), Buffer.alloc(1)]));
    await expect(load(badDtype)).rejects.toThrow(/tensor "w" has dtype "I8"; supported dtypes are F32, F16 and BF16/);
  });
});

describe('loadModel from the hub', () => {
  it('downloads a folder served the way the hub serves it, then works offline from the cache', async () => {
    const files = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'README.md'];
    const served: string[] = [];
    const server = http.createServer(async (req, res) => {
      const url = req.url ?? '';
      served.push(url);
      if (url === '/api/models/Qwen/Tiny/revision/main') return void res.end(JSON.stringify({ sha: 'b'.repeat(40), siblings: files.map((rfilename) => ({ rfilename })) }));
      const m = /^\/Qwen\/Tiny\/resolve\/b{40}\/(.+)$/.exec(url);
      if (!m) return void res.writeHead(404).end();
      res.end(await readFile(path.join(fixture, m[1] === 'README.md' ? 'README.md' : m[1]!)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cacheDir = await tempDir();
    try {
      const model = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false } });
      expect(model.id).toBe('Qwen/Tiny');
      expect(model.revision).toBe('b'.repeat(40));
      expect(served.some((u) => u.endsWith('README.md'))).toBe(false); // only the files a model needs
      const offline = await loadModel('Qwen/Tiny', { hub: { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true } });
      expect(Array.from((await offline.forward([1, 2, 3])).data)).toEqual(Array.from((await model.forward([1, 2, 3])).data));
    } finally {
      server.close();
    }
    await expect(loadModel('Qwen/Missing', { hub: { endpoint: 'http://127.0.0.1:1', cacheDir, offline: false } })).rejects.toThrow(HubError);
    await expect(loadModel('Qwen/Missing', { hub: { endpoint: 'http://127.0.0.1:1', cacheDir, offline: false } })).rejects.toThrow(/pass a local folder/);
  });
});
