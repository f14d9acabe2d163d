/**
 * Seeded sampling and splitting that keep clusters (pairs, perturbation groups) whole, identical across runs and
 * machines: the order comes from hashing (seed, cluster id), not from a shuffle whose result depends on the input order.
 */
import { hashString, InputError } from '@trustbench/core';
import type { TaskRecord } from './task.js';

/** Cluster ids in a seeded order: by hash of (seed, cluster), ties by id. */
function clusterOrder(records: readonly TaskRecord[], seed: number): string[] {
  const ids = [...new Set(records.map((r) => r.cluster))];
  const key = new Map(ids.map((c) => [c, hashString(`${seed}:${c}`)]));
  return ids.sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || (a < b ? -1 : 1));
}

/**
 * Up to `limit` records, whole clusters only, chosen by a seeded order; the same seed keeps the same items, and a larger
 * limit keeps every item of a smaller one. Records come back in their original order.
 *
 * @example
 * sampleRecords(task.records, { limit: 50, seed: 1 })
 */
export function sampleRecords(records: readonly TaskRecord[], options: { readonly limit: number; readonly seed: number }): TaskRecord[] {
  if (!Number.isInteger(options.limit) || options.limit < 0) throw new InputError(`sampleRecords: limit must be a non-negative integer, got ${options.limit}`);
  const byCluster = new Map<string, number>();
  for (const r of records) byCluster.set(r.cluster, (byCluster.get(r.cluster) ?? 0) + 1);
  const chosen = new Set<string>();
  let n = 0;
  for (const c of clusterOrder(records, options.seed)) {
    const size = byCluster.get(c) as number;
    if (n + size > options.limit) continue;
    chosen.add(c);
    n += size;
  }
  return records.filter((r) => chosen.has(r.cluster));
}

/**
 * Splits records into named parts by fractions (e.g. fit / dev / test), whole clusters only, stratified by a key when
 * given (each stratum is split by the same fractions), seeded.
 *
 * @throws {InputError} when fractions do not sum to 1.
 * @example
 * const { fit, test } = splitRecords(task.records, { fractions: { fit: 0.5, test: 0.5 }, seed: 1, stratify: (r) => String(r.gold) });
 */
export function splitRecords<K extends string>(
  records: readonly TaskRecord[], options: { readonly fractions: Readonly<Record<K, number>>; readonly seed: number; readonly stratify?: (r: TaskRecord) => string },
): Record<K, TaskRecord[]> {
  const names = Object.keys(options.fractions) as K[];
  const total = names.reduce((s, k) => s + (options.fractions[k] as number), 0);
  if (Math.abs(total - 1) > 1e-9) throw new InputError(`splitRecords: fractions must sum to 1, got ${total}`);
  const stratumOf = new Map<string, string>();
  for (const r of records) if (!stratumOf.has(r.cluster)) stratumOf.set(r.cluster, options.stratify ? options.stratify(r) : '');
  const assigned = new Map<string, K>();
  const strata = [...new Set(stratumOf.values())];
  for (const s of strata) {
    const clusters = clusterOrder(records.filter((r) => stratumOf.get(r.cluster) === s), options.seed);
    let start = 0;
    let acc = 0;
    names.forEach((name, i) => {
      acc += options.fractions[name] as number;
      const end = i === names.length - 1 ? clusters.length : Math.round(acc * clusters.length);
      for (const c of clusters.slice(start, end)) assigned.set(c, name);
      start = end;
    });
  }
  const out = Object.fromEntries(names.map((n) => [n, [] as TaskRecord[]])) as Record<K, TaskRecord[]>;
  for (const r of records) out[assigned.get(r.cluster) as K].push(r);
  return out;
}
