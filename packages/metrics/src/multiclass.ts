/**
 * Multi-class metrics over per-item score vectors (probabilities or logits), and lm-eval-harness's
 * log-likelihood choice rules.
 */
import { InputError } from '@trustbench/core';

function checkRows(metric: string, scores: readonly (readonly number[])[], labels: readonly number[]): void {
  if (scores.length !== labels.length) throw new InputError(`${metric}: scores has ${scores.length} rows, labels has ${labels.length}; they must be the same length`);
  if (scores.length === 0) throw new InputError(`${metric}: empty input`);
  scores.forEach((row, i) => {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= row.length) throw new InputError(`${metric}: labels[${i}] must be an integer in [0, ${row.length}), got ${label}`);
    row.forEach((v, j) => {
      if (Number.isNaN(v)) throw new InputError(`${metric}: scores[${i}][${j}] is NaN`);
    });
  });
}

/** log-softmax of one row, computed stably. */
export function logSoftmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const lz = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
  return row.map((x) => x - lz);
}

/**
 * Mean negative log-likelihood of the labels: NLL = -(1/N) sum_i log p_i[y_i], with p = softmax(logits) or the given
 * probabilities (which must lie in [0, 1]). Lower is better. A zero probability on the label gives Infinity.
 *
 * @example
 * negativeLogLikelihood([[0.25, 0.75]], [1], { from: 'probabilities' }) // -log 0.75 = 0.2877
 */
export function negativeLogLikelihood(scores: readonly (readonly number[])[], labels: readonly number[], options: { readonly from: 'probabilities' | 'logits' }): number {
  checkRows('negativeLogLikelihood', scores, labels);
  let s = 0;
  scores.forEach((row, i) => {
    if (options.from === 'logits') s -= logSoftmaxRow(row)[labels[i] as number] as number;
    else {
      const p = row[labels[i] as number] as number;
      if (p < 0 || p > 1) throw new InputError(`negativeLogLikelihood: scores[${i}] must be probabilities in [0, 1], got ${p}`);
      s -= Math.log(p);
    }
  });
  return s / scores.length;
}

/**
 * Multi-class Brier score: (1/N) sum_i sum_k (p_ik - 1[k = y_i])^2 over probability rows. Lower is better; in [0, 2].
 *
 * @example
 * multiclassBrier([[0.7, 0.2, 0.1]], [0]) // 0.09 + 0.04 + 0.01 = 0.14
 */
export function multiclassBrier(probabilities: readonly (readonly number[])[], labels: readonly number[]): number {
  checkRows('multiclassBrier', probabilities, labels);
  let s = 0;
  probabilities.forEach((row, i) => row.forEach((p, k) => (s += (p - (k === labels[i] ? 1 : 0)) ** 2)));
  return s / probabilities.length;
}

/**
 * lm-eval-harness `acc`: the fraction of items whose highest-log-likelihood option is the gold one (ties: the first).
 *
 * @example
 * accFromLoglikelihoods([[-1, -2], [-3, -0.5]], [0, 0]) // 0.5
 */
export function accFromLoglikelihoods(loglikelihoods: readonly (readonly number[])[], gold: readonly number[]): number {
  checkRows('accFromLoglikelihoods', loglikelihoods, gold);
  return loglikelihoods.filter((row, i) => row.indexOf(Math.max(...row)) === gold[i]).length / gold.length;
}

/**
 * lm-eval-harness `acc_norm`: as `acc`, with each option's log-likelihood divided by its length in characters
 * (the byte length of the continuation string in lm-eval; characters here), so long options are not penalised.
 *
 * @example
 * accNormFromLoglikelihoods([[-4, -3]], [[' a long option', ' b']], [0]) // -4/14 > -3/2 -> picks 0 -> 1
 */
export function accNormFromLoglikelihoods(loglikelihoods: readonly (readonly number[])[], options: readonly (readonly string[])[], gold: readonly number[]): number {
  checkRows('accNormFromLoglikelihoods', loglikelihoods, gold);
  const normed = loglikelihoods.map((row, i) => row.map((ll, j) => ll / Math.max(1, (options[i]?.[j] ?? '').length)));
  return accFromLoglikelihoods(normed, gold);
}

/**
 * Perplexity from total log-likelihood and token count: exp(-sum log p / tokens). Lower is better.
 *
 * @example
 * perplexity(-Math.log(4) * 10, 10) // 4
 */
export function perplexity(totalLoglikelihood: number, tokens: number): number {
  if (!(tokens > 0)) throw new InputError(`perplexity: tokens must be positive, got ${tokens}`);
  if (Number.isNaN(totalLoglikelihood) || totalLoglikelihood > 0) throw new InputError(`perplexity: total log-likelihood must be <= 0, got ${totalLoglikelihood}`);
  return Math.exp(-totalLoglikelihood / tokens);
}
