/**
 * The closed loop in one call: profile (journaled, resumable), diagnose (scores, calibration, and for white-box models
 * where inside the model the failures arise), fix (calibration; RepE steering where a failure was located), verify on
 * held-out items, and write the run folder: manifest.json, journal.jsonl, signals.arrow, signal-differences.json,
 * locations.json, steering.jsonl, steering.json, report.json, report.html, items.csv.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, isWhiteBox, type LanguageModel, type RunManifest } from '@trustbench/core';
import type { CustomTaskOptions, Task } from '@trustbench/datasets';
import type { ComparisonRow } from '@trustbench/signals';
import type { CalibrationFixResult } from './calibration-fix.js';
import type { CritiqueFixResult } from './critique-fix.js';
import type { DimensionDiagnosis, Suggestion } from './diagnose.js';
import { runCritique, runWhiteBoxFixes } from './fix-stages.js';
import { openJournal } from './journal.js';
import type { FailureLocation } from './locate-failures.js';
import { manifestHash } from './manifest-hash.js';
import { profile, selectItems, type ItemRecord } from './profile.js';
import type { DimensionRepeatability } from './repeatability.js';
import { formatShard, shardItems, writeShardPlan, type Shard } from './shard.js';
import type { SteeringFixResult } from './steering-fix.js';
import { writeReport } from './write-report.js';

/** Progress of the stages after the profile: locating failures, the steering sweep (dev) and check (test), critique. */
export interface StageProgress {
  readonly stage: 'signals' | 'locate' | 'dev' | 'test' | 'critique';
  readonly done: number;
  readonly total: number;
}

/** A run manifest's `config`: what `runProfile` records, and what `rerun` and the reports read back. */
export type RunConfig = {
  readonly limit: number | null;
  readonly limits?: Readonly<Record<string, number>>;
  readonly maxTokens: number | null;
  readonly tasks: readonly string[];
  readonly data: string | null;
  readonly customTasks?: readonly CustomTaskOptions[];
  readonly sampleSeed?: number;
  readonly repeats?: number;
  readonly steering?: false | { readonly multipliers: readonly number[] | null };
  readonly critique?: false | { readonly rounds?: number; readonly constitution?: string };
  readonly pricing?: LoopOptions['pricing'];
  readonly shard?: string;
};

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
  const config: RunConfig = { ...(options.shard ? { shard: formatShard(options.shard) } : {}), ...(options.pricing ? { pricing: options.pricing } : {}), critique: options.critique ?? false, sampleSeed: options.sampleSeed ?? seed, repeats: options.repeats ?? 1, steering: options.steering !== false ? { multipliers: options.steeringMultipliers ?? null } : false, limit: options.limit ?? null, ...(options.limits ? { limits: options.limits } : {}), maxTokens: options.maxTokens ?? null, tasks: options.tasks.map((t) => t.id), data: options.data ?? null, ...customTasks(options.tasks) };
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
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  } finally {
    journal.close();
  }
  return { manifest, items };
}

