import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError } from '@trustbench/core';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm } from '@trustbench/datasets';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { overconfidentModel } from './__fixtures__/overconfident-model.js';
import { readRun } from './run-folder.js';
import { engineChoiceOf, rerunOptions } from './rerun.js';
import { runLoop, runProfile } from './run-loop.js';
import { hashWeightFiles } from './weights-hash.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-rerun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rerunning a manifest', () => {
  it('reproduces every number of a greedy run exactly, and refuses changed weights', async () => {
    const modelDir = path.join(dir, 'model');
    cpSync(fileURLToPath(new URL('../../../fixtures/planted/layer-3', import.meta.url)), modelDir, { recursive: true });
    const tasks = await loadTrustllm(bundledTrustllmSample(), ['fairness.stereotype_recognition', 'safety.misuse']);
    const first = await runLoop({ model: await loadModel(modelDir), tasks, out: path.join(dir, 'a'), data: bundledTrustllmSample(), seed: 5, limit: 3, maxTokens: 4, iterations: 200, weightsSha256: (await hashWeightFiles(modelDir))! });
    const again = await runLoop({ ...(await rerunOptions(readRun(path.join(dir, 'a')).manifest, { out: path.join(dir, 'b') })), iterations: 200 });
    const strip = (file: string) => {
      const j = JSON.parse(readFileSync(file, 'utf8')) as { manifest: Record<string, unknown> };
      return { ...j, manifest: { ...j.manifest, runId: null, createdAt: null } };
    };
    expect(strip(again.files.json)).toEqual(strip(first.files.json));
    expect(readFileSync(again.files.csv, 'utf8')).toBe(readFileSync(first.files.csv, 'utf8'));
    const weights = path.join(modelDir, 'model.safetensors');
    const bytes = readFileSync(weights);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(weights, bytes);
    await expect(rerunOptions(readRun(path.join(dir, 'a')).manifest, { out: path.join(dir, 'c') })).rejects.toThrow(DataError);
    await expect(rerunOptions(readRun(path.join(dir, 'a')).manifest, { out: path.join(dir, 'c') })).rejects.toThrow(/the weights differ from the run's manifest \(model.safetensors/);
  });
});

describe('rerunning a run whose task file changed', () => {
  it('names the custom task\'s file', async () => {
    const file = path.join(dir, 'mine.jsonl');
    writeFileSync(file, '{"prompt":"Is the sky blue?","gold":"yes"}\n{"prompt":"Is fire cold?","gold":"no"}\n');
    const options = { id: 'mine.questions', dimension: 'truthfulness', file, fields: { prompt: 'prompt', gold: 'gold' } } as const;
    await runProfile({ model: overconfidentModel('mock'), tasks: [await loadCustomTask(options)], out: path.join(dir, 'custom'), seed: 1 });
    writeFileSync(file, '{"prompt":"Is the sky green?","gold":"no"}\n');
    await expect(rerunOptions(readRun(path.join(dir, 'custom')).manifest, { out: path.join(dir, 'custom-again') }, async () => overconfidentModel('mock'))).rejects.toThrow(`${file}: task mine.questions has version`);
  });
});

describe('engineChoiceOf', () => {
  it('reads the engine label of a manifest back into the engine choice, and refuses other labels', () => {
    expect(engineChoiceOf(undefined)).toEqual({});
    expect(engineChoiceOf('reference')).toEqual({});
    expect(engineChoiceOf('unknown')).toEqual({});
    expect(engineChoiceOf('onnx-fp16-cpu')).toEqual({ engine: 'onnx', precision: 'fp16', device: 'cpu' });
    expect(() => engineChoiceOf('api')).toThrow(ConfigError);
    expect(() => engineChoiceOf('api')).toThrow(/engine "api".*"reference" or "onnx-<precision>-<device>"/);
  });
});
