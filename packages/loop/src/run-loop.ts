/**
 * The closed loop in one call: profile (journaled, resumable), diagnose, fix by calibration, verify on held-out
 * items, and write the run folder: manifest.json, journal.jsonl, report.json, report.html, items.csv.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type LanguageModel, type RunManifest } from '@trustbench/core';
import type { Task } from '@trustbench/datasets';
import { calibrationFix, type CalibrationFixResult } from './calibration-fix.js';
import { diagnose, type DimensionDiagnosis, type Suggestion } from './diagnose.js';
import { openJournal } from './journal.js';
import { profile, type ItemRecord } from './profile.js';
import { itemsCsv, renderHtml } from './report.js';

/** Options of `runLoop`. */
export interface LoopOptions {
  readonly model: LanguageModel;
  readonly tasks: readonly Task[];
  readonly out: string;
  readonly seed?: number;
  readonly limit?: number;
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
  readonly onProgress?: (p: { done: number; total: number; etaSeconds: number | null; taskId: string }) => void;
  readonly signal?: AbortSignal;
}

/** What a loop run produced. */
export interface LoopResult {
  readonly manifest: RunManifest;
  readonly items: readonly ItemRecord[];
  readonly dimensions: readonly DimensionDiagnosis[];
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly CalibrationFixResult[];
  readonly files: { readonly report: string; readonly json: string; readonly csv: string; readonly journal: string };
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Runs the loop and writes the run folder.
 *
 * @throws {ConfigError} when `out` already holds a journal and `resume` is not set.
 * @example
 * const r = await runLoop({ model, tasks, out: 'runs/demo', seed: 1, limit: 20 });
 */
export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  const { manifest, items } = await runProfile(options);
  return writeReport(options.out, manifest, items, options.tasks, { seed: manifest.seed, iterations: options.iterations ?? 1000 });
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
  const config = { limit: options.limit ?? null, maxTokens: options.maxTokens ?? null, tasks: options.tasks.map((t) => t.id), data: options.data ?? null };
  const manifest: RunManifest = {
    runId: path.basename(path.resolve(options.out)),
    createdAt: existsSync(path.join(options.out, 'manifest.json')) ? (JSON.parse(readFileSync(path.join(options.out, 'manifest.json'), 'utf8')) as RunManifest).createdAt : new Date().toISOString(),
    model: { id: options.model.id, ...(options.model.revision ? { revision: options.model.revision } : {}), ...(options.weightsSha256 ? { weightsSha256: options.weightsSha256 } : {}), engine: options.engine ?? 'unknown' },
    datasets: options.tasks.map((t) => ({ id: t.id, version: t.version, count: t.records.length })),
    seed,
    config,
    packages: { '@trustbench/loop': version },
  };
  const manifestHash = createHash('sha256').update(JSON.stringify({ ...manifest, createdAt: undefined })).digest('hex').slice(0, 16);
  writeFileSync(path.join(options.out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const journal = openJournal<ItemRecord>(journalFile, { runId: manifest.runId, manifestHash }, (r) => r.key);
  let items: ItemRecord[];
  try {
    items = await profile({
      model: options.model, tasks: options.tasks, seed, journal,
      ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  } finally {
    journal.close();
  }
  return { manifest, items };
}

/** Diagnoses, fixes, verifies and writes the report files from items (also used to re-render a run from its journal). */
export function writeReport(out: string, manifest: RunManifest, items: readonly ItemRecord[], tasks: readonly Task[], options: { seed: number; iterations: number }): LoopResult {
  const { dimensions, suggestions } = diagnose(items, tasks, options);
  const fixes = calibrationFix(items, options);
  const files = { report: path.join(out, 'report.html'), json: path.join(out, 'report.json'), csv: path.join(out, 'items.csv'), journal: path.join(out, 'journal.jsonl') };
  const tokens = { prompt: items.reduce((t, i) => t + i.tokens.prompt, 0), completion: items.reduce((t, i) => t + i.tokens.completion, 0) };
  writeFileSync(files.json, JSON.stringify({ manifest, items: items.length, tokens, dimensions, suggestions, fixes }, null, 2));
  writeFileSync(files.csv, itemsCsv(items));
  writeFileSync(files.report, renderHtml({ manifest: manifest as unknown as Record<string, unknown>, dimensions, suggestions, fixes, items }));
  return { manifest, items, dimensions, suggestions, fixes, files };
}
