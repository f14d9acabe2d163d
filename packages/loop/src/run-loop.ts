/**
 * The closed loop in one call: profile (journaled, resumable), diagnose (scores, calibration, and for white-box models
 * where inside the model the failures arise), fix (calibration; RepE steering where a failure was located), verify on
 * held-out items, and write the run folder: manifest.json, journal.jsonl, signals.arrow, signal-differences.json,
 * locations.json, steering.jsonl, steering.json, report.json, report.html, items.csv.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, isWhiteBox, type LanguageModel, type RunManifest } from '@trustbench/core';
import type { ComparisonRow } from '@trustbench/signals';
import { loadConstitution } from '@trustbench/steer';
import type { Task } from '@trustbench/datasets';
import { calibrationFix, type CalibrationFixResult } from './calibration-fix.js';
import { diagnose, type DimensionDiagnosis, type Suggestion } from './diagnose.js';
import { openJournal } from './journal.js';
import { critiqueFix, type CritiquedItem, type CritiqueFixResult } from './critique-fix.js';
import { failureSignals } from './failure-signals.js';
import { locateFailures, type FailureLocation } from './locate-failures.js';
import { profile, selectItems, type ItemRecord } from './profile.js';
import { repeatability, type DimensionRepeatability } from './repeatability.js';
import { itemsCsv, renderHtml } from './report.js';
import { manifestHash } from './manifest-hash.js';
import { readRun } from './run-folder.js';
import { formatShard, shardItems, writeShardPlan, type Shard } from './shard.js';
import { steeringFix, type SteeredItem, type SteeringFixResult } from './steering-fix.js';

/** Progress of the stages after the profile: locating failures, the steering sweep (dev) and check (test), critique. */
export interface StageProgress {
  readonly stage: 'signals' | 'locate' | 'dev' | 'test' | 'critique';
  readonly done: number;
  readonly total: number;
}

/** Options of `runLoop`. */
export interface LoopOptions {
  readonly model: LanguageModel;
  readonly tasks: readonly Task[];
  readonly out: string;
  readonly seed?: number;
  readonly limit?: number;
  /** Items per task for the named tasks (overrides `limit` for them). */
  readonly limits?: Readonly<Record<string, number>>;
  readonly maxTokens?: number;
  /** Continue a run whose journal exists in `out` (otherwise an existing journal is an error). */
  readonly resume?: boolean;
  /** Recorded in the manifest: the dataset folder the tasks came from (lets `report` reload them). */
  readonly data?: string;
  /** Recorded in the manifest: the engine that ran the model (e.g. "reference", "api"). */
  readonly engine?: string;
  /** Recorded in the manifest: SHA-256 of each weight file, by file name. */
  readonly weightsSha256?: Readonly<Record<string, string>>;
  /** Items in flight at once (for API models); default 1. Results do not depend on it. */
  readonly concurrency?: number;
  /** Bootstrap resamples; default 1000. */
  readonly iterations?: number;
  /** Profile only this shard of the items (`--shard i/n`); `mergeJournals` joins the shards' folders into one run. */
  readonly shard?: Shard;
  /** Seed of the item sample (default `seed`): repeats keep the main run's items and change only the generation seed. */
  readonly sampleSeed?: number;
  /** Profile this many times with seeds seed, seed+1, ... (repeats in `repeat-<k>/`) and report run-to-run consistency; default 1. */
  readonly repeats?: number;
  /** White-box models: locate failures inside the model and try a steering fix (default true). */
  readonly steering?: boolean;
  /** API prices in USD per million tokens, for the report's cost accounting (recorded in the manifest's config). */
  readonly pricing?: { readonly promptPerMillion: number; readonly completionPerMillion: number };
  /** Also fix by constitutional critique-and-revise on the test split's generated items (default off: it triples generation). */
  readonly critique?: { readonly rounds?: number; readonly constitution?: string };
  /** Steering alpha multipliers of the mean residual norm (default [0.5, 1, 2, 4]). */
  readonly steeringMultipliers?: readonly number[];
  readonly onProgress?: (p: { done: number; total: number; etaSeconds: number | null; taskId: string }) => void;
  /** Progress of the white-box stages (locating failures, the steering sweep on dev, verification on test). */
  readonly onStage?: (p: StageProgress) => void;
  readonly signal?: AbortSignal;
}

