import { createRandom } from '@trustbench/core';
import { brierScore, expectedCalibrationError } from '@trustbench/metrics';
import { describe, expect, it } from 'vitest';
import type { Calibrator } from './calibrator.js';
import { binaryNll, crossValidateCalibration, evaluateCalibrator } from './evaluate.js';
import { fitIsotonic } from './isotonic-regression.js';
import { fitPlatt } from './platt-scaling.js';

const r = createRandom(7);
const c = Array.from({ length: 4000 }, () => 0.5 + 0.5 * r.next());
const y = c.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1); // true accuracy c - 0.25: over-confident
const heldC = Array.from({ length: 2000 }, () => 0.5 + 0.5 * r.next());
const heldY = heldC.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1);

describe('binaryNll', () => {
  it('by hand, clipped at 1e-12', () => {
    expect(binaryNll([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 14);
    expect(binaryNll([1], [0])).toBeCloseTo(-Math.log(1e-12), 3); // 27.63 nats, not Infinity
    expect(() => binaryNll([], [])).toThrow(/empty input/);
  });
});

describe('evaluateCalibrator', () => {
  it('reports ECE, Brier and NLL before and after on held-out data, with intervals', () => {
    const cal = fitPlatt(c, y);
    const report = evaluateCalibrator(cal, heldC, heldY, { seed: 1, iterations: 200 });
    const after = cal.apply(heldC);
    // the point estimates are the plain metrics on the held-out split
    expect(report.ece.before.value).toBeCloseTo(expectedCalibrationError(heldC, heldY), 12);
    expect(report.ece.after.value).toBeCloseTo(expectedCalibrationError(after, heldY), 12);
    expect(report.brier.after.value).toBeCloseTo(brierScore(after, heldY), 12);
    expect(report.nll.before.value).toBeCloseTo(binaryNll(heldC, heldY), 12);
    expect(report.ece.difference.value).toBeCloseTo(report.ece.after.value - report.ece.before.value, 12);
    console.log(`platt on held-out: ECE ${report.ece.before.value.toFixed(4)} -> ${report.ece.after.value.toFixed(4)} (difference CI [${report.ece.difference.lower.toFixed(4)}, ${report.ece.difference.upper.toFixed(4)}])`);
    expect(report.ece.difference.upper).toBeLessThan(0);
    expect(report.brier.difference.upper).toBeLessThan(0);
    expect(report.nll.difference.upper).toBeLessThan(0);
    expect(report).toMatchObject({ method: 'platt', n: 2000 });
    expect(() => evaluateCalibrator(cal, [0.5], [1, 0])).toThrow(/confidences has 1 items, correct has 2/);
  });
});

describe('crossValidateCalibration', () => {
  it('calibrates every item with a calibrator that never saw it', () => {
    const seen: Set<number>[] = [];
    const recordingFit = (cs: readonly number[], ys: readonly (0 | 1 | boolean)[]): Calibrator => {
      seen.push(new Set(cs));
      return fitIsotonic(cs, ys);
    };
    const small = c.slice(0, 200);
    const cv = crossValidateCalibration(recordingFit, small, y.slice(0, 200), { folds: 5, seed: 2 });
    expect(cv.calibrators).toHaveLength(5);
    expect(cv.calibrated).toHaveLength(200);
    // confidences are distinct draws, so each item is identified by its confidence: exactly one fold left it out
    small.forEach((ci, i) => {
      const outside = seen.map((s, f) => (s.has(ci) ? -1 : f)).filter((f) => f >= 0);
      expect(outside).toHaveLength(1);
      expect(cv.calibrated[i]).toBe(cv.calibrators[outside[0]!]!.apply([ci])[0]);
    });
    expect(seen.map((s) => s.size)).toEqual([160, 160, 160, 160, 160]);
    expect(crossValidateCalibration(fitIsotonic, small, y.slice(0, 200), { folds: 5, seed: 2 }).calibrated).toEqual(cv.calibrated); // seeded
  });

  it('defines the edge cases', () => {
    expect(() => crossValidateCalibration(fitIsotonic, [0.5], [1], { folds: 2 })).toThrow(/options.folds must be an integer in \[2, 1\], got 2/);
    expect(() => crossValidateCalibration(fitIsotonic, [0.5, 0.6], [1, 0], { folds: 1.5 })).toThrow(/got 1.5/);
    expect(() => crossValidateCalibration(fitIsotonic, [], [])).toThrow(/empty input/);
  });
});
