import { createRandom } from '@trustbench/core';
import { expectedCalibrationError } from '@trustbench/metrics';
import { describe, expect, it } from 'vitest';
import type { CalibratorParams } from './calibrator.js';
import { calibratorFromParams } from './from-params.js';
import { fitHistogramBinning } from './histogram-binning.js';
import { fitIsotonic } from './isotonic-regression.js';
import { fitPlatt } from './platt-scaling.js';
import { fitTemperatureCalibrator } from './temperature-scaling.js';

// Over-confident binary data: confidence c, true accuracy c - 0.25.
const r = createRandom(7);
const c = Array.from({ length: 4000 }, () => 0.5 + 0.5 * r.next());
const y = c.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1);
const heldC = Array.from({ length: 4000 }, () => 0.5 + 0.5 * r.next());
const heldY = heldC.map((x) => (r.next() < x - 0.25 ? 1 : 0) as 0 | 1);

describe('every calibrator, fitted on one split and applied on another', () => {
  it.each([['platt', fitPlatt], ['isotonic', fitIsotonic], ['histogram', fitHistogramBinning], ['temperature', fitTemperatureCalibrator]] as const)('%s lowers held-out ECE and round-trips through JSON', (_, fit) => {
    const cal = fit(c, y);
    const after = cal.apply(heldC);
    expect(expectedCalibrationError(after, heldY)).toBeLessThan(expectedCalibrationError(heldC, heldY));
    const restored = calibratorFromParams(JSON.parse(JSON.stringify(cal.params)) as CalibratorParams);
    expect(restored.params).toEqual(cal.params);
    expect(restored.apply(heldC)).toEqual(after);
  });
});

describe('calibratorFromParams', () => {
  it('rejects malformed parameters read from a file', () => {
    const bad = (p: unknown) => () => calibratorFromParams(p as CalibratorParams);
    expect(bad({ method: 'vector' })).toThrow(/unknown method "vector"; expected temperature, platt, isotonic or histogram/);
    expect(bad(null)).toThrow(/params must be an object, got null/);
    expect(bad({ method: 'temperature', temperature: '2' })).toThrow(/temperature must be a positive finite number, got 2/);
    expect(bad({ method: 'platt', a: 1 })).toThrow(/b must be a finite number, got undefined/);
    expect(bad({ method: 'isotonic', thresholds: [0.1] })).toThrow(/need arrays thresholds and values/);
    expect(bad({ method: 'histogram', bins: 3, accuracies: [0.5, null] })).toThrow(/bins equal to the number of accuracies, got bins 3 and 2 accuracies/);
  });
});
