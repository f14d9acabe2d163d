/**
 * Side-effect metrics for steering: what a steered model loses on text and tasks unrelated to the concept. Each
 * returns a function of a (steered) model, so a sweep can evaluate it at every alpha and layer.
 */
import { InputError, type WhiteBoxModel } from '@trustbench/core';

/** A metric of a (steered) model, e.g. a refusal rate or a side effect. */
export type SteeringMetric = (model: WhiteBoxModel) => Promise<number>;

/** The parts of a white-box model the side-effect metrics use. */
type ForwardModel = Pick<WhiteBoxModel, 'forward' | 'tokenizer'>;

/** A multiple-choice utility item: the right continuation of `context` among `choices`. */
export interface UtilityItem {
  readonly context: string | readonly number[];
  readonly choices: readonly (string | readonly number[])[];
  /** Index of the right choice. */
  readonly answer: number;
}

/**
 * Mean per-token log-likelihood of neutral text (higher is better):
 * LL = (1 / |texts|) * sum_texts (1 / (n - 1)) * sum_{t=1}^{n-1} log softmax(logits[t - 1])[x_t].
 *
 * @param texts neutral texts or token-id sequences, each at least 2 tokens long.
 * @throws {InputError} for no texts, or a text shorter than 2 tokens.
 * @example
 * const ll = await neutralLogLikelihood(['The sun rose over the hills.'])(steeredModel);
 */
export function neutralLogLikelihood(texts: readonly (string | readonly number[])[]): (model: ForwardModel) => Promise<number> {
  if (texts.length === 0) throw new InputError('neutralLogLikelihood: no texts');
  return async (model) => {
    let total = 0;
    for (const text of texts) {
      const ids = encode(model, text);
      if (ids.length < 2) throw new InputError(`neutralLogLikelihood: text ${JSON.stringify(text)} has ${ids.length} token(s), needs at least 2`);
      const logits = (await model.forward(ids)).data; // [1, pos, vocab]
      const V = logits.length / ids.length;
      let sum = 0;
      for (let t = 1; t < ids.length; t++) sum += logSoftmaxAt(logits.subarray((t - 1) * V, t * V), ids[t] as number);
      total += sum / (ids.length - 1);
    }
    return total / texts.length;
  };
}

/**
 * Accuracy on a multiple-choice utility task (higher is better): the fraction of items whose right choice has the
 * highest summed log-probability given the context (lm-eval-harness `acc`; ties go to the lower index).
 *
 * @throws {InputError} for no items, an item with fewer than 2 choices, an answer index outside the choices, or an
 *   empty context.
 * @example
 * const acc = await utilityAccuracy([{ context: 'Two plus two is', choices: [' four', ' five'], answer: 0 }])(steeredModel);
 */
export function utilityAccuracy(items: readonly UtilityItem[]): (model: ForwardModel) => Promise<number> {
  if (items.length === 0) throw new InputError('utilityAccuracy: no items');
  items.forEach((item, i) => {
    if (item.choices.length < 2 || !Number.isInteger(item.answer) || item.answer < 0 || item.answer >= item.choices.length) {
      throw new InputError(`utilityAccuracy: item ${i} needs at least 2 choices and 0 <= answer < ${item.choices.length}, got ${item.choices.length} choices and answer ${item.answer}`);
    }
  });
  return async (model) => {
    let right = 0;
    for (const item of items) {
      const context = encode(model, item.context);
      if (context.length === 0) throw new InputError(`utilityAccuracy: context ${JSON.stringify(item.context)} encodes to no tokens`);
      const scores: number[] = [];
      for (const choice of item.choices) {
        const ids = [...context, ...encode(model, choice)];
        const logits = (await model.forward(ids)).data; // [1, pos, vocab]
        const V = logits.length / ids.length;
        let s = 0;
        for (let t = context.length; t < ids.length; t++) s += logSoftmaxAt(logits.subarray((t - 1) * V, t * V), ids[t] as number);
        scores.push(s);
      }
      if (scores.indexOf(Math.max(...scores)) === item.answer) right++;
    }
    return right / items.length;
  };
}

function encode(model: ForwardModel, x: string | readonly number[]): readonly number[] {
  return typeof x === 'string' ? model.tokenizer.encode(x) : x;
}

function logSoftmaxAt(row: Float32Array, id: number): number {
  let max = -Infinity;
  for (const x of row) if (x > max) max = x;
  let z = 0;
  for (const x of row) z += Math.exp(x - max);
  return (row[id] as number) - max - Math.log(z);
}
