/**
 * Multi-class metrics over per-item score vectors (probabilities or logits), and lm-eval-harness's
 * log-likelihood choice rules.
 */
import { InputError } from '@trustbench/core';

/** What a row of scores holds, which decides the checks on its entries. */
type RowKind = 'probabilities' | 'logits' | 'loglikelihoods';

/** Tolerance on a probability row's sum: rows rounded to float32 or printed with 7 digits still pass. */
const SUM_TOLERANCE = 1e-6;

function checkRows(metric: string, scores: readonly (readonly number[])[], labels: readonly number[], kind: RowKind): void {
  if (scores.length !== labels.length) throw new InputError(`${metric}: scores has ${scores.length} rows, labels has ${labels.length}; they must be the same length`);
  if (scores.length === 0) throw new InputError(`${metric}: empty input; there is nothing to measure`);
  scores.forEach((row, i) => {
    if (row.length === 0) throw new InputError(`${metric}: scores[${i}] is an empty row`);
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= row.length) throw new InputError(`${metric}: labels[${i}] must be an integer in [0, ${row.length}), got ${String(label)}`);
    let sum = 0;
    row.forEach((v, j) => {
      if (typeof v !== 'number' || Number.isNaN(v)) throw new InputError(`${metric}: scores[${i}][${j}] must be a number, got ${String(v)}`);
      if (kind === 'probabilities' && !(v >= 0 && v <= 1)) throw new InputError(`${metric}: scores[${i}][${j}] must be a probability in [0, 1], got ${v}`);
      if (kind === 'logits' && !Number.isFinite(v)) throw new InputError(`${metric}: scores[${i}][${j}] must be a finite logit, got ${v}`);
      if (kind === 'loglikelihoods' && v === Number.POSITIVE_INFINITY) throw new InputError(`${metric}: scores[${i}][${j}] must be a log-likelihood (<= 0 or -Infinity), got Infinity`);
      sum += v;
    });
    if (kind === 'probabilities' && Math.abs(sum - 1) > SUM_TOLERANCE) throw new InputError(`${metric}: scores[${i}] must sum to 1 (within ${SUM_TOLERANCE}), got ${sum}`);
  });
}

/**
 * log-softmax of one row, computed stably: log p_k = z_k - (m + log sum_j exp(z_j - m)), m = max_j z_j.
 *
 * @param row Logits (a non-empty row of finite numbers).
 * @returns The log-probabilities.
 * @throws {InputError} for an empty row or a non-finite logit.
 * @example
 * logSoftmaxRow([0, Math.log(3)]) // [log 0.25, log 0.75]
 */
export function logSoftmaxRow(row: readonly number[]): number[] {
  checkRows('logSoftmaxRow', [row], [0], 'logits');
  const m = Math.max(...row);
  const lz = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
  return row.map((x) => x - lz);
}

/**
 * Mean negative log-likelihood of the labels: NLL = -(1/N) sum_i log p_i[y_i], with p = softmax(logits) or the given
 * probabilities. `higherIsBetter: false`; in [0, Infinity); a zero probability on the label gives Infinity (that is
 * what the model said: no clipping).
 *
 * @param scores One row per item: probabilities (each in [0, 1], summing to 1 within 1e-6) or finite logits.
 * @param labels The true class index of each item.
 * @param options `from`: what the rows hold.
 * @returns The mean NLL in nats.
 * @throws {InputError} for empty input, different lengths, an empty row, a label outside the row, NaN, a probability
 *   outside [0, 1] or a row not summing to 1, a non-finite logit, or an unknown `from`.
 * @example
 * negativeLogLikelihood([[0.25, 0.75]], [1], { from: 'probabilities' }) // -log 0.75 = 0.2877
 */
export function negativeLogLikelihood(scores: readonly (readonly number[])[], labels: readonly number[], options: { readonly from: 'probabilities' | 'logits' }): number {
  if (options.from !== 'probabilities' && options.from !== 'logits') throw new InputError(`negativeLogLikelihood: options.from must be 'probabilities' or 'logits', got ${JSON.stringify(options.from)}`);
  checkRows('negativeLogLikelihood', scores, labels, options.from);
  let s = 0;
  scores.forEach((row, i) => {
    s -= options.from === 'logits' ? (logSoftmaxRow(row)[labels[i] as number] as number) : Math.log(row[labels[i] as number] as number);
  });
  return s / scores.length;
}

