/**
 * @trustbench/signals: white-box trust signals and causal diagnosis, split by attention type.
 */
export { tokenEntropy } from './token-entropy.js';
export { logSoftmax, normaliseAnswer, optionMass, parseVerbalConfidence, sampleSelfConsistency, selfConsistency, sequenceSignals } from './output-signals.js';
export type { SelfConsistency, SequenceSignals } from './output-signals.js';
export { attentionStats } from './attention-stats.js';
export type { AttentionStats } from './attention-stats.js';
export { SIGNAL_NAMES } from './signal-record.js';
export type { SignalName, SignalRecord } from './signal-record.js';
export { collectSignals } from './collect-signals.js';
export type { CollectSignalsOptions, SignalItem } from './collect-signals.js';
export { SIGNAL_SCHEMA, openSignalFile, readSignalFile } from './record-file.js';
export type { SignalFileWriter } from './record-file.js';
export { compareSignals } from './compare-signals.js';
export type { ComparisonRow } from './compare-signals.js';
export { directLogitAttribution } from './logit-attribution.js';
export type { LayerAttribution } from './logit-attribution.js';
export { ablationEffects } from './ablation.js';
export type { AblationEffect } from './ablation.js';
export { patchLastPosition } from './activation-patching.js';
export type { PatchEffect } from './activation-patching.js';
export { fitProbe, probeLayers } from './probe.js';
export type { LayerProbe, Probe } from './probe.js';
