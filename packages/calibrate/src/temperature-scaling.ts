/**
 * Temperature scaling: one scalar T that divides the logits, fitted by minimising the multi-class negative
 * log-likelihood on a fit split. It changes confidence, never the argmax.
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';
import { checkConfidences, checkFitSplit, clippedLogit, type BinaryLabel } from './internal/validate.js';

/**
 * Fits T = argmin_T -(1/N) sum_i log softmax(z_i / T)[y_i]. With beta = 1/T the loss is convex:
 * f(beta) = mean(logsumexp(beta z_i) - beta z_iy), f' = mean(E_p[z] - z_y), f'' = mean(Var_p[z]) >= 0,
 * so the minimiser is the root of f'. It is bracketed (f'(0) < 0, then beta doubled until f' >= 0) and found by
 * Newton's method safeguarded by bisection, to |f'| < 1e-12 or a bracket of relative width 1e-15: T is exact far
 * beyond 1e-4.
 *
 * @param logits Rows of finite logits, one per item (rows may differ in length).
 * @param labels The true class of each item.
 * @returns `{ temperature, nll }` at the optimum (`nll` in nats per item).
 * @throws {InputError} for empty input, different lengths, a non-finite logit, bad labels, or data where the NLL has
 *   no finite minimiser: every item's label is its top logit by a margin (T -> 0), or the logits carry no information
 *   or are anti-informative (f'(0) >= 0: T -> infinity).
 * @example
 * fitTemperature([[2, 0], [0, 2], [2, 0]], [0, 1, 1]).temperature
 */
export function fitTemperature(logits: readonly (readonly number[])[], labels: readonly number[]): { temperature: number; nll: number } {
  if (logits.length !== labels.length) throw new InputError(`fitTemperature: logits has ${logits.length} rows, labels has ${labels.length}; they must be the same length`);
  if (logits.length === 0) throw new InputError('fitTemperature: empty input; there is nothing to fit');
  logits.forEach((row, i) => {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= row.length) throw new InputError(`fitTemperature: labels[${i}] must be an integer in [0, ${row.length}), got ${String(y)}`);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`fitTemperature: logits[${i}][${j}] must be a finite number, got ${String(v)}`);
    });
  });
  const derivs = (beta: number): [number, number, number] => {
    let f = 0, g = 0, h = 0;
    logits.forEach((row, i) => {
      let m = -Infinity;
      for (const z of row) m = Math.max(m, beta * z);
      let zsum = 0, ez = 0, ez2 = 0;
      for (const z of row) {
        const w = Math.exp(beta * z - m);
        zsum += w;
        ez += w * z;
        ez2 += w * z * z;
      }
      const mean = ez / zsum;
      const zy = row[labels[i] as number] as number;
      f += m + Math.log(zsum) - beta * zy;
      g += mean - zy;
      h += Math.max(0, ez2 / zsum - mean * mean);
    });
    const n = logits.length;
    return [f / n, g / n, h / n];
  };
  if (derivs(0)[1] >= 0) throw new InputError('fitTemperature: the NLL does not fall as T decreases from infinity (the logits carry no information about the labels, or rank them backwards); temperature scaling has no finite minimiser here');
  // As beta -> infinity, f' -> mean_i(max_k z_ik - z_iy) >= 0: when every label logit is its row's maximum, f' < 0 for
  // every beta and the NLL falls forever as T -> 0.
  if (logits.every((row, i) => (row[labels[i] as number] as number) >= Math.max(...row))) throw new InputError('fitTemperature: every label is its row\'s top logit, so the NLL keeps falling as T -> 0 (the fit split is perfectly separated); temperature scaling is not identifiable here');
  let lo = 0;
  let hi = 1;
  for (let d = derivs(hi); d[1] < 0; d = derivs(hi)) {
    if (hi >= 1e6) throw new InputError(`fitTemperature: the NLL minimiser lies below T = 1e-6 (f'(1e6) = ${d[1]}); the logits are too close to separating the labels`);
    lo = hi;
    hi *= 2;
  }
  let beta = (lo + hi) / 2;
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const [, g, h] = derivs(beta);
    if (Math.abs(g) < 1e-12) break;
    if (g > 0) hi = beta;
    else lo = beta;
    const newton = beta - g / h;
    beta = h > 0 && newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  return { temperature: 1 / beta, nll: derivs(beta)[0] };
}

/**
 * Softmax of logits divided by T, per row: p_k = exp(z_k / T) / sum_j exp(z_j / T), computed stably.
 *
 * @param logits Rows of logits.
 * @param temperature T > 0.
 * @returns One probability row per logit row.
 * @throws {InputError} for T not a positive finite number.
 * @example
 * scaleLogits([[2, 0]], 2) // [[0.731, 0.269]]
 */
export function scaleLogits(logits: readonly (readonly number[])[], temperature: number): number[][] {
  checkTemperature('scaleLogits', temperature);
  return logits.map((row) => {
    const m = Math.max(...row) / temperature;
    const e = row.map((z) => Math.exp(z / temperature - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  });
}

function checkTemperature(name: string, temperature: number): void {
  if (typeof temperature !== 'number' || !(temperature > 0 && Number.isFinite(temperature))) throw new InputError(`${name}: temperature must be a positive finite number, got ${String(temperature)}`);
}

/**
 * A temperature calibrator of binary confidences: c -> sigmoid(logit(c) / T) (two-class temperature scaling; c is
 * clipped to [1e-12, 1 - 1e-12] so 0 and 1 stay finite).
 *
 * @param temperature T > 0; T > 1 softens over-confidence.
 * @returns The calibrator; `apply` throws on a confidence outside [0, 1] or NaN.
 * @throws {InputError} for T not a positive finite number.
 * @example
 * temperatureCalibrator(2).apply([0.9]) // [0.75]: logit 0.9 = ln 9, sigmoid(ln 9 / 2) = 3 / (3 + 1)
 */
export function temperatureCalibrator(temperature: number): Calibrator {
  checkTemperature('temperatureCalibrator', temperature);
  return {
    method: 'temperature',
    params: { method: 'temperature', temperature },
    apply: (confidences) => {
      checkConfidences('temperatureCalibrator.apply', confidences);
      return confidences.map((c) => 1 / (1 + Math.exp(-clippedLogit(c) / temperature)));
    },
  };
}

/**
 * Fits two-class temperature scaling on binary confidences: T minimising the NLL of sigmoid(logit(c) / T), i.e.
 * {@link fitTemperature} on the rows [0, logit(c)] with label 1 for a right answer.
 *
 * @param confidences Confidences in [0, 1] on the fit split.
 * @param correct Whether each answer was right.
 * @returns The fitted calibrator.
 * @throws {InputError} for empty input, different lengths, bad confidences or labels, or data without a finite
 *   minimiser (see {@link fitTemperature}).
 * @example
 * fitTemperatureCalibrator([0.99, 0.95, 0.9, 0.8], [1, 0, 1, 0])
 */
export function fitTemperatureCalibrator(confidences: readonly number[], correct: readonly BinaryLabel[]): Calibrator {
  const y = checkFitSplit('fitTemperatureCalibrator', confidences, correct);
  const rows = confidences.map((c) => [0, clippedLogit(c)]);
  return temperatureCalibrator(fitTemperature(rows, Array.from(y)).temperature);
}
