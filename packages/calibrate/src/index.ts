/**
 * @trustbench/calibrate: post-hoc calibration fitted on one split and applied on another.
 */
export type { Calibrator } from './calibrator.js';
