/**
 * How well confidence ranks correct answers above wrong ones: AUROC, AUPRC, the risk-coverage curve and AURC.
 */
import { InputError } from '@trustbench/core';
import { checkBinary } from './internal/validate.js';

/** Ranks 1..N of values, ties given their average rank. */
export function averageRanks(values: readonly number[]): Float64Array {
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = avg;
    i = j + 1;
  }
  return ranks;
}

/**
 * Area under the ROC curve of confidence as a score for correctness, by ranks (Mann-Whitney U):
 * AUROC = (R_1 - n_1 (n_1 + 1) / 2) / (n_1 n_0), R_1 the sum of the average ranks of the correct items. Ties count 1/2.
 * Higher is better; 0.5 is chance.
 *
 * @throws {InputError} when only one class is present (AUROC is undefined), or on bad input.
 * @example
 * auroc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) // pairs (correct > wrong): (0.9>0.8, 0.9>0.1, 0.3>0.1) = 3 of 4 -> 0.75
 */
export function auroc(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): number {
  const y = checkBinary('auroc', confidences, correct);
  const n1 = y.reduce((a, b) => a + b, 0);
  const n0 = y.length - n1;
  if (n1 === 0 || n0 === 0) throw new InputError(`auroc: needs both correct and incorrect items, got ${n1} correct and ${n0} incorrect`);
  const ranks = averageRanks(confidences);
  let r1 = 0;
  for (let i = 0; i < y.length; i++) if (y[i]) r1 += ranks[i] as number;
  return (r1 - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * Area under the precision-recall curve as average precision with the correct items as positives:
 * AP = sum_k (R_k - R_{k-1}) P_k over distinct thresholds, highest first (tied scores enter together). Higher is better.
 *
 * @throws {InputError} when there is no correct item, or on bad input.
 * @example
 * auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) // 0.5 * 1 + 0.5 * (2/3) = 0.8333
 */
export function auprc(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): number {
  const y = checkBinary('auprc', confidences, correct);
  const pos = y.reduce((a, b) => a + b, 0);
  if (pos === 0) throw new InputError('auprc: needs at least one correct item');
  const order = Array.from(confidences.keys()).sort((a, b) => (confidences[b] as number) - (confidences[a] as number));
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && confidences[order[j] as number] === confidences[order[i] as number]) {
      tp += y[order[j] as number] as number;
      seen++;
      j++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j;
  }
  return ap;
}

/** One point of the risk-coverage curve: keep the `coverage` fraction of most confident items; `risk` is their error rate. */
export interface RiskCoveragePoint {
  readonly coverage: number;
  readonly risk: number;
}

/**
 * Risk-coverage curve: items sorted by confidence, highest first (ties in input order); point k keeps the k most
 * confident items, coverage k / N, risk = errors among them / k.
 *
 * @example
 * riskCoverageCurve([0.9, 0.2], [0, 1]) // [{ coverage: 0.5, risk: 1 }, { coverage: 1, risk: 0.5 }]
 */
export function riskCoverageCurve(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): RiskCoveragePoint[] {
  const y = checkBinary('riskCoverageCurve', confidences, correct);
  const order = Array.from(confidences.keys()).sort((a, b) => (confidences[b] as number) - (confidences[a] as number) || a - b);
  let errors = 0;
  return order.map((i, k) => {
    errors += 1 - (y[i] as number);
    return { coverage: (k + 1) / y.length, risk: errors / (k + 1) };
  });
}

/**
 * Area under the risk-coverage curve: AURC = (1/N) sum_k risk_k. Lower is better.
 *
 * @example
 * aurc([0.9, 0.2], [0, 1]) // (1 + 0.5) / 2 = 0.75
 */
export function aurc(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): number {
  const curve = riskCoverageCurve(confidences, correct);
  return curve.reduce((s, p) => s + p.risk, 0) / curve.length;
}
