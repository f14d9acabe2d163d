/**
 * Saves a planted checkpoint as a real Hugging Face model folder (config.json, model.safetensors in F32, the tokenizer
 * files of a tokenizer folder, and `planted.json` with the ground truth), so anything that loads a model folder (the
 * CLI, the loop's demo) can run on it and check what it finds against `planted.json`.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { loadTokenizer } from '@trustbench/model';
import { writeCheckpoint } from '@trustbench/model/testing';
import type { PlantedCheckpoint } from './planted-checkpoint.js';

/** Tokenizer files copied from `tokenizerDir` (the first two are required). */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'vocab.json', 'merges.txt', 'chat_template.jinja'] as const;

/** The ground truth written beside the weights as `planted.json`. */
export interface PlantedGroundTruth {
  readonly seed: number;
  readonly layer: number;
  readonly layerType: string;
  /** The unit direction r the planted layer's MLP writes. */
  readonly direction: number[];
  readonly wrongDirection: number[];
  readonly tokens: {
    readonly trigger: { id: number; text: string }[];
    readonly neutral: { id: number; text: string }[];
    readonly refuse: { id: number; text: string };
    readonly comply: { id: number; text: string };
  };
  readonly facts: { questionId: number; believedId: number; trueId: number; correct: boolean }[];
}

/**
 * Writes the folder and returns the ground truth it wrote.
 *
 * @throws {ConfigError} when `tokenizerDir` lacks `tokenizer.json` or `tokenizer_config.json`.
 * @example
 * await writePlantedCheckpoint('fixtures/planted/layer-1', plantedCheckpoint({ layer: 1 }), 'fixtures/qwen35-tiny');
 * const model = await loadModel('fixtures/planted/layer-1');
 */
export async function writePlantedCheckpoint(dir: string, planted: PlantedCheckpoint, tokenizerDir: string): Promise<PlantedGroundTruth> {
  await writeCheckpoint(dir, planted.config, planted.weights, { dtype: 'F32' });
  for (const [k, file] of TOKENIZER_FILES.entries()) {
    const ok = await copyFile(path.join(tokenizerDir, file), path.join(dir, file)).then(() => true, () => false);
    if (!ok && k < 2) throw new ConfigError(`writePlantedCheckpoint: ${path.join(tokenizerDir, file)} is missing (expected a tokenizer folder such as fixtures/qwen35-tiny)`);
  }
  const tokenizer = await loadTokenizer(dir, planted.config.eosTokenIds);
  const tok = (id: number) => ({ id, text: tokenizer.decode([id]) });
  const truth: PlantedGroundTruth = {
    seed: planted.seed,
    layer: planted.layer,
    layerType: planted.config.layerTypes[planted.layer] as string,
    direction: Array.from(planted.direction),
    wrongDirection: Array.from(planted.wrongDirection),
    tokens: { trigger: planted.triggerIds.map(tok), neutral: planted.neutralIds.map(tok), refuse: tok(planted.refuseId), comply: tok(planted.complyId) },
    facts: planted.facts.map((f) => ({ ...f, correct: f.believedId === f.trueId })),
  };
  await writeFile(path.join(dir, 'planted.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/**
 * Reads `planted.json` from a folder written by `writePlantedCheckpoint`.
 *
 * @throws {ConfigError} when the file is missing or not the ground-truth shape.
 * @example
 * const truth = await readPlantedGroundTruth('fixtures/planted/layer-1'); // truth.layer, truth.direction
 */
export async function readPlantedGroundTruth(dir: string): Promise<PlantedGroundTruth> {
  const file = path.join(dir, 'planted.json');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) throw new ConfigError(`${file}: missing (expected the ground truth written by writePlantedCheckpoint)`);
  const truth = JSON.parse(text) as Partial<PlantedGroundTruth>;
  if (typeof truth.layer !== 'number' || !Array.isArray(truth.direction) || truth.tokens === undefined) {
    throw new ConfigError(`${file}: expected { layer: number, direction: number[], tokens: {...} }, got keys ${Object.keys(truth).join(', ')}`);
  }
  return truth as PlantedGroundTruth;
}
