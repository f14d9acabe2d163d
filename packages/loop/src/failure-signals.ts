/**
 * Diagnose inside the model, part two: white-box signals of failed vs passed items. One cached forward pass over each
 * item's prompt (the context the answer continues) gives output signals (entropy, top-1 probability, margin, ...) and
 * per-layer signals (residual, mixer and MLP output norms, attention and DeltaNet statistics), written to
 * `signals.arrow`; `compareSignals` then tests each signal on failed vs passed items, per layer type, with
 * Bonferroni-corrected bootstrap intervals.
 */
import { encodePrompt, hashString, toMessages, type WhiteBoxModel } from '@trustbench/core';
import type { Task, TaskRecord } from '@trustbench/datasets';
import { collectSignals, compareSignals, openSignalFile, type ComparisonRow, type SignalItem } from '@trustbench/signals';
import { choiceContext } from './locate-failures.js';
import { recordsByKey, type ItemRecord } from './profile.js';

/** Options of `failureSignals`. */
export interface FailureSignalsOptions {
  readonly seed: number;
  /** Items measured at most (a seeded sample of the items with a right answer); default 200. */
  readonly maxItems?: number;
  /** Where to write every signal record (Arrow IPC). */
  readonly file?: string;
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
}

/**
 * The failed-vs-passed rows of the signal comparison (only rows comparing `incorrect` with `correct`); empty when
 * fewer than 2 items of either group were measured.
 *
 * @example
 * const rows = await failureSignals(model, items, tasks, { seed: 1, file: 'runs/a/signals.arrow' });
 * rows.filter((r) => r.excludesZero); // signals that differ on failed items, by layer type
 */
export async function failureSignals(model: WhiteBoxModel, items: readonly ItemRecord[], tasks: readonly Task[], options: FailureSignalsOptions): Promise<ComparisonRow[]> {
  const records = recordsByKey(tasks);
  const judged = items.filter((i) => i.correct !== null && records.has(i.key))
    .map((i) => ({ i, h: hashString(`${options.seed}:signals:${i.key}`) })).sort((a, b) => a.h - b.h).slice(0, options.maxItems ?? 200).map((x) => x.i);
  if (judged.filter((i) => i.correct === 0).length < 2 || judged.filter((i) => i.correct === 1).length < 2) return [];
  const signalItems: SignalItem[] = judged.map((i) => ({ id: i.key, ids: promptIds(model, i, records.get(i.key)!.record), group: i.correct === 1 ? 'correct' : 'incorrect' }));
  const writer = options.file ? openSignalFile(options.file) : undefined;
  const all = [];
  let done = 0;
  for await (const { records: rows } of collectSignals(model, signalItems, { datasetId: 'trustbench-loop', seed: options.seed })) {
    all.push(...rows);
    writer?.write(rows);
    options.onProgress?.({ done: ++done, total: signalItems.length });
  }
  await writer?.close();
  return compareSignals(all, { seed: options.seed }).filter((r) => r.comparison === 'incorrect vs correct');
}

/** The tokens the model read before answering: the options' context, or the chat-rendered prompt. */
function promptIds(model: WhiteBoxModel, item: ItemRecord, record: TaskRecord): number[] {
  if (item.mode === 'loglikelihood' && record.choices) return choiceContext(model, record).ids;
  return encodePrompt(model.tokenizer, toMessages(record.prompt));
}
