/**
 * A tiny Qwen3.5 with a planted, known behaviour, for testing signals, probes, patching and steering.
 */
export { plantedCheckpoint, plantedFactItems, plantedPrompts } from './planted-checkpoint.js';
export type { PlantedCheckpoint, PlantedFact, PlantedOptions } from './planted-checkpoint.js';
export { readPlantedGroundTruth, writePlantedCheckpoint } from './write-planted-checkpoint.js';
export type { PlantedGroundTruth } from './write-planted-checkpoint.js';
