import { createRandom } from '@trustbench/core';
import { expectedCalibrationError, negativeLogLikelihood } from '@trustbench/metrics';
import { describe, expect, it } from 'vitest';
import { crossValidateCalibration, evaluateCalibrator } from './evaluate.js';
import { calibratorFromParams } from './from-params.js';
import { fitHistogramBinning } from './histogram-binning.js';
import { fitIsotonic } from './isotonic-regression.js';
import { fitPlatt } from './platt-scaling.js';
import { fitTemperature, fitTemperatureCalibrator, scaleLogits, temperatureCalibrator } from './temperature-scaling.js';

/** A seeded over-confident classifier: labels drawn from softmax(z), the model reports z * trueT. */
function overconfident(n: number, classes: number, trueT: number, seed: number) {
  const r = createRandom(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: classes }, () => 1.5 * r.normal());
    const p = scaleLogits([z], 1)[0]!;
    let u = r.next();
    let y = 0;
    while (y < classes - 1 && (u -= p[y]!) > 0) y++;
    logits.push(z.map((x) => x * trueT));
    labels.push(y);
  }
  return { logits, labels };
}

describe('temperature scaling', () => {
  it('finds the exact NLL minimiser (to 1e-4 against a fine grid)', () => {
    const { logits, labels } = overconfident(500, 4, 2, 1);
    const { temperature } = fitTemperature(logits, labels);
    let best = { t: 0, nll: Infinity };
    for (let t = temperature - 0.01; t <= temperature + 0.01; t += 1e-5) {
      const nll = negativeLogLikelihood(logits.map((row) => row.map((z) => z / t)), labels, { from: 'logits' });
      if (nll < best.nll) best = { t, nll };
    }
    expect(Math.abs(best.t - temperature)).toBeLessThan(1e-4);
  });

  it('recovers the temperature that made an over-confident classifier within 2%, and lowers held-out ECE and NLL', () => {
    const fit = overconfident(20_000, 5, 2.5, 2);
    const held = overconfident(5_000, 5, 2.5, 3);
    const { temperature } = fitTemperature(fit.logits, fit.labels);
    console.log(`temperature fitted ${temperature.toFixed(4)} (true 2.5)`);
    expect(Math.abs(temperature - 2.5) / 2.5).toBeLessThan(0.02);
    const conf = (rows: number[][]) => rows.map((p) => Math.max(...p));
    const right = (rows: number[][]) => rows.map((p, i) => (p.indexOf(Math.max(...p)) === held.labels[i] ? 1 : 0) as 0 | 1);
    const before = scaleLogits(held.logits, 1);
    const after = scaleLogits(held.logits, temperature);
    const eceBefore = expectedCalibrationError(conf(before), right(before));
    const eceAfter = expectedCalibrationError(conf(after), right(after));
    const nllBefore = negativeLogLikelihood(held.logits, held.labels, { from: 'logits' });
    const nllAfter = negativeLogLikelihood(held.logits.map((r) => r.map((z) => z / temperature)), held.labels, { from: 'logits' });
    console.log(`held-out ECE ${eceBefore.toFixed(4)} -> ${eceAfter.toFixed(4)}, NLL ${nllBefore.toFixed(4)} -> ${nllAfter.toFixed(4)}`);
    expect(eceAfter).toBeLessThan(eceBefore / 2);
    expect(nllAfter).toBeLessThan(nllBefore);
  });

  it('two-class temperature on confidences, by hand', () => {
    expect(temperatureCalibrator(2).apply([0.9])[0]).toBeCloseTo(0.75, 12); // logit 0.9 = ln 9; sigmoid(ln 9 / 2) = 3/4
    expect(() => fitTemperature([[1, 2]], [2])).toThrow(/labels\[0\] must be an integer in \[0, 2\), got 2/);
    expect(() => fitTemperature([[5, 0], [0, 5]], [0, 1])).toThrow(/perfectly separated/);
  });
});

describe('Platt, isotonic, histogram', () => {
  const r = createRandom(7);
  const c = Array.from({ length: 4000 }, () => 0.5 + 0.5 * r.next());
  const y = c.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1); // true accuracy = c - 0.25: over-confident
  const heldC = Array.from({ length: 4000 }, () => 0.5 + 0.5 * r.next());
  const heldY = heldC.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1);

  it.each([['platt', fitPlatt], ['isotonic', fitIsotonic], ['histogram', fitHistogramBinning], ['temperature', fitTemperatureCalibrator]] as const)('%s lowers held-out ECE and round-trips through JSON', (_, fit) => {
    const cal = fit(c, y);
    const after = cal.apply(heldC);
    const eceBefore = expectedCalibrationError(heldC, heldY);
    const eceAfter = expectedCalibrationError(after, heldY);
    expect(eceAfter).toBeLessThan(eceBefore);
    const restored = calibratorFromParams(JSON.parse(JSON.stringify(cal.params)));
    expect(restored.apply(heldC.slice(0, 50))).toEqual(after.slice(0, 50));
  });

  it('isotonic PAV and histogram binning by hand', () => {
    expect(fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]).params).toEqual({ method: 'isotonic', thresholds: [0.1, 0.2, 0.4], values: [0, 0.5, 1] });
    expect(fitHistogramBinning([0.1, 0.15, 0.9], [0, 1, 1], { bins: 2 }).apply([0.2, 0.7])).toEqual([0.5, 1]);
    expect(fitHistogramBinning([0.1], [1], { bins: 2 }).apply([0.8])).toEqual([0.8]); // empty bin: unchanged
  });

  it('evaluates on held-out data with intervals, and cross-validates without leakage', () => {
    const report = evaluateCalibrator(fitPlatt(c, y), heldC, heldY, { seed: 1, iterations: 200 });
    expect(report.ece.after.value).toBeLessThan(report.ece.before.value);
    expect(report.brier.difference.upper).toBeLessThan(0); // Brier improves, CI excludes 0
    expect(report.nll.difference.value).toBeLessThan(0);
    const cv = crossValidateCalibration(fitIsotonic, c.slice(0, 200), y.slice(0, 200), { folds: 5, seed: 2 });
    expect(cv.calibrators).toHaveLength(5);
    expect(cv.calibrated.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(() => crossValidateCalibration(fitIsotonic, [0.5], [1], { folds: 2 })).toThrow(/folds must be an integer in \[2, 1\]/);
  });
});
