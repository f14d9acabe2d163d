/**
 * Output signals: what the next-token distributions say about confidence. Everything here is computed from logits or
 * from replies, so it also works on a grey-box model that returns log-probabilities.
 */
import { InputError, type LanguageModel, type Prompt } from '@trustbench/core';
import { tokenEntropy } from './token-entropy.js';

/** Natural-log softmax of one row: log p_i = l_i - m - log sum_j exp(l_j - m). */
export function logSoftmax(row: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) m = Math.max(m, row[i] as number);
  let z = 0;
  for (let i = 0; i < row.length; i++) z += Math.exp((row[i] as number) - m);
  const logZ = m + Math.log(z);
  return Float64Array.from({ length: row.length }, (_, i) => (row[i] as number) - logZ);
}

/** Signals of one sequence's logits. */
export interface SequenceSignals {
  /** log p(ids[t + 1] | ids[0..t]) for t = 0..T-2 (teacher forcing). */
  readonly tokenLogprobs: Float64Array;
  /** Mean and minimum of `tokenLogprobs` (NaN for a single token). */
  readonly meanLogprob: number;
  readonly minLogprob: number;
  /** At the last position: entropy (nats), the most likely token, its probability, and p(top-1) - p(top-2). */
  readonly entropy: number;
  readonly top1: number;
  readonly top1Prob: number;
  readonly margin: number;
}

/**
 * Output signals of a [T, V] logits matrix for the input `ids` (T = ids.length).
 *
 * @throws {InputError} when `logits` does not hold ids.length * V values.
 * @example
 * const s = sequenceSignals((await model.forward(ids)).data, ids, model.dimensions.vocabSize);
 */
export function sequenceSignals(logits: Float32Array, ids: readonly number[], V: number): SequenceSignals {
  const T = ids.length;
  if (T === 0 || logits.length !== T * V) throw new InputError(`sequenceSignals: logits must be [${T}, ${V}] (${T * V} values) for ${T} ids, got ${logits.length}`);
  const tokenLogprobs = Float64Array.from({ length: T - 1 }, (_, t) => logSoftmax(logits.subarray(t * V, (t + 1) * V))[ids[t + 1] as number] as number);
  const last = logits.subarray((T - 1) * V);
  const lp = logSoftmax(last);
  let [a, b] = [0, -1]; // indices of the two largest
  for (let i = 1; i < V; i++) {
    if ((lp[i] as number) > (lp[a] as number)) [a, b] = [i, a];
    else if (b < 0 || (lp[i] as number) > (lp[b] as number)) b = i;
  }
  return {
    tokenLogprobs,
    meanLogprob: T > 1 ? tokenLogprobs.reduce((s, x) => s + x, 0) / (T - 1) : Number.NaN,
    minLogprob: T > 1 ? Math.min(...tokenLogprobs) : Number.NaN,
    entropy: tokenEntropy(last),
    top1: a,
    top1Prob: Math.exp(lp[a] as number),
    margin: Math.exp(lp[a] as number) - (b < 0 ? 0 : Math.exp(lp[b] as number)),
  };
}

/**
 * Probability mass of each option of a multiple-choice item at one position: the summed softmax probability of each
 * option's token ids (e.g. the ids of "A" and " A"), and the same renormalised over the options.
 *
 * @throws {InputError} for no options or a token id outside the row.
 * @example
 * optionMass(lastRow, [[idA], [idB], [idC], [idD]]) // { mass: [...], normalised: [...] }
 */
export function optionMass(row: ArrayLike<number>, options: readonly (readonly number[])[]): { mass: number[]; normalised: number[] } {
  if (options.length === 0) throw new InputError('optionMass: needs at least one option');
  const lp = logSoftmax(row);
  const mass = options.map((ids, k) => ids.reduce((s, id) => {
    if (!Number.isInteger(id) || id < 0 || id >= row.length) throw new InputError(`optionMass: option ${k} has token id ${id}, outside 0..${row.length - 1}`);
    return s + Math.exp(lp[id] as number);
  }, 0));
  const total = mass.reduce((s, x) => s + x, 0);
  return { mass, normalised: mass.map((x) => (total > 0 ? x / total : Number.NaN)) };
}

