/**
 * Fix and verify by RepE steering. For a task whose failures were located inside the model:
 *
 * 1. **Fit**: read a direction per candidate layer from failed-vs-passed pairs of the fit split (mean difference of the
 *    residual stream at the last context token; `readDirections`), pointing from passed to failed.
 * 2. **Dev**: sweep alpha x layer on the dev split, with alpha = -m * (mean residual norm at that layer) for m in
 *    `multipliers`; at each point the target is the task's dev accuracy and the side effect the mean score change on
 *    every other dev item. The chosen point has the highest target among points whose side effect is >= -0.05
 *    (ties: the layer nearest the located one, then the gentlest |m|, then the earlier layer).
 * 3. **Test**: re-run every test-split item of every task with the chosen steering; before / after per item with
 *    `compareItems` (the targeted task as one row, every dimension's other items as the others): paired bootstrap CIs
 *    of the difference (clustered), exact McNemar p-values, Holm over all rows, and a verdict per row: helped (CI above
 *    0), hurt (CI below 0), or no detectable effect (with the minimum detectable effect).
 *
 * Every steered item is scored through `profile` (batched where the model has a step decoder) and journaled
 * (`steering.jsonl`), so a killed run resumes without re-running what was done.
 */
import { type HookName, type LayerType, type WhiteBoxModel } from '@trustbench/core';
import type { Task } from '@trustbench/datasets';
import { readDirections, steeringInterventions, type LayerReading } from '@trustbench/steer';
import type { Verdict } from './calibration-fix.js';
import { compareItems, type DimensionComparison } from './compare.js';
import { itemSplit } from './item-splits.js';
import type { Journal } from './journal.js';
import { choiceContext, type FailureLocation } from './locate-failures.js';
import { profile, recordsByKey, type ItemRecord } from './profile.js';

/** One point of the dev sweep. */
export interface SteeringSweepPoint {
  readonly layer: number;
  readonly layerType: LayerType;
  /** 0 for the unsteered model (its numbers come from the profile). */
  readonly multiplier: number;
  readonly alpha: number;
  /** Accuracy of the targeted task on its dev items. */
  readonly target: number;
  /** Mean score change (after - before) over the other dev items; 0 when there are none. */
  readonly sideEffect: number;
}

/** The verified steering fix of one task. */
export interface SteeringFixResult {
  readonly taskId: string;
  readonly dimension: string;
  readonly layer: number;
  readonly layerType: LayerType;
  readonly alpha: number;
  readonly multiplier: number;
  readonly vector: { readonly layer: number; readonly layerType: LayerType; readonly method: string; readonly heldOutAccuracy: number; readonly fitPairs: number; readonly heldOutPairs: number };
  readonly sweep: readonly SteeringSweepPoint[];
  /** The targeted task on the test split (`dimension` is `task:<id>`). */
  readonly target: DimensionComparison;
  /** Every dimension's other test items: the side-effect matrix (Holm over these rows and the target's). */
  readonly sideEffects: readonly DimensionComparison[];
  readonly verdict: Verdict;
  readonly splits: { readonly fit: number; readonly dev: number; readonly test: number };
}

/** A journaled steered item. */
export interface SteeredItem extends ItemRecord {
  /** `dev|<layer>|<multiplier>|<item key>` or `test|<item key>`. */
  readonly steerKey: string;
}

/** Options of `steeringFix`. */
export interface SteeringFixOptions {
  readonly seed: number;
  readonly iterations?: number;
  /** Steered items, for resume. */
  readonly journal: Journal<SteeredItem>;
  /** Candidate layers; default the 3 layers whose patching restored the most. */
  readonly layers?: readonly number[];
  /** alpha = -multiplier * mean residual norm; default [0.5, 1, 2, 4]. */
  readonly multipliers?: readonly number[];
  readonly maxTokens?: number;
  readonly onProgress?: (p: { readonly stage: 'dev' | 'test'; readonly done: number; readonly total: number }) => void;
}

const isBinary = (i: ItemRecord) => i.score === 0 || i.score === 1;
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Fits, tunes and verifies a steering fix for the task of `location`. Returns null (with the reason) when the fit
 * split has fewer than 4 failed / passed pairs.
 *
 * @example
 * const [where] = await locateFailures(model, items, tasks, { seed: 1 });
 * const fix = await steeringFix(model, items, tasks, where, { seed: 1, journal });
 */
