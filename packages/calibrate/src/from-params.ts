/**
 * Rebuilding a calibrator from its JSON parameters (as stored in a report).
 */
import { InputError } from '@trustbench/core';
import type { Calibrator, CalibratorParams } from './calibrator.js';
import { histogramCalibrator } from './histogram-binning.js';
import { isotonicCalibrator } from './isotonic-regression.js';
import { plattCalibrator } from './platt-scaling.js';
import { temperatureCalibrator } from './temperature-scaling.js';

/**
 * The calibrator that `params` describe.
 *
 * @throws {InputError} for an unknown method or missing fields.
 * @example
 * calibratorFromParams(JSON.parse(JSON.stringify(fitted.params))).apply([0.8])
 */
export function calibratorFromParams(params: CalibratorParams): Calibrator {
  switch (params.method) {
    case 'temperature':
      return temperatureCalibrator(params.temperature);
    case 'platt':
      return plattCalibrator(params.a, params.b);
    case 'isotonic':
      if (params.thresholds.length !== params.values.length || params.values.length === 0) throw new InputError('calibratorFromParams: isotonic thresholds and values must be non-empty and of equal length');
      return isotonicCalibrator(params.thresholds, params.values);
    case 'histogram':
      return histogramCalibrator(params.accuracies);
    default:
      throw new InputError(`calibratorFromParams: unknown method ${JSON.stringify((params as { method?: unknown }).method)}; expected temperature, platt, isotonic or histogram`);
  }
}
