/**
 * @trustbench/metrics: pure, exact metric functions, each documented with its formula, its rule for empty input, and
 * whether higher is better; plus the statistics that make them honest (bootstrap CIs, paired tests, corrections).
 */
export { accuracy } from './accuracy.js';
export { brierScore, expectedCalibrationError, maxCalibrationError, reliabilityBins } from './calibration-error.js';
export type { BinningOptions, BinningStrategy, ReliabilityBin } from './calibration-error.js';
export { aurc, auprc, auroc, averageRanks, riskCoverageCurve } from './ranking.js';
export type { RiskCoveragePoint } from './ranking.js';
export { accFromLoglikelihoods, accNormFromLoglikelihoods, logSoftmaxRow, multiclassBrier, negativeLogLikelihood, perplexity } from './multiclass.js';
export { agreementRate, attackSuccessRate, complianceRate, macroF1, pearson, rate, refusalRate, robustnessScore } from './task-scores.js';
export { fleissKappa, majorityAnswer, perItemAgreement } from './consistency.js';
export { bootstrapCI, pairedBootstrap, quantile } from './bootstrap.js';
export type { BootstrapInterval, BootstrapOptions, Statistic } from './bootstrap.js';
export { benjaminiHochberg, chiSquareIndependence, holm, mcnemarExact, minimumDetectableEffect } from './hypothesis-tests.js';
export type { ChiSquareResult } from './hypothesis-tests.js';
export { clarificationPatternClassifier, detectClarification, detectRefusal, refusalPatternClassifier } from './reply-classifiers.js';
export type { ReplyClassifier, ReplyVerdict } from './reply-classifiers.js';