/** What a loop run produced. */
export interface LoopResult {
  readonly manifest: RunManifest;
  readonly items: readonly ItemRecord[];
  readonly dimensions: readonly DimensionDiagnosis[];
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly CalibrationFixResult[];
  /** The verified critique-and-revise fix, when asked for. */
  readonly critique: CritiqueFixResult | null;
  /** Run-to-run consistency per dimension (with `repeats` > 1; empty otherwise). */
  readonly consistency: readonly DimensionRepeatability[];
  /** White-box runs: where each multiple-choice task's failures arise inside the model. */
  readonly locations: readonly FailureLocation[];
  /** White-box runs: each signal on failed vs passed items, by layer type (Bonferroni-corrected bootstrap intervals). */
  readonly signalDifferences: readonly ComparisonRow[];
  /** White-box runs: the verified steering fixes (or why a located task was not steered). */
  readonly steering: readonly (SteeringFixResult | { readonly taskId: string; readonly skipped: string })[];
  readonly files: { readonly report: string; readonly json: string; readonly csv: string; readonly journal: string };
}

/** The options that reload the run's custom tasks (`rerun` needs them). */
const customTasks = (tasks: readonly Task[]) => {
  const custom = tasks.flatMap((t) => (t.custom ? [t.custom] : []));
  return custom.length > 0 ? { customTasks: custom } : {};
};

/** Versions of the Trust Bench packages installed beside this one. */
function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['core', 'model', 'datasets', 'metrics', 'calibrate', 'signals', 'steer', 'loop']) {
    try {
      const file = fileURLToPath(import.meta.resolve(`@trustbench/${name}/package.json`));
      out[`@trustbench/${name}`] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      // not installed (e.g. a user who installed only some packages): not recorded
    }
  }
  return out;
}

/**
 * Runs the loop and writes the run folder.
 *
 * @throws {ConfigError} when `out` already holds a journal and `resume` is not set, or `shard` is set (shards only profile).
 * @example
 * const r = await runLoop({ model, tasks, out: 'runs/demo', seed: 1, limit: 20 });
 */
export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  if (options.shard) throw new ConfigError(`a sharded run (shard ${formatShard(options.shard)}) only profiles: run \`profile --shard\` on every shard, then \`merge\` their folders and \`report\` the merged run`);
  const { manifest, items } = await runProfile(options);
  for (let k = 1; k < (options.repeats ?? 1); k++) await runProfile({ ...options, out: path.join(options.out, `repeat-${k}`), seed: manifest.seed + k, sampleSeed: options.sampleSeed ?? manifest.seed });
  const iterations = options.iterations ?? 1000;
  const whiteBox = options.steering !== false && isWhiteBox(options.model) ? await runWhiteBoxFixes(options, items, manifest.seed, iterations) : undefined;
  const critique = options.critique ? await runCritique(options, options.critique, items, manifest.seed, iterations) : null;
  return writeReport(options.out, manifest, items, options.tasks, { seed: manifest.seed, iterations, ...(whiteBox ? { whiteBox } : {}), ...(critique ? { critique } : {}) });
}

