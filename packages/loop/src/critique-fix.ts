/**
 * Fix and verify by constitutional critique-and-revise (`@trustbench/steer`): on the test split's generated items,
 * the model answers, critiques its answer against a principle and revises it; the task's rules score the original and
 * the final answer of the same record, and `compareItems` judges final vs original per dimension (paired, clustered
 * bootstrap CIs, McNemar, Holm, verdict). Nothing is fitted, so nothing of the test split is used to choose settings.
 * Every record is journaled (`critique.jsonl`), so a killed run resumes where it stopped.
 */
import type { LanguageModel } from '@trustbench/core';
import type { Task } from '@trustbench/datasets';
import { critiqueAndRevise, type Constitution, type CritiqueRecord } from '@trustbench/steer';
import { compareItems, type DimensionComparison } from './compare.js';
import { itemSplit } from './item-splits.js';
import type { Journal } from './journal.js';
import { recordsByKey, type ItemRecord } from './profile.js';

/** A journaled critique of one item. */
export interface CritiquedItem {
  readonly key: string;
  readonly record: CritiqueRecord;
}

/** The verified critique-and-revise fix. */
export interface CritiqueFixResult {
  readonly constitution: string;
  readonly rounds: number;
  readonly items: number;
  /** Final vs original answer, per dimension (Holm over these rows). */
  readonly dimensions: readonly DimensionComparison[];
}

/** Options of `critiqueFix`. */
export interface CritiqueFixOptions {
  readonly seed: number;
  readonly constitution: Constitution;
  /** Critique-and-revise rounds; default 1. */
  readonly rounds?: number;
  readonly maxTokens?: number;
  readonly iterations?: number;
  readonly journal: Journal<CritiquedItem>;
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
}

/**
 * Runs and verifies critique-and-revise on the generated test-split items whose task has a rule scorer.
 *
 * @example
 * const fix = await critiqueFix(model, items, tasks, { seed: 1, constitution: await loadConstitution(), journal });
 */
export async function critiqueFix(model: LanguageModel, items: readonly ItemRecord[], tasks: readonly Task[], options: CritiqueFixOptions): Promise<CritiqueFixResult> {
  const records = recordsByKey(tasks);
  const chosen = items.filter((i) => i.mode === 'generate' && (i.score === 0 || i.score === 1) && records.has(i.key) && itemSplit(i.cluster, options.seed) === 'test');
  const rounds = options.rounds ?? 1;
  const before: ItemRecord[] = [];
  const after: ItemRecord[] = [];
  for (const [k, item] of chosen.entries()) {
    const { task, record } = records.get(item.key)!;
    let done = options.journal.done.get(item.key);
    if (!done) {
      const prompt = typeof record.prompt === 'string' ? record.prompt : record.prompt.map((m) => m.content).join('\n');
      const [r] = await critiqueAndRevise(model, [prompt], {
        constitution: options.constitution, rounds, seed: item.seed, maxTokens: Math.min(task.maxTokens, options.maxTokens ?? task.maxTokens), temperature: task.temperature,
      });
      done = { key: item.key, record: r as CritiqueRecord };
      options.journal.append(done);
    }
    const score = (reply: string) => {
      const s = task.score(record, reply);
      return { ...item, reply, extracted: s.extracted, score: s.score, scorer: s.scorer, correct: s.score === 0 || s.score === 1 ? (s.score as 0 | 1) : null };
    };
    before.push(score(done.record.original));
    after.push(score(done.record.final));
    options.onProgress?.({ done: k + 1, total: chosen.length });
  }
  return {
    constitution: `${options.constitution.name}@${options.constitution.version}`, rounds, items: chosen.length,
    dimensions: compareItems(before, after, { seed: options.seed, iterations: options.iterations ?? 1000 }),
  };
}
