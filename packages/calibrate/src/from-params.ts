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
 * The calibrator that `params` describe: `calibratorFromParams(JSON.parse(JSON.stringify(c.params)))` applies exactly
 * as `c` does. Parameters read from a file are checked as strictly as fitted ones.
 *
 * @param params The `params` of a fitted calibrator, possibly read back from JSON.
 * @returns The calibrator.
 * @throws {InputError} for an unknown method, missing or malformed fields (each constructor's checks), or a histogram
 *   whose `bins` differs from its number of accuracies.
 * @example
 * calibratorFromParams(JSON.parse(JSON.stringify(fitted.params))).apply([0.8])
 */
export function calibratorFromParams(params: CalibratorParams): Calibrator {
  if (typeof params !== 'object' || params === null) throw new InputError(`calibratorFromParams: params must be an object, got ${String(params)}`);
  switch (params.method) {
    case 'temperature':
      return temperatureCalibrator(params.temperature);
    case 'platt':
      return plattCalibrator(params.a, params.b);
    case 'isotonic':
      if (!Array.isArray(params.thresholds) || !Array.isArray(params.values)) throw new InputError('calibratorFromParams: isotonic params need arrays thresholds and values');
      return isotonicCalibrator(params.thresholds, params.values);
    case 'histogram':
      if (!Array.isArray(params.accuracies) || params.bins !== params.accuracies.length) throw new InputError(`calibratorFromParams: histogram params need bins equal to the number of accuracies, got bins ${String(params.bins)} and ${Array.isArray(params.accuracies) ? params.accuracies.length : 'no'} accuracies`);
      return histogramCalibrator(params.accuracies);
    default:
      throw new InputError(`calibratorFromParams: unknown method ${JSON.stringify((params as { method?: unknown }).method)}; expected temperature, platt, isotonic or histogram`);
  }
}
