/**
 * Sharded runs (`--shard i/n`): the items of a profile are split into n disjoint shards by a stable hash of
 * (task, cluster), so a cluster of related items always lands in one shard and any machine computes the same split.
 * Each shard run writes its own run folder plus `shard.json` (which items of the whole run it holds, and where they
 * sit in the run's order); `mergeJournals` checks that the shards belong to one run and together cover it exactly
 * once, and writes one run folder whose manifest and journal equal those of the unsharded run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, DataError, hashString, type RunManifest } from '@trustbench/core';
import { openJournal } from './journal.js';
import { manifestHash } from './manifest-hash.js';
import type { ItemRecord } from './profile.js';
import { itemKey } from './profile.js';
import { readRun } from './run-folder.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** What `shard.json` of a shard run folder holds. */
export interface ShardPlan {
  /** `"i/n"`. */
  readonly shard: string;
  /** Items of the whole (unsharded) run. */
  readonly total: number;
  /** Journal keys of this shard's items, in run order. */
  readonly keys: readonly string[];
  /** Index of each of those items in the whole run's order. */
  readonly positions: readonly number[];
}

/** The parts of a profile's work list that sharding reads (`selectItems` returns them). */
export interface ShardableItem {
  readonly task: { readonly id: string };
  readonly record: { readonly id: string; readonly cluster: string };
}

/**
 * Parses `--shard i/n` (1 <= i <= n).
 *
 * @throws {ConfigError} for anything else, naming the expected form.
 * @example
 * parseShard('2/4') // { index: 2, count: 4 }
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new ConfigError(`--shard must be "i/n" with integers 1 <= i <= n (e.g. "2/4" for the second of four shards), got "${text}"`);
  }
  return { index, count };
}

/** `"i/n"`. */
export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * The shard's items, in work order: those whose (task id, cluster) hashes to `shard.index`. Every item lands in exactly
 * one of the `count` shards, and the items of one cluster land together.
 *
 * @example
 * const mine = shardItems(selectItems(tasks, limit, seed), parseShard('1/3'));
 */
export function shardItems<T extends ShardableItem>(work: readonly T[], shard: Shard): T[] {
  return work.filter((w) => shardOf(w, shard.count) === shard.index);
}

function shardOf(item: ShardableItem, count: number): number {
  return (hashString(`${item.task.id}|${item.record.cluster}`) % count) + 1;
}

/**
 * Writes `shard.json` into a shard's run folder: which items of the whole run `work` the shard holds, and where.
 *
 * @param work The whole run's items, in run order (`selectItems`), not the shard's.
 * @example
 * writeShardPlan('runs/x-1of3', selectItems(tasks, limit, seed), parseShard('1/3'));
 */
export function writeShardPlan(dir: string, work: readonly ShardableItem[], shard: Shard): ShardPlan {
  const positions = work.flatMap((w, i) => (shardOf(w, shard.count) === shard.index ? [i] : []));
  const plan: ShardPlan = { shard: formatShard(shard), total: work.length, keys: positions.map((i) => itemKey((work[i] as ShardableItem).task.id, (work[i] as ShardableItem).record.id)), positions };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'shard.json'), `${JSON.stringify(plan)}\n`);
  return plan;
}

/** One shard run folder, read and checked. */
interface ShardRun {
  readonly dir: string;
  readonly shard: Shard;
  readonly plan: ShardPlan;
  readonly manifest: RunManifest;
  readonly items: ItemRecord[];
}

/**
 * Merges the run folders of shards 1/n .. n/n into `outDir`: manifest.json (the shards' manifest without the shard,
 * with `outDir`'s name as run id and the earliest start) and journal.jsonl with every record in the unsharded run's
 * order. Report files are not written: pass the result to `writeReport`.
 *
 * @throws {DataError} when a folder is not a shard run, shards overlap or are missing, a shard's journal is incomplete,
 *   or the manifests differ in model, seed, datasets, config or packages.
 * @throws {ConfigError} when `outDir` already holds a journal, or no folder is given.
 * @example
 * const { manifest, items } = mergeJournals(['runs/x-1of2', 'runs/x-2of2'], 'runs/x');
 * writeReport('runs/x', manifest, items, tasks, { seed: manifest.seed, iterations: 1000 });
 */
