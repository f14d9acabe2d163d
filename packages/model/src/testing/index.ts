/**
 * Test helpers for Qwen3.5 code: tiny configs, seeded random weights, and Hugging Face folders written
 * from them.
 */
export { randomQwen35Weights, tinyQwen35Config, toHfConfig, writeCheckpoint } from './random-checkpoint.js';
export type { WriteCheckpointOptions } from './random-checkpoint.js';
export { formatLayerDiff, layerDiff } from './layer-diff.js';
export type { HookDiff, LayerDiff } from './layer-diff.js';
