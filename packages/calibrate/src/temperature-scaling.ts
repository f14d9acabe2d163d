/**
 * Temperature scaling: one scalar T that divides the logits, fitted by minimising the multi-class negative
 * log-likelihood on a fit split. It changes confidence, never the argmax.
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';

/**
 * Fits T = argmin_T -(1/N) sum_i log softmax(z_i / T)[y_i]. With beta = 1/T the loss is convex:
 * f(beta) = mean(logsumexp(beta z_i) - beta z_iy), f' = mean(E_p[z] - z_y), f'' = mean(Var_p[z]) >= 0,
 * so Newton's method on beta (with a bisection fallback) finds the minimiser; |f'| < 1e-12 at return.
 *
 * @param logits Rows of logits, one per item.
 * @param labels The true class of each item.
 * @returns `{ temperature, nll }` at the optimum.
 * @throws {InputError} for empty input, ragged rows, bad labels, or data where the NLL has no minimum (all argmax right
 *   with no spread: T -> 0).
 * @example
 * fitTemperature([[2, 0], [0, 2], [2, 0]], [0, 1, 1]).temperature
 */
export function fitTemperature(logits: readonly (readonly number[])[], labels: readonly number[]): { temperature: number; nll: number } {
  if (logits.length === 0 || logits.length !== labels.length) throw new InputError(`fitTemperature: needs as many label as logit rows (> 0), got ${logits.length} rows and ${labels.length} labels`);
  logits.forEach((row, i) => {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= row.length) throw new InputError(`fitTemperature: labels[${i}] must be an integer in [0, ${row.length}), got ${y}`);
    if (row.some((v) => !Number.isFinite(v))) throw new InputError(`fitTemperature: logits[${i}] has a non-finite value`);
  });
  const derivs = (beta: number): [number, number, number] => {
    let f = 0, g = 0, h = 0;
    logits.forEach((row, i) => {
      const m = Math.max(...row.map((z) => beta * z));
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
      h += ez2 / zsum - mean * mean;
    });
    const n = logits.length;
    return [f / n, g / n, h / n];
  };
  // Bracket the root of f' (increasing in beta): f'(0) = mean(mean_k z - z_y) < 0 unless the data is degenerate.
  let lo = 0;
  let hi = 1;
  while (derivs(hi)[1] < 0 || derivs(hi)[0] < 1e-12) {
    hi *= 2;
    if (hi > 1e6 || derivs(hi)[0] < 1e-12) throw new InputError('fitTemperature: the NLL keeps falling as T -> 0 (the fit split is perfectly separated); temperature scaling is not identifiable here');
  }
  if (derivs(lo)[1] > 0) throw new InputError('fitTemperature: the NLL keeps falling as T -> infinity (logits are anti-correlated with the labels)');
  let beta = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
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
 * Softmax of logits divided by T, per row.
 *
 * @example
 * scaleLogits([[2, 0]], 2) // [[0.731, 0.269]]
 */
export function scaleLogits(logits: readonly (readonly number[])[], temperature: number): number[][] {
  return logits.map((row) => {
    const m = Math.max(...row) / temperature;
    const e = row.map((z) => Math.exp(z / temperature - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  });
}

/**
 * A temperature calibrator of binary confidences: c -> sigmoid(logit(c) / T) (two-class temperature scaling).
 *
 * @example
 * temperatureCalibrator(2).apply([0.9]) // [0.75]
 */
export function temperatureCalibrator(temperature: number): Calibrator {
  if (!(temperature > 0)) throw new InputError(`temperatureCalibrator: temperature must be positive, got ${temperature}`);
  return {
    method: 'temperature',
    params: { method: 'temperature', temperature },
    apply: (confidences) => confidences.map((c) => {
      const p = Math.min(Math.max(c, 1e-12), 1 - 1e-12);
      return 1 / (1 + Math.exp(-Math.log(p / (1 - p)) / temperature));
    }),
  };
}

/**
 * Fits two-class temperature scaling on binary confidences: T minimising the NLL of sigmoid(logit(c) / T).
 *
 * @example
 * fitTemperatureCalibrator([0.99, 0.95, 0.9, 0.8], [1, 0, 1, 0])
 */
export function fitTemperatureCalibrator(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): Calibrator {
  const rows = confidences.map((c) => {
    const p = Math.min(Math.max(c, 1e-12), 1 - 1e-12);
    return [0, Math.log(p / (1 - p))];
  });
  return temperatureCalibrator(fitTemperature(rows, correct.map((y) => (y ? 1 : 0))).temperature);
}
