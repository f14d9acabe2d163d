import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { brierScore, expectedCalibrationError, maxCalibrationError, reliabilityBins } from './calibration-error.js';

describe('calibration metrics', () => {
  it('ECE with uniform bins equals the hand computation', () => {
    // 0.9, 0.9 -> bin 9 (acc 1/2, conf 0.9); 0.6 -> bin 6 (acc 1, conf 0.6): 2/3 * 0.4 + 1/3 * 0.4 = 0.4
    expect(expectedCalibrationError([0.9, 0.9, 0.6], [1, 0, 1])).toBeCloseTo(0.4, 12);
    // c = 1 goes into the last bin, not an 11th: bin 9 holds 0.95 (y 1) and 1.0 (y 1): |1 - 0.975| = 0.025
    expect(expectedCalibrationError([0.95, 1], [true, true])).toBeCloseTo(0.025, 12);
    expect(maxCalibrationError([0.9, 0.9, 0.6, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.4, 12);
  });

  it('quantile bins give the first N mod M bins one more item, ties in input order', () => {
    // N = 5, M = 2: sizes 3 and 2. Sorted stably: 0.2(i1) 0.2(i3) 0.5(i0) | 0.7(i4) 0.9(i2)
    const bins = reliabilityBins([0.5, 0.2, 0.9, 0.2, 0.7], [1, 0, 1, 1, 0], { bins: 2, strategy: 'quantile' });
    expect(bins.map((b) => b.count)).toEqual([3, 2]);
    expect(bins[0]!.meanConfidence).toBeCloseTo(0.3, 12);
    expect(bins[0]!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(bins[1]).toMatchObject({ lower: 0.7, upper: 0.9, accuracy: 0.5 });
    // ECE = 3/5 |2/3 - 0.3| + 2/5 |0.5 - 0.8| = 0.22 + 0.12 = 0.34
    expect(expectedCalibrationError([0.5, 0.2, 0.9, 0.2, 0.7], [1, 0, 1, 1, 0], { bins: 2, strategy: 'quantile' })).toBeCloseTo(0.34, 12);
  });

  it('uniform reliability bins by hand, empty bins included', () => {
    // M = 4: 0.1 -> bin 0; 0.3, 0.4 -> bin 1; bin 2 empty; 0.75 -> floor(3) = 3; 1.0 -> min(4, 3) = 3
    const bins = reliabilityBins([0.1, 0.3, 0.4, 0.75, 1], [0, 1, 0, 1, 1], { bins: 4 });
    expect(bins.map((b) => b.count)).toEqual([1, 2, 0, 2]);
    expect(bins[1]).toEqual({ lower: 0.25, upper: 0.5, count: 2, meanConfidence: 0.35, accuracy: 0.5 });
    expect(bins[2]!.meanConfidence).toBeNaN();
    expect(bins[3]).toMatchObject({ lower: 0.75, upper: 1, meanConfidence: 0.875, accuracy: 1 });
    // ECE = 1/5 |0 - 0.1| + 2/5 |0.5 - 0.35| + 2/5 |1 - 0.875| = 0.02 + 0.06 + 0.05 = 0.13; MCE = max(0.1, 0.15, 0.125)
    expect(expectedCalibrationError([0.1, 0.3, 0.4, 0.75, 1], [0, 1, 0, 1, 1], { bins: 4 })).toBeCloseTo(0.13, 12);
    expect(maxCalibrationError([0.1, 0.3, 0.4, 0.75, 1], [0, 1, 0, 1, 1], { bins: 4 })).toBeCloseTo(0.15, 12);
  });

  it('quantile MCE uses the same equal-count bins', () => {
    // N = 5, M = 2 as above: bin 0 |2/3 - 0.3| = 0.3667, bin 1 |0.5 - 0.8| = 0.3
    expect(maxCalibrationError([0.5, 0.2, 0.9, 0.2, 0.7], [1, 0, 1, 1, 0], { bins: 2, strategy: 'quantile' })).toBeCloseTo(2 / 3 - 0.3, 12);
    // N = 7, M = 3: sizes 3, 2, 2 (the first 7 mod 3 = 1 bin is larger)
    expect(reliabilityBins([0.7, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 0, 0, 0, 1, 1, 1], { bins: 3, strategy: 'quantile' }).map((b) => b.count)).toEqual([3, 2, 2]);
  });

  it('Brier score by hand', () => {
    expect(brierScore([0.8, 0.3], [1, 0])).toBeCloseTo(0.065, 12);
  });

  it('defines the edge cases', () => {
    expect(() => expectedCalibrationError([], [])).toThrow(/empty input/);
    expect(() => brierScore([Number.NaN], [1])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got NaN/);
    expect(() => brierScore([1.2], [1])).toThrow(new InputError('brierScore: confidences[0] must be in [0, 1], got 1.2'));
    expect(() => brierScore([0.5], [2 as 1])).toThrow(/correct\[0\] must be 0, 1, true or false/);
    expect(expectedCalibrationError([0.7, 0.7], [1, 1])).toBeCloseTo(0.3, 12); // a single class is fine for ECE
    expect(brierScore([0.7, 0.4], [false, false])).toBeCloseTo((0.49 + 0.16) / 2, 12);
    expect(() => expectedCalibrationError([0.5], [1, 0])).toThrow(/confidences has 1 items, correct has 2/);
    expect(() => expectedCalibrationError([0.5], [1], { bins: 0 })).toThrow(new InputError('reliabilityBins: options.bins must be a positive integer, got 0'));
    expect(() => expectedCalibrationError([0.5], [1], { bins: 2.5 })).toThrow(/options.bins must be a positive integer, got 2.5/);
    expect(() => expectedCalibrationError([0.5], [1], { strategy: 'equal' as 'uniform' })).toThrow(/options.strategy must be 'uniform' or 'quantile', got "equal"/);
  });
});
