/**
 * A tiny Qwen3.5 with a planted, known behaviour, for testing signals, probes, patching and steering.
 */
export { plantedCheckpoint, plantedPrompts } from './planted-checkpoint.js';
export type { PlantedCheckpoint, PlantedOptions } from './planted-checkpoint.js';