export function mergeJournals(dirs: readonly string[], outDir: string): { manifest: RunManifest; items: ItemRecord[]; files: { manifest: string; journal: string } } {
  if (dirs.length === 0) throw new ConfigError('merge: give the run folders of every shard (e.g. runs/x-1of2 runs/x-2of2)');
  const journalFile = path.join(outDir, 'journal.jsonl');
  if (existsSync(journalFile)) throw new ConfigError(`${journalFile} exists: merge into a new --out folder`);
  const runs = dirs.map(readShardRun);
  const first = runs[0] as ShardRun;
  checkCoverage(runs);
  for (const run of runs.slice(1)) checkSameRun(first, run);
  const items = new Array<ItemRecord>(first.plan.total);
  for (const run of runs) run.plan.positions.forEach((p, j) => (items[p] = run.items[j] as ItemRecord));
  const { shard: _shard, ...config } = first.manifest.config;
  const createdAt = runs.map((r) => r.manifest.createdAt).sort()[0] as string;
  const manifest: RunManifest = { ...first.manifest, runId: path.basename(path.resolve(outDir)), createdAt, config };
  mkdirSync(outDir, { recursive: true });
  const manifestFile = path.join(outDir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const journal = openJournal<ItemRecord>(journalFile, { runId: manifest.runId, manifestHash: manifestHash(manifest) }, (r) => r.key);
  try {
    for (const item of items) journal.append(item);
  } finally {
    journal.close();
  }
  return { manifest, items, files: { manifest: manifestFile, journal: journalFile } };
}

function readShardRun(dir: string): ShardRun {
  const file = path.join(dir, 'shard.json');
  if (!existsSync(file)) throw new DataError(`${file} is missing: ${dir} is not the run folder of a sharded run (one run with --shard i/n)`);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as ShardPlan;
  let shard: Shard;
  try {
    shard = parseShard(String(plan.shard));
  } catch (cause) {
    throw new DataError(`${file}: "shard" must be "i/n", got ${JSON.stringify(plan.shard)}`, { cause });
  }
  if (!Array.isArray(plan.keys) || !Array.isArray(plan.positions) || plan.keys.length !== plan.positions.length || !Number.isInteger(plan.total)) {
    throw new DataError(`${file}: expected "total" (integer) and "keys" and "positions" (arrays of equal length)`);
  }
  const { manifest, items } = readRun(dir);
  const got = new Map(items.map((it) => [it.key, it]));
  const missing = plan.keys.filter((k) => !got.has(k));
  if (missing.length > 0) {
    throw new DataError(`${dir}: the journal holds ${plan.keys.length - missing.length} of the ${plan.keys.length} items of shard ${plan.shard} (first missing: ${missing[0]}); finish that shard with --resume before merging`);
  }
  if (items.length !== plan.keys.length) throw new DataError(`${dir}: the journal holds ${items.length} records for the ${plan.keys.length} items of shard ${plan.shard} in shard.json`);
  return { dir, shard, plan, manifest, items: plan.keys.map((k) => got.get(k) as ItemRecord) };
}

/** Every shard 1..n once, and every item of the run in exactly one shard. */
function checkCoverage(runs: readonly ShardRun[]): void {
  const first = runs[0] as ShardRun;
  const count = first.shard.count;
  const byIndex = new Map<number, string>();
  for (const run of runs) {
    if (run.shard.count !== count) throw new DataError(`${run.dir} is shard ${formatShard(run.shard)} but ${first.dir} is shard ${formatShard(first.shard)}: shards of one run have the same n`);
    const other = byIndex.get(run.shard.index);
    if (other !== undefined) throw new DataError(`shards overlap: ${other} and ${run.dir} are both shard ${formatShard(run.shard)}`);
    byIndex.set(run.shard.index, run.dir);
    if (run.plan.total !== first.plan.total) throw new DataError(`${run.dir}/shard.json: the run has ${run.plan.total} items, but ${first.dir}/shard.json says ${first.plan.total}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const got = [...byIndex].map(([i, d]) => `${i}/${count} (${d})`).join(', ');
    throw new DataError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: got ${got}; pass the run folders of all ${count} shards`);
  }
  const seen = new Array<string | undefined>(first.plan.total);
  for (const run of runs) {
    for (const p of run.plan.positions) {
      if (!Number.isInteger(p) || p < 0 || p >= first.plan.total) throw new DataError(`${run.dir}/shard.json: position ${p} is outside the run's ${first.plan.total} items`);
      if (seen[p] !== undefined) throw new DataError(`shards overlap: ${seen[p]} and ${run.dir} both hold item ${p} of the run`);
      seen[p] = run.dir;
    }
  }
  const hole = seen.findIndex((d) => d === undefined);
  if (hole >= 0) throw new DataError(`no shard holds item ${hole} of the run's ${first.plan.total}: the shards were not made from one item list`);
}

/** The manifests describe one run: same model, seed, datasets, config (but the shard) and packages. */
function checkSameRun(a: ShardRun, b: ShardRun): void {
  const strip = (m: RunManifest) => {
    const { shard: _shard, ...config } = m.config;
    return { model: m.model, seed: m.seed, datasets: m.datasets, config, packages: m.packages };
  };
  const x = strip(a.manifest);
  const y = strip(b.manifest);
  for (const field of ['model', 'seed', 'datasets', 'config', 'packages'] as const) {
    const u = JSON.stringify(x[field]);
    const v = JSON.stringify(y[field]);
    if (u !== v) throw new DataError(`${b.dir}/manifest.json: "${field}" differs from ${a.dir}/manifest.json (${v.slice(0, 160)} vs ${u.slice(0, 160)}); shards of one run share model, seed, tasks and options`);
  }
}
