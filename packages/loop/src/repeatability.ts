/**
 * Run-to-run consistency: the same profile repeated with other seeds (`--repeats N`). Per dimension, the score of each
 * repeat, their mean and sample standard deviation, the mean per-item agreement (the fraction of repeats that give an
 * item its majority answer) and Fleiss' kappa over the repeats as raters.
 */
import { fleissKappa, perItemAgreement } from '@trustbench/metrics';
import type { ItemRecord } from './profile.js';

/** One dimension's consistency over repeats. */
export interface DimensionRepeatability {
  readonly dimension: string;
  /** Mean binary score per repeat, in seed order (the first is the main run). */
  readonly scores: readonly number[];
  readonly mean: number;
  /** Sample standard deviation of `scores` (0 for one repeat). */
  readonly sd: number;
  /** Mean over items of the fraction of repeats giving the item's majority answer; 1 = every repeat answers alike. */
  readonly agreement: number;
  /** Fleiss' kappa over the items' extracted answers, repeats as raters. */
  readonly kappa: number;
  readonly items: number;
}

/**
 * Consistency per dimension over repeats of one profile (each a list of items; items are matched by key, and only
 * items present and scored 0/1 in every repeat count).
 *
 * @example
 * repeatability([main.items, repeat1.items, repeat2.items]);
 */
export function repeatability(repeats: readonly (readonly ItemRecord[])[]): DimensionRepeatability[] {
  const maps = repeats.map((r) => new Map(r.map((i) => [i.key, i])));
  const first = repeats[0] ?? [];
  const shared = first.filter((i) => maps.every((m) => {
    const x = m.get(i.key);
    return x !== undefined && (x.score === 0 || x.score === 1);
  }));
  return [...new Set(shared.map((i) => i.dimension))].map((dimension) => {
    const mine = shared.filter((i) => i.dimension === dimension);
    const scores = maps.map((m) => mine.reduce((s, i) => s + (m.get(i.key)!.score as number), 0) / mine.length);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const sd = scores.length > 1 ? Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (scores.length - 1)) : 0;
    const answers = mine.map((i) => maps.map((m) => JSON.stringify(m.get(i.key)!.extracted ?? m.get(i.key)!.reply)));
    const agreement = perItemAgreement(answers).reduce((a, b) => a + b, 0) / mine.length;
    return { dimension, scores, mean, sd, agreement, kappa: maps.length > 1 ? fleissKappa(answers) : 1, items: mine.length };
  });
}
