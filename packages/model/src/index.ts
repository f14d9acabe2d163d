/**
 * @trustbench/model: Qwen3.5 written from scratch, with a readable typed-array reference engine and hook
 * points at every layer.
 */
export { loadModel, resolveModelSource } from './load-model.js';
export type { LoadModelOptions } from './load-model.js';
export { loadEngineModel } from './load-engine-model.js';
export type { EngineChoice } from './load-engine-model.js';
export { createReferenceModel } from './model.js';
export type { ReferenceModel, ReferenceModelParts } from './model.js';
export type { ReferenceGenerateOptions } from './generate.js';
export { parseQwen35Config, readQwen35Config } from './config.js';
export type { Qwen35Config } from './config.js';
export { loadQwen35Weights } from './weights.js';
export type { BlockWeights, FullAttentionBlockWeights, LinearAttentionBlockWeights, LoadProgress, Qwen35Weights } from './weights.js';
export { loadTokenizer } from './tokenizer.js';
export { openSafetensors, writeSafetensors } from './safetensors.js';
export type { SafetensorsDtype, SafetensorsFile, TensorInfo, TensorToWrite } from './safetensors.js';
export { blockEntries, convDim, globalEntries } from './weight-map.js';
export type { WeightEntry } from './weight-map.js';
export { cloneSequenceState, createSequenceState } from './cache.js';
export type { DeltaNetState, KvCache, SequenceState } from './cache.js';
export { chunkedDeltaRule, recurrentDeltaRule } from './delta-rule.js';
export type { DeltaRuleInputs } from './delta-rule.js';
export { deltaNetEffectiveAttention, effectiveAttention } from './effective-attention.js';
export { gatedRmsNorm, rmsNorm1p } from './rms-norm.js';
export { sampleToken } from './sampling.js';
export { createStepDecoder } from './step-decoder.js';
export type { StepDecoderParts } from './step-decoder.js';
export { createOnnxModel } from './onnx/onnx-model.js';
export type { OnnxModel, OnnxModelOptions, OnnxModelParts } from './onnx/onnx-model.js';
export { loadOnnxModel } from './onnx/load-onnx-model.js';
export type { GlobalWeights, WeightSource } from './onnx/build-engine.js';
export { parsePrecision, WEIGHT_PRECISIONS } from './onnx/precision.js';
export type { WeightPrecision } from './onnx/precision.js';
export { ONNX_DEVICES, parseDevice } from './onnx/session.js';
export type { OnnxDevice } from './onnx/session.js';
