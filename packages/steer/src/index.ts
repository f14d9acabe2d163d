/**
 * @trustbench/steer: repairs by representation engineering (reading vectors, activation steering, sweeps) and by
 * constitutional critique-and-revise.
 */
export { steeringInterventions } from './steering-vector.js';
export type { SteeringVector } from './steering-vector.js';
export { readDirections } from './reading-vectors.js';
export type { ContrastPair, LayerReading, ReadingMethod } from './reading-vectors.js';
export { sweepSteering } from './steering-sweep.js';
export type { SweepPoint } from './steering-sweep.js';
export { loadSteeringVector, saveSteeringVector } from './vector-file.js';
export type { VectorProvenance } from './vector-file.js';
export { critiqueAndRevise, loadConstitution, toFineTuningJsonl } from './critique-and-revise.js';
export type { Constitution, CritiqueRecord, Principle, RevisionStep } from './critique-and-revise.js';
export { builtinPairs, loadPairs } from './pair-sets.js';
export type { StoredPair } from './pair-sets.js';