/**
 * Multi-class Brier score: (1/N) sum_i sum_k (p_ik - 1[k = y_i])^2 over probability rows. `higherIsBetter: false`;
 * in [0, 2]. (With two classes it is twice the binary Brier score of p_i1.)
 *
 * @param probabilities One probability row per item (entries in [0, 1], summing to 1 within 1e-6).
 * @param labels The true class index of each item.
 * @returns The mean squared error against the one-hot labels.
 * @throws {InputError} as {@link negativeLogLikelihood} with `from: 'probabilities'`.
 * @example
 * multiclassBrier([[0.7, 0.2, 0.1]], [0]) // 0.09 + 0.04 + 0.01 = 0.14
 */
export function multiclassBrier(probabilities: readonly (readonly number[])[], labels: readonly number[]): number {
  checkRows('multiclassBrier', probabilities, labels, 'probabilities');
  let s = 0;
  probabilities.forEach((row, i) => row.forEach((p, k) => (s += (p - (k === labels[i] ? 1 : 0)) ** 2)));
  return s / probabilities.length;
}

/**
 * lm-eval-harness `acc`: the fraction of items whose highest-log-likelihood option is the gold one (ties: the first,
 * as numpy's argmax). `higherIsBetter: true`; in [0, 1].
 *
 * @param loglikelihoods One row per item: the log-likelihood of each option's continuation.
 * @param gold The index of the right option of each item.
 * @returns The accuracy.
 * @throws {InputError} for empty input, different lengths, an empty row, a gold index outside the row, NaN or +Infinity.
 * @example
 * accFromLoglikelihoods([[-1, -2], [-3, -0.5]], [0, 0]) // 0.5
 */
export function accFromLoglikelihoods(loglikelihoods: readonly (readonly number[])[], gold: readonly number[]): number {
  checkRows('accFromLoglikelihoods', loglikelihoods, gold, 'loglikelihoods');
  return loglikelihoods.filter((row, i) => argmax(row) === gold[i]).length / gold.length;
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if ((row[j] as number) > (row[best] as number)) best = j;
  return best;
}

/**
 * lm-eval-harness `acc_norm`: as `acc`, with each option's log-likelihood divided by the length in characters of its
 * continuation string (lm-eval's `len(choice)`, which counts Unicode code points, as `[...text].length` does here), so
 * long options are not penalised. `higherIsBetter: true`; in [0, 1].
 *
 * @param loglikelihoods One row per item: the log-likelihood of each option's continuation.
 * @param options The continuation strings, same shape as `loglikelihoods`.
 * @param gold The index of the right option of each item.
 * @returns The length-normalised accuracy.
 * @throws {InputError} as {@link accFromLoglikelihoods}, or when `options` does not match the rows or holds an empty
 *   string (its normalised score would divide by zero).
 * @example
 * accNormFromLoglikelihoods([[-4, -3]], [[' a long option', ' b']], [0]) // -4/14 > -3/2 -> picks 0 -> 1
 */
export function accNormFromLoglikelihoods(loglikelihoods: readonly (readonly number[])[], options: readonly (readonly string[])[], gold: readonly number[]): number {
  checkRows('accNormFromLoglikelihoods', loglikelihoods, gold, 'loglikelihoods');
  if (options.length !== loglikelihoods.length) throw new InputError(`accNormFromLoglikelihoods: options has ${options.length} rows, loglikelihoods has ${loglikelihoods.length}`);
  const normed = loglikelihoods.map((row, i) => {
    const texts = options[i] as readonly string[];
    if (texts.length !== row.length) throw new InputError(`accNormFromLoglikelihoods: options[${i}] has ${texts.length} strings, loglikelihoods[${i}] has ${row.length}`);
    return row.map((ll, j) => {
      const length = [...(texts[j] as string)].length;
      if (length === 0) throw new InputError(`accNormFromLoglikelihoods: options[${i}][${j}] is an empty string`);
      return ll / length;
    });
  });
  return normed.filter((row, i) => argmax(row) === gold[i]).length / gold.length;
}

/**
 * Perplexity from total log-likelihood and token count: exp(-sum log p / tokens). `higherIsBetter: false`; >= 1.
 *
 * @param totalLoglikelihood Sum of the natural-log probabilities of the tokens (<= 0).
 * @param tokens How many tokens were scored (a positive integer).
 * @returns The perplexity.
 * @throws {InputError} for tokens not a positive integer, or a NaN or positive total log-likelihood.
 * @example
 * perplexity(-Math.log(4) * 10, 10) // 4
 */
export function perplexity(totalLoglikelihood: number, tokens: number): number {
  if (!Number.isInteger(tokens) || tokens < 1) throw new InputError(`perplexity: tokens must be a positive integer, got ${tokens}`);
  if (!(totalLoglikelihood <= 0)) throw new InputError(`perplexity: total log-likelihood must be <= 0, got ${totalLoglikelihood}`);
  return Math.exp(-totalLoglikelihood / tokens);
}
