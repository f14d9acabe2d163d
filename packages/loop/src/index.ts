/**
 * @trustbench/loop: profile, diagnose, fix, verify, with journaled runs and self-contained reports.
 */
export { failedGates, parseFailUnder } from './fail-under.js';
export type { FailUnderGate } from './fail-under.js';
export { openJournal } from './journal.js';
export type { Journal } from './journal.js';
export { itemKey, profile, scoreItem, selectItems } from './profile.js';
export type { ItemRecord, ProfileOptions } from './profile.js';
export { calibratable, diagnose } from './diagnose.js';
export type { DimensionDiagnosis, Suggestion } from './diagnose.js';
export { calibrationFix } from './calibration-fix.js';
export type { CalibrationFixResult, Verdict } from './calibration-fix.js';
export { itemsCsv, renderHtml } from './report.js';
export type { ReportData } from './report.js';
export { runLoop, writeReport } from './run-loop.js';
export type { LoopOptions, LoopResult, StageProgress } from './run-loop.js';
export { runProfile } from './run-loop.js';
export { readRun } from './run-folder.js';
export { compareItems } from './compare.js';
export type { DimensionComparison } from './compare.js';
export { LOOP_CONFIG_SCHEMA, parseConfig, readConfig } from './config.js';
export type { LoopConfig } from './config.js';
export { runDemo } from './demo.js';
export { locateFailures, choiceContext } from './locate-failures.js';
export type { FailureLocation, LayerEvidence } from './locate-failures.js';
export { steeringFix } from './steering-fix.js';
export type { SteeredItem, SteeringFixOptions, SteeringFixResult, SteeringSweepPoint } from './steering-fix.js';
export { itemSplit } from './item-splits.js';
export type { ItemSplit } from './item-splits.js';
export { repeatability } from './repeatability.js';
export { hashWeightFiles } from './weights-hash.js';
export type { DimensionRepeatability } from './repeatability.js';
export { critiqueFix } from './critique-fix.js';
export type { CritiquedItem, CritiqueFixOptions, CritiqueFixResult } from './critique-fix.js';
export { canBatch, generateBatched } from './batched-generate.js';
export type { BatchedRequest, BatchedResult, BatchingModel } from './batched-generate.js';
export type { DemoOptions } from './demo.js';