export async function steeringFix(
  model: WhiteBoxModel, items: readonly ItemRecord[], tasks: readonly Task[], location: FailureLocation, options: SteeringFixOptions,
): Promise<SteeringFixResult | { readonly taskId: string; readonly skipped: string }> {
  const { seed, journal } = options;
  const task = tasks.find((t) => t.id === location.taskId) as Task;
  const records = recordsByKey(tasks);
  const split = (i: ItemRecord) => itemSplit(i.cluster, seed);
  const targetItems = items.filter((i) => i.taskId === task.id && i.mode === 'loglikelihood' && i.correct !== null);
  const fitItems = targetItems.filter((i) => split(i) === 'fit');
  const failed = fitItems.filter((i) => i.correct === 0);
  const passed = fitItems.filter((i) => i.correct === 1);
  const nPairs = Math.min(failed.length, passed.length);
  if (nPairs < 4) return { taskId: task.id, skipped: `the fit split has ${failed.length} failed and ${passed.length} passed items; reading a direction needs 4 of each` };
  const fitIds = new Map(fitItems.map((i) => [i.key, choiceContext(model, records.get(i.key)!.record).ids]));
  const ids = (i: ItemRecord) => fitIds.get(i.key)!;
  const pairs = Array.from({ length: nPairs }, (_, k) => ({ positive: ids(failed[k]!), negative: ids(passed[k]!) }));
  const layers = options.layers ?? [...location.layers]
    .sort((a, b) => Math.max(b.mixerRestored, b.mlpRestored) - Math.max(a.mixerRestored, a.mlpRestored) || a.layer - b.layer)
    .slice(0, 3).map((l) => l.layer);
  const readings = await readDirections(model, pairs, { concept: `${task.id} failure`, layers, seed });
  const norms = await residualNorms(model, fitItems.map(ids), layers);

  /** Scores items on a steered model through `profile` (batched, journaled under `key|<item key>`). */
  const run = (key: string, steered: WhiteBoxModel, rows: readonly ItemRecord[], report: (done: number) => void): Promise<ItemRecord[]> => {
    const prefix = `${key}|`;
    const view: Journal<ItemRecord> = {
      done: new Map([...journal.done].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])),
      append: (r) => journal.append({ ...r, steerKey: `${prefix}${r.key}` }),
      close: () => undefined,
    };
    return profile({
      model: steered, tasks, seed, journal: view, work: rows.map((i) => records.get(i.key)!), concurrency: 8,
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}), onProgress: (p) => report(p.done),
    });
  };

  // Dev sweep.
  const dev = items.filter((i) => split(i) === 'dev' && isBinary(i));
  const devTarget = dev.filter((i) => i.taskId === task.id);
  const devOther = dev.filter((i) => i.taskId !== task.id);
  const multipliers = options.multipliers ?? [0.5, 1, 2, 4];
  const sweep: SteeringSweepPoint[] = [];
  const total = layers.length * multipliers.length * dev.length;
  let done = 0;
  for (const [li, layer] of layers.entries()) {
    // alpha 0: the unsteered model, from the profile (nothing re-run).
    sweep.push({ layer, layerType: model.layerTypes[layer] as LayerType, multiplier: 0, alpha: 0, target: mean(devTarget.map((i) => i.score as number)), sideEffect: 0 });
    for (const m of multipliers) {
      const alpha = -m * (norms[li] as number);
      const steered = model.withInterventions(steeringInterventions(readings[li] as LayerReading, alpha, { layer }));
      const after = await run(`dev|${layer}|${m}`, steered, dev, (k) => options.onProgress?.({ stage: 'dev', done: done + k, total }));
      done += dev.length;
      const byKey = new Map(after.map((a) => [a.key, a]));
      sweep.push({
        layer, layerType: model.layerTypes[layer] as LayerType, multiplier: m, alpha,
        target: mean(devTarget.map((i) => byKey.get(i.key)!.score ?? 0)),
        sideEffect: mean(devOther.map((i) => (byKey.get(i.key)!.score ?? 0) - (i.score as number))),
      });
    }
  }
  const steeredPoints = sweep.filter((p) => p.multiplier > 0);
  const ok = steeredPoints.filter((p) => p.sideEffect >= -0.05);
  const located = location.top.layer;
  const rank = (p: SteeringSweepPoint) => [-p.target, Math.abs(p.layer - located), p.multiplier, p.layer];
  const better = (a: SteeringSweepPoint, b: SteeringSweepPoint) => {
    const [x, y] = [rank(a), rank(b)];
    const k = x.findIndex((v, i) => v !== y[i]);
    return k >= 0 && (x[k] as number) < (y[k] as number);
  };
  const chosen = (ok.length > 0 ? ok : steeredPoints).reduce((a, b) => (better(b, a) ? b : a));
  const reading = readings[layers.indexOf(chosen.layer)] as LayerReading;

  // Verify on the test split, every task.
  const steered = model.withInterventions(steeringInterventions(reading, chosen.alpha, { layer: chosen.layer }));
  const test = items.filter((i) => split(i) === 'test' && isBinary(i));
  const after = new Map((await run('test', steered, test, (k) => options.onProgress?.({ stage: 'test', done: k, total: test.length }))).map((a) => [a.key, a]));
  const targetRow = `task:${task.id}`;
  const rows = compareItems(test, test.map((i) => after.get(i.key) as ItemRecord), { seed, iterations: options.iterations ?? 1000, group: (i) => (i.taskId === task.id ? targetRow : i.dimension) });
  const target = rows.find((r) => r.dimension === targetRow);
  if (!target) return { taskId: task.id, skipped: `fewer than 2 of its items fell in the test split` };
  const sideEffects = rows.filter((r) => r !== target);
  return {
    taskId: task.id, dimension: task.dimension, layer: chosen.layer, layerType: chosen.layerType, alpha: chosen.alpha, multiplier: chosen.multiplier,
    vector: { layer: reading.layer, layerType: reading.layerType, method: reading.method, heldOutAccuracy: reading.heldOutAccuracy, fitPairs: reading.fitPairs, heldOutPairs: reading.heldOutPairs },
    sweep, target, sideEffects, verdict: target.verdict,
    splits: { fit: fitItems.length, dev: devTarget.length, test: target.pairs },
  };
}

/** Mean L2 norm of `blocks.{layer}.hook_resid_post` at the last token, per layer (the scale of alpha). */
async function residualNorms(model: WhiteBoxModel, inputs: readonly (readonly number[])[], layers: readonly number[]): Promise<number[]> {
  const names = layers.map((l) => `blocks.${l}.hook_resid_post` as HookName);
  const d = model.dimensions.dModel;
  const sums = new Float64Array(layers.length);
  for (const ids of inputs) {
    const { cache } = await model.runWithCache(ids, { names });
    names.forEach((n, k) => {
      const row = cache.get(n)!.data.subarray((ids.length - 1) * d, ids.length * d);
      sums[k] = (sums[k] as number) + Math.hypot(...row);
    });
  }
  return Array.from(sums, (s) => s / Math.max(1, inputs.length));
}