/** Critique-and-revise on the test split (records journaled in critique.jsonl, the result in critique.json). */
async function runCritique(options: LoopOptions, settings: NonNullable<LoopOptions['critique']>, items: readonly ItemRecord[], seed: number, iterations: number): Promise<CritiqueFixResult> {
  const constitution = await loadConstitution(settings.constitution);
  const journal = openJournal<CritiquedItem>(path.join(options.out, 'critique.jsonl'), { seed, rounds: settings.rounds ?? 1, constitution: `${constitution.name}@${constitution.version}` }, (r) => r.key);
  try {
    const result = await critiqueFix(options.model, items, options.tasks, {
      seed, constitution, iterations, journal, ...(settings.rounds !== undefined ? { rounds: settings.rounds } : {}), ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.onStage ? { onProgress: (p) => options.onStage?.({ stage: 'critique', ...p }) } : {}),
    });
    writeFileSync(path.join(options.out, 'critique.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    journal.close();
  }
}

/** Minimum fraction of the margin a component's patch must restore for the loop to try steering there. */
const LOCATED = 0.5;

/**
 * Locates failures (cached in locations.json) and steers each located task (steered items journaled in
 * steering.jsonl, results in steering.json).
 */
async function runWhiteBoxFixes(options: LoopOptions, items: readonly ItemRecord[], seed: number, iterations: number): Promise<WhiteBoxFindings> {
  const model = options.model;
  if (!isWhiteBox(model)) return { locations: [], steering: [], signalDifferences: [] };
  const sigFile = path.join(options.out, 'signal-differences.json');
  const signalDifferences = existsSync(sigFile) && options.resume ? (JSON.parse(readFileSync(sigFile, 'utf8')) as ComparisonRow[]) : await failureSignals(model, items, options.tasks, {
    seed, file: path.join(options.out, 'signals.arrow'), ...(options.onStage ? { onProgress: (p) => options.onStage?.({ stage: 'signals', ...p }) } : {}),
  });
  writeFileSync(sigFile, JSON.stringify(signalDifferences, null, 2));
  const locFile = path.join(options.out, 'locations.json');
  options.onStage?.({ stage: 'locate', done: 0, total: 1 });
  const locations = existsSync(locFile) && options.resume ? (JSON.parse(readFileSync(locFile, 'utf8')) as FailureLocation[]) : await locateFailures(model, items, options.tasks, { seed });
  writeFileSync(locFile, JSON.stringify(locations, null, 2));
  options.onStage?.({ stage: 'locate', done: 1, total: 1 });
  const journal = openJournal<SteeredItem>(path.join(options.out, 'steering.jsonl'), { seed, multipliers: options.steeringMultipliers ?? null }, (r) => r.steerKey);
  const steering: LoopResult['steering'][number][] = [];
  try {
    for (const location of locations.filter((l) => l.top.restored >= LOCATED)) {
      steering.push(await steeringFix(model, items, options.tasks, location, {
        seed, iterations, journal, ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        ...(options.steeringMultipliers ? { multipliers: options.steeringMultipliers } : {}), ...(options.onStage ? { onProgress: options.onStage } : {}),
      }));
    }
  } finally {
    journal.close();
  }
  writeFileSync(path.join(options.out, 'steering.json'), JSON.stringify(steering, null, 2));
  return { locations, steering, signalDifferences };
}

/**
 * The profile stage alone: writes manifest.json and journal.jsonl in `out` and returns every item.
 *
 * @throws {ConfigError} when `out` already holds a journal and `resume` is not set.
 * @example
 * const { items } = await runProfile({ model, tasks, out: 'runs/p', seed: 1, limit: 20 });
 */
export async function runProfile(options: LoopOptions): Promise<{ manifest: RunManifest; items: ItemRecord[] }> {
  const seed = options.seed ?? 0;
  mkdirSync(options.out, { recursive: true });
  const journalFile = path.join(options.out, 'journal.jsonl');
  if (existsSync(journalFile) && !options.resume) throw new ConfigError(`${journalFile} exists: pass --resume to continue that run, or choose a new --out folder`);
  const config = { ...(options.shard ? { shard: formatShard(options.shard) } : {}), ...(options.pricing ? { pricing: options.pricing } : {}), critique: options.critique ?? false, sampleSeed: options.sampleSeed ?? seed, repeats: options.repeats ?? 1, steering: options.steering !== false ? { multipliers: options.steeringMultipliers ?? null } : false, limit: options.limit ?? null, ...(options.limits ? { limits: options.limits } : {}), maxTokens: options.maxTokens ?? null, tasks: options.tasks.map((t) => t.id), data: options.data ?? null, ...customTasks(options.tasks) };
  const manifest: RunManifest = {
    runId: path.basename(path.resolve(options.out)),
    createdAt: existsSync(path.join(options.out, 'manifest.json')) ? (JSON.parse(readFileSync(path.join(options.out, 'manifest.json'), 'utf8')) as RunManifest).createdAt : new Date().toISOString(),
    model: { id: options.model.id, ...(options.model.revision ? { revision: options.model.revision } : {}), ...(options.weightsSha256 ? { weightsSha256: options.weightsSha256 } : {}), engine: options.engine ?? 'unknown' },
    datasets: options.tasks.map((t) => ({ id: t.id, version: t.version, count: t.records.length })),
    seed,
    threads: availableParallelism(),
    batchSize: Math.max(1, options.concurrency ?? 1),
    config,
    packages: { node: process.version, ...packageVersions() },
  };
  // Results depend on neither the machine's threads nor the batch size, so a run may resume with other values.
  writeFileSync(path.join(options.out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const all = selectItems(options.tasks, options.limit, options.sampleSeed ?? seed, options.limits);
  if (options.shard) writeShardPlan(options.out, all, options.shard);
  const journal = openJournal<ItemRecord>(journalFile, { runId: manifest.runId, manifestHash: manifestHash(manifest) }, (r) => r.key);
  let items: ItemRecord[];
  try {
    items = await profile({
      model: options.model, tasks: options.tasks, seed, journal, work: options.shard ? shardItems(all, options.shard) : all,
      ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.limits ? { limits: options.limits } : {}), ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  } finally {
    journal.close();
  }
  return { manifest, items };
}

/**
 * Diagnoses, fixes, verifies and writes the report files from items (also used to re-render a run from its journal;
 * the white-box results are then read from the folder's locations.json and steering.json when present).
 */
export function writeReport(
  out: string, manifest: RunManifest, items: readonly ItemRecord[], tasks: readonly Task[],
  options: { seed: number; iterations: number; whiteBox?: WhiteBoxFindings; critique?: CritiqueFixResult },
): LoopResult {
  const diagnosis = diagnose(items, tasks, options);
  const fixes = calibrationFix(items, options);
  const { locations, steering, signalDifferences } = options.whiteBox ?? readWhiteBox(out);
  const critique = options.critique ?? (existsSync(path.join(out, 'critique.json')) ? (JSON.parse(readFileSync(path.join(out, 'critique.json'), 'utf8')) as CritiqueFixResult) : null);
  const repeats = readdirSync(out).filter((f) => /^repeat-\d+$/.test(f)).sort((a, b) => Number(a.slice(7)) - Number(b.slice(7))).map((f) => readRun(path.join(out, f)).items);
  const consistency = repeats.length > 0 ? repeatability([items, ...repeats]) : [];
  const suggestions = [...diagnosis.suggestions, ...steeringSuggestions(locations)].sort((a, b) => b.priority - a.priority);
  const { dimensions } = diagnosis;
  const files = { report: path.join(out, 'report.html'), json: path.join(out, 'report.json'), csv: path.join(out, 'items.csv'), journal: path.join(out, 'journal.jsonl') };
  const tokens = { prompt: items.reduce((t, i) => t + i.tokens.prompt, 0), completion: items.reduce((t, i) => t + i.tokens.completion, 0) };
  const pricing = (manifest.config as { pricing?: LoopOptions['pricing'] }).pricing;
  // Cost of the profile's tokens: prompt x price + completion x price, per million.
  const cost = pricing ? { usd: (tokens.prompt * pricing.promptPerMillion + tokens.completion * pricing.completionPerMillion) / 1e6, pricing } : null;
  const steered = steering.find((s): s is SteeringFixResult => 'target' in s);
  const top = steered ? locations.find((l) => l.taskId === steered.taskId) : locations[0];
  // `layers` and `steering` in the dashboard's shape; `locations` and `steeringFixes` in full.
  const layers = top?.layers.map((l) => ({ layer: l.layer, layerType: l.layerType, probeAccuracy: l.probeAccuracy, effect: Math.max(l.mixerRestored, l.mlpRestored), taskId: top.taskId }));
  const steeringView = steered ? {
    dimension: steered.dimension, taskId: steered.taskId, layer: steered.layer, layerType: steered.layerType, alpha: steered.alpha, verdict: steered.verdict,
    sweep: steered.sweep.map((p) => ({ layer: p.layer, layerType: p.layerType, alpha: p.alpha, target: p.target, sideEffect: p.sideEffect })),
  } : undefined;
  writeFileSync(files.json, JSON.stringify({ manifest, items: items.length, tokens, cost, dimensions, suggestions, fixes, critique, consistency, locations, signalDifferences, steeringFixes: steering, ...(layers ? { layers } : {}), ...(steeringView ? { steering: steeringView } : {}) }, null, 2));
  writeFileSync(files.csv, itemsCsv(items));
  writeFileSync(files.report, renderHtml({ manifest: manifest as unknown as Record<string, unknown>, dimensions, suggestions, fixes, items, locations, steering, consistency, critique, cost, signalDifferences }));
  return { manifest, items, dimensions, suggestions, fixes, critique, consistency, locations, signalDifferences, steering, files };
}

/** What the white-box stages found (also read back from a run folder). */
interface WhiteBoxFindings {
  readonly locations: readonly FailureLocation[];
  readonly steering: LoopResult['steering'];
  readonly signalDifferences: readonly ComparisonRow[];
}

function readWhiteBox(out: string): WhiteBoxFindings {
  const read = <T>(file: string, empty: T): T => (existsSync(path.join(out, file)) ? (JSON.parse(readFileSync(path.join(out, file), 'utf8')) as T) : empty);
  return { locations: read<FailureLocation[]>('locations.json', []), steering: read<LoopResult['steering']>('steering.json', []), signalDifferences: read<ComparisonRow[]>('signal-differences.json', []) };
}

/** A steering suggestion per task whose failures a component's patch largely restores; priority = restored x failure share. */
function steeringSuggestions(locations: readonly FailureLocation[]): Suggestion[] {
  return locations.filter((l) => l.top.restored >= LOCATED).map((l) => {
    const readable = l.layers.find((x) => x.probeAccuracy >= 0.9);
    const kind = (t: string) => (t === 'linear_attention' ? 'Gated DeltaNet' : 'full attention');
    return {
      fix: 'steering' as const, dimension: l.dimension, taskId: l.taskId,
      evidence: `${l.failedItems} of ${l.failedItems + l.passedItems} items of ${l.taskId} fail; patching the ${l.top.component} output of layer ${l.top.layer} (${kind(l.top.layerType)}) from passed items restores ${(100 * l.top.restored).toFixed(0)}% of the answer margin over ${l.patchedPairs} failed items`
        + (readable ? `; a failed-vs-passed probe reads the failure from layer ${readable.layer} on (held-out accuracy ${readable.probeAccuracy.toFixed(2)})${readable.layer < l.top.layer ? ', before the layer that causes it: the input already tells the items apart' : ''}` : '; no layer\'s probe reads the failure (held-out accuracy < 0.9)'),
      priority: l.top.restored * (l.failedItems / (l.failedItems + l.passedItems)),
    };
  });
}
