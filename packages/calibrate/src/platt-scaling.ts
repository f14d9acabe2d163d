/**
 * Platt scaling: p = sigmoid(a s + b) on a score s (here logit(c) of the confidence), fitted by maximum likelihood
 * with Platt's smoothed targets t+ = (N+ + 1) / (N+ + 2), t- = 1 / (N- + 2) so separable data still has a finite fit.
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';

const logit = (c: number): number => {
  const p = Math.min(Math.max(c, 1e-12), 1 - 1e-12);
  return Math.log(p / (1 - p));
};

/** The Platt calibrator with given parameters. */
export function plattCalibrator(a: number, b: number): Calibrator {
  return { method: 'platt', params: { method: 'platt', a, b }, apply: (cs) => cs.map((c) => 1 / (1 + Math.exp(-(a * logit(c) + b)))) };
}

/**
 * Fits (a, b) by Newton's method on the smoothed log loss (2x2 Hessian, step halving).
 *
 * @throws {InputError} for empty input or different lengths.
 * @example
 * fitPlatt([0.9, 0.8, 0.3, 0.6], [1, 1, 0, 0]).params // { method: 'platt', a, b }
 */
export function fitPlatt(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): Calibrator {
  if (confidences.length === 0 || confidences.length !== correct.length) throw new InputError(`fitPlatt: needs as many labels as confidences (> 0), got ${confidences.length} and ${correct.length}`);
  const s = confidences.map(logit);
  const pos = correct.filter(Boolean).length;
  const neg = correct.length - pos;
  const t = correct.map((y) => (y ? (pos + 1) / (pos + 2) : 1 / (neg + 2)));
  const loss = (a: number, b: number) => s.reduce((acc, si, i) => {
    const z = a * si + b;
    const ti = t[i] as number;
    // log(1 + e^z) - t z, stably
    return acc + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - ti * z;
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
