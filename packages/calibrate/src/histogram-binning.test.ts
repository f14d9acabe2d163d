import { describe, expect, it } from 'vitest';
import { fitHistogramBinning, histogramCalibrator } from './histogram-binning.js';

describe('histogram binning', () => {
  it('by hand', () => {
    // bins of width 1/2: 0.1, 0.15 -> bin 0 (y 0, 1: 0.5); 0.9 -> bin 1 (1)
    expect(fitHistogramBinning([0.1, 0.15, 0.9], [0, 1, 1], { bins: 2 }).apply([0.2, 0.7])).toEqual([0.5, 1]);
    expect(fitHistogramBinning([0.1], [1], { bins: 2 }).apply([0.8])).toEqual([0.8]); // empty bin: unchanged
    // c = 1 falls in the last bin: 1 -> min(floor(4 * 1), 3) = 3
    const cal = fitHistogramBinning([1, 0.8, 0.3], [0, 1, 1], { bins: 4 });
    expect(cal.params).toEqual({ method: 'histogram', bins: 4, accuracies: [null, 1, null, 0.5] });
    expect(cal.apply([1, 0.05])).toEqual([0.5, 0.05]);
  });

  it('defines the edge cases', () => {
    expect(() => fitHistogramBinning([0.5], [1], { bins: 0 })).toThrow(/options.bins must be a positive integer, got 0/);
    expect(() => fitHistogramBinning([1.2], [1])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got 1.2/);
    expect(() => fitHistogramBinning([], [])).toThrow(/empty input/);
    expect(() => histogramCalibrator([])).toThrow(/accuracies is empty/);
    expect(() => histogramCalibrator([1.5])).toThrow(/accuracies\[0\] must be in \[0, 1\] or null, got 1.5/);
    expect(() => histogramCalibrator([0.5]).apply([Number.NaN])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got NaN/);
  });
});
