/**
 * Consistency of answers across repeated runs: the majority answer, per-item agreement, and Fleiss' kappa.
 */
import { InputError } from '@trustbench/core';

/**
 * The most frequent answer (ties: the one seen first). Answers compare with `===` (normalise strings first).
 *
 * @param answers One item's answers across runs.
 * @returns The majority answer.
 * @throws {InputError} for no answers.
 * @example
 * majorityAnswer(['b', 'a', 'b']) // 'b'
 */
export function majorityAnswer<T>(answers: readonly T[]): T {
  if (answers.length === 0) throw new InputError('majorityAnswer: answers is empty; there is no majority');
  const counts = new Map<T, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best = answers[0] as T;
  for (const [a, n] of counts) if (n > (counts.get(best) as number)) best = a;
  return best;
}

/**
 * Per-item agreement: for each item, the fraction of runs that give its majority answer, max_a #(answers = a) / n_i.
 * `higherIsBetter: true`; in [1/n_i, 1].
 *
 * @param runsPerItem Per item, its answers across runs.
 * @returns One agreement per item.
 * @throws {InputError} for an item with no answers.
 * @example
 * perItemAgreement([['a', 'a', 'b'], ['c', 'c', 'c']]) // [2/3, 1]
 */
export function perItemAgreement<T>(runsPerItem: readonly (readonly T[])[]): number[] {
  return runsPerItem.map((answers, i) => {
    if (answers.length === 0) throw new InputError(`perItemAgreement: runsPerItem[${i}] has no answers`);
    const m = majorityAnswer(answers);
    return answers.filter((a) => a === m).length / answers.length;
  });
}

/**
 * Fleiss' kappa for N items each answered n times (runs as raters) over the categories that occur:
 * P_i = (sum_j n_ij^2 - n) / (n (n - 1)), P = mean P_i, p_j = sum_i n_ij / (N n), P_e = sum_j p_j^2,
 * kappa = (P - P_e) / (1 - P_e). `higherIsBetter: true`; 1 is perfect agreement, 0 chance, negative below chance.
 * When every answer is the same category, P_e = 1 and kappa is 0/0; it is defined as 1 (the runs agree perfectly).
 *
 * @param runsPerItem Per item, its n answers (n the same for every item).
 * @returns Fleiss' kappa.
 * @throws {InputError} for no items, items with different numbers of answers, or fewer than 2 answers each.
 * @example
 * fleissKappa([['a', 'a'], ['b', 'b'], ['a', 'b']]) // P = 2/3, p = (1/2, 1/2), P_e = 1/2 -> 1/3
 */
export function fleissKappa<T>(runsPerItem: readonly (readonly T[])[]): number {
  if (runsPerItem.length === 0) throw new InputError('fleissKappa: runsPerItem is empty; there is nothing to measure');
  const n = runsPerItem[0]?.length ?? 0;
  if (n < 2) throw new InputError(`fleissKappa: each item needs at least 2 answers, got ${n}`);
  runsPerItem.forEach((r, i) => {
    if (r.length !== n) throw new InputError(`fleissKappa: item ${i} has ${r.length} answers, item 0 has ${n}; every item needs the same number`);
  });
  const totals = new Map<T, number>();
  let pSum = 0;
  for (const answers of runsPerItem) {
    const counts = new Map<T, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    let sq = 0;
    for (const [a, c] of counts) {
      sq += c * c;
      totals.set(a, (totals.get(a) ?? 0) + c);
    }
    pSum += (sq - n) / (n * (n - 1));
  }
  const N = runsPerItem.length;
  const pBar = pSum / N;
  let pe = 0;
  for (const c of totals.values()) pe += (c / (N * n)) ** 2;
  return pe === 1 ? 1 : (pBar - pe) / (1 - pe);
}