const PERCENT = /(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b)/i;
const OUT_OF = /(\d{1,3}(?:\.\d+)?)\s*(?:\/|out of)\s*(10|100)\b/i;
const DECIMAL = /\b(?:confidence|confident|certainty|probability|sure)\b[^0-9]{0,20}(0?\.\d+|1\.0*|[01])\b/i;

/**
 * Verbalised confidence in [0, 1] parsed from a reply: "I am 80% sure", "80 percent", "8/10", "7 out of 10",
 * "confidence: 0.8". The first match wins, in that order of patterns; null when none is found or it is above 100%.
 *
 * @example
 * parseVerbalConfidence('Paris. I am 80% sure.') // 0.8
 */
export function parseVerbalConfidence(reply: string): number | null {
  const p = PERCENT.exec(reply);
  if (p) return check(Number(p[1]) / 100);
  const o = OUT_OF.exec(reply);
  if (o) return check(Number(o[1]) / Number(o[2]));
  const d = DECIMAL.exec(reply);
  return d ? check(Number(d[1])) : null;
}

function check(x: number): number | null {
  return x >= 0 && x <= 1 ? x : null;
}

/**
 * Normalises an answer for clustering: lower case, no leading/trailing punctuation, articles (a, an, the) and
 * whitespace runs removed.
 *
 * @example
 * normaliseAnswer('  The Paris. ') // 'paris'
 */
export function normaliseAnswer(answer: string): string {
  return answer.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\b(a|an|the)\b/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Self-consistency of N sampled answers. */
export interface SelfConsistency {
  /** Share of samples in the largest cluster (1 = all agree). */
  readonly agreement: number;
  /** Clusters of equal normalised answers, largest first (ties by answer). */
  readonly clusters: { readonly answer: string; readonly count: number }[];
  /** Entropy (nats) of the cluster sizes: a sampling-based uncertainty. */
  readonly clusterEntropy: number;
}

/**
 * Clusters answers by `normaliseAnswer` and reports agreement and cluster entropy.
 *
 * @throws {InputError} for no answers.
 * @example
 * selfConsistency(['Paris', 'paris.', 'Lyon']) // agreement 2/3, clusters [{ paris, 2 }, { lyon, 1 }]
 */
export function selfConsistency(answers: readonly string[]): SelfConsistency {
  if (answers.length === 0) throw new InputError('selfConsistency: needs at least one answer');
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(normaliseAnswer(a), (counts.get(normaliseAnswer(a)) ?? 0) + 1);
  const clusters = [...counts].map(([answer, count]) => ({ answer, count })).sort((x, y) => y.count - x.count || x.answer.localeCompare(y.answer));
  const n = answers.length;
  return {
    agreement: (clusters[0]?.count ?? 0) / n,
    clusters,
    clusterEntropy: -clusters.reduce((s, c) => s + (c.count / n) * Math.log(c.count / n), 0),
  };
}

/**
 * Samples `n` replies with seeds seed, seed + 1, ... and measures their self-consistency.
 *
 * @example
 * const sc = await sampleSelfConsistency(model, 'Capital of France?', { n: 8, seed: 1, maxTokens: 8 });
 */
export async function sampleSelfConsistency(
  model: LanguageModel, prompt: Prompt, options: { readonly n: number; readonly seed: number; readonly temperature?: number; readonly maxTokens?: number },
): Promise<SelfConsistency & { readonly replies: string[] }> {
  const replies: string[] = [];
  for (let k = 0; k < options.n; k++) {
    const r = await model.generate(prompt, { seed: options.seed + k, temperature: options.temperature ?? 1, maxTokens: options.maxTokens ?? 32 });
    replies.push(r.text);
  }
  return { ...selfConsistency(replies), replies };
}
