/**
 * How well confidence ranks correct answers above wrong ones: AUROC, AUPRC, the risk-coverage curve and AURC.
 */
import { InputError } from '@trustbench/core';
import { checkBinary, checkValues, type BinaryLabel } from './internal/validate.js';

/**
 * Ranks 1..N of values in ascending order, ties given their average rank (as scipy's `rankdata(method='average')`).
 *
 * @param values Finite numbers.
 * @returns rank_i = 1 + #(values below v_i) + (#(values equal to v_i) - 1) / 2.
 * @throws {InputError} for empty input or a non-finite value.
 * @example
 * averageRanks([10, 20, 10]) // [1.5, 3, 1.5]
 */
export function averageRanks(values: readonly number[]): Float64Array {
  checkValues('averageRanks', 'values', values);
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
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
 * Equals P(c_right > c_wrong) + P(tie) / 2 over all (right, wrong) pairs. `higherIsBetter: true`; 0.5 is chance.
 * O(N log N).
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns The AUROC, in [0, 1].
 * @throws {InputError} when only one class is present (AUROC is undefined), for empty input, NaN, confidences outside
 *   [0, 1], bad labels, or different lengths.
 * @example
 * auroc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) // pairs (correct > wrong): (0.9>0.8, 0.9>0.1, 0.3>0.1) = 3 of 4 -> 0.75
 */
export function auroc(confidences: readonly number[], correct: readonly BinaryLabel[]): number {
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
 * AP = sum_k (R_k - R_{k-1}) P_k over distinct thresholds, highest first (tied scores enter together), as
 * scikit-learn's `average_precision_score`. Without ties, AP = (1 / #right) sum over right items of the precision among
 * the items ranked at or above it. `higherIsBetter: true`; chance level is the accuracy. All items right gives 1.
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns The average precision, in [0, 1].
 * @throws {InputError} when no item is right (recall undefined), for empty input, NaN, confidences outside [0, 1], bad
 *   labels, or different lengths.
 * @example
 * auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) // 0.5 * 1 + 0.5 * (2/3) = 0.8333
 */
export function auprc(confidences: readonly number[], correct: readonly BinaryLabel[]): number {
  const y = checkBinary('auprc', confidences, correct);
  const pos = y.reduce((a, b) => a + b, 0);
  if (pos === 0) throw new InputError('auprc: needs at least one correct item');
  const order = descendingOrder(confidences);
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
 * Risk-coverage curve: items sorted by confidence, highest first; point k (k = 1..N) keeps the k most confident items,
 * coverage = k / N, risk = errors among them / k. Tied confidences cannot be ordered, so within a run of g tied items
 * holding e errors, entered after s items holding E_s errors, the risk is its expectation over the g! orders:
 * risk_{s+j} = (E_s + j e / g) / (s + j). Without ties this is the plain error rate; with ties the curve does not
 * depend on input order. `higherIsBetter: false` (for the risks).
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns N points, coverage 1/N .. 1.
 * @throws {InputError} for empty input, NaN, confidences outside [0, 1], bad labels, or different lengths.
 * @example
 * riskCoverageCurve([0.9, 0.2], [0, 1]) // [{ coverage: 0.5, risk: 1 }, { coverage: 1, risk: 0.5 }]
 */
export function riskCoverageCurve(confidences: readonly number[], correct: readonly BinaryLabel[]): RiskCoveragePoint[] {
  const y = checkBinary('riskCoverageCurve', confidences, correct);
  const N = y.length;
  const order = descendingOrder(confidences);
  const points: RiskCoveragePoint[] = [];
  let errorsBefore = 0;
  for (let s = 0; s < N; ) {
    let end = s;
    let groupErrors = 0;
    while (end < N && confidences[order[end] as number] === confidences[order[s] as number]) groupErrors += 1 - (y[order[end++] as number] as number);
    const g = end - s;
    for (let j = 1; j <= g; j++) points.push({ coverage: (s + j) / N, risk: (errorsBefore + (j * groupErrors) / g) / (s + j) });
    errorsBefore += groupErrors;
    s = end;
  }
  return points;
}

/**
 * Area under the risk-coverage curve (Geifman and El-Yaniv): AURC = (1/N) sum_{k=1..N} risk_k over the points of
 * {@link riskCoverageCurve} (ties by expected risk). `higherIsBetter: false`; in [0, 1]. A model whose confidence
 * ranks every right answer above every wrong one reaches the minimum for its accuracy.
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns The AURC.
 * @throws {InputError} as {@link riskCoverageCurve}.
 * @example
 * aurc([0.9, 0.2], [0, 1]) // (1 + 0.5) / 2 = 0.75
 */
export function aurc(confidences: readonly number[], correct: readonly BinaryLabel[]): number {
  const curve = riskCoverageCurve(confidences, correct);
  let s = 0;
  for (const p of curve) s += p.risk;
  return s / curve.length;
}

/** Indices sorted by value, highest first (stable: ties keep input order). */
function descendingOrder(values: readonly number[]): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
}
