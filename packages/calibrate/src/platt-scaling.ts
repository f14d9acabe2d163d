/**
 * Platt scaling: p = sigmoid(a s + b) on a score s (here logit(c) of the confidence), fitted by maximum likelihood
 * with Platt's smoothed targets t+ = (N+ + 1) / (N+ + 2), t- = 1 / (N- + 2) so separable data still has a finite fit.
 */
import type { Calibrator } from './calibrator.js';
import { checkConfidences, checkFinite, checkFitSplit, clippedLogit, type BinaryLabel } from './internal/validate.js';

/**
 * The Platt calibrator with given parameters: c -> sigmoid(a logit(c) + b), c clipped to [1e-12, 1 - 1e-12].
 * (a, b) = (1, 0) is the identity; a < 1 softens over-confidence.
 *
 * @param a Slope (finite).
 * @param b Intercept (finite).
 * @returns The calibrator; `apply` throws on a confidence outside [0, 1] or NaN.
 * @throws {InputError} for a non-finite parameter.
 * @example
 * plattCalibrator(0.5, 0).apply([0.9]) // [0.75]: sigmoid(ln 9 / 2)
 */
export function plattCalibrator(a: number, b: number): Calibrator {
  checkFinite('plattCalibrator', 'a', a);
  checkFinite('plattCalibrator', 'b', b);
  return {
    method: 'platt',
    params: { method: 'platt', a, b },
    apply: (cs) => {
      checkConfidences('plattCalibrator.apply', cs);
      return cs.map((c) => 1 / (1 + Math.exp(-(a * clippedLogit(c) + b))));
    },
  };
}

/**
 * Fits (a, b) = argmin sum_i [log(1 + e^{z_i}) - t_i z_i], z_i = a s_i + b, s_i = logit(c_i), t_i Platt's smoothed
 * target, by Newton's method (2x2 Hessian, step halving) from (1, 0) until |gradient| < 1e-10. The loss is convex, so
 * this is the maximum-likelihood fit; at the optimum sum (p_i - t_i) = 0 and sum (p_i - t_i) s_i = 0.
 *
 * @param confidences Confidences in [0, 1] on the fit split.
 * @param correct Whether each answer was right, same length.
 * @returns The fitted calibrator.
 * @throws {InputError} for empty input, different lengths, NaN or out-of-range confidences, or bad labels.
 * @example
 * fitPlatt([0.9, 0.8, 0.3, 0.6], [1, 1, 0, 0]).params // { method: 'platt', a, b }
 */
export function fitPlatt(confidences: readonly number[], correct: readonly BinaryLabel[]): Calibrator {
  const y = checkFitSplit('fitPlatt', confidences, correct);
  const s = confidences.map(clippedLogit);
  const pos = y.reduce((n, v) => n + v, 0);
  const neg = y.length - pos;
  const t = Array.from(y, (v) => (v ? (pos + 1) / (pos + 2) : 1 / (neg + 2)));
  const loss = (a: number, b: number) => s.reduce((acc, si, i) => {
    const z = a * si + b;
    // log(1 + e^z) - t z, stably
    return acc + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (t[i] as number) * z;
  }, 0);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    s.forEach((si, i) => {
      const p = 1 / (1 + Math.exp(-(a * si + b)));
      const d = p - (t[i] as number);
      const w = p * (1 - p);
      ga += d * si;
      gb += d;
      haa += w * si * si;
      hab += w * si;
      hbb += w;
    });
    if (Math.abs(ga) + Math.abs(gb) < 1e-10) break;
    // A tiny ridge keeps the solve defined when every score is the same (the Hessian is then singular in a).
    const det = haa * hbb - hab * hab + 1e-12;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    const before = loss(a, b);
    let step = 1;
    while (step > 1e-8 && loss(a - step * da, b - step * db) > before) step /= 2;
    da *= step;
    db *= step;
    a -= da;
    b -= db;
  }
  return plattCalibrator(a, b);
}
