/**
 * @trustbench/calibrate: post-hoc calibration fitted on one split and applied on another; every calibrator serialises
 * to JSON parameters.
 */
export type { Calibrator, CalibratorParams } from './calibrator.js';
export { fitTemperature, fitTemperatureCalibrator, scaleLogits, temperatureCalibrator } from './temperature-scaling.js';
export { fitPlatt, plattCalibrator } from './platt-scaling.js';
export { fitIsotonic, isotonicCalibrator } from './isotonic-regression.js';
export { fitHistogramBinning, histogramCalibrator } from './histogram-binning.js';
export { calibratorFromParams } from './from-params.js';
export { binaryNll, crossValidateCalibration, evaluateCalibrator } from './evaluate.js';
export type { CalibrationComparison, CalibrationEvaluation } from './evaluate.js';
