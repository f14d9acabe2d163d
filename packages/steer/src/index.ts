/**
 * @trustbench/steer: repairs by representation engineering (reading vectors, activation steering, sweeps) and by
 * constitutional critique-and-revise.
 */
export { BUILTIN_PAIR_SETS, builtinPairs, loadPairs } from './contrast-pairs.js';
export type { BuiltinPairSetName, ContrastPair, PairSet } from './contrast-pairs.js';
export { readDirections, summariseByLayerType } from './reading-vectors.js';
export type { LayerReading, LayerTypeSummary, ReadingMethod, ReadOptions } from './reading-vectors.js';
export { projectOutInterventions, steeringInterventions } from './steering-vector.js';
export type { SteeringPlacement, SteeringPositions, SteeringVector } from './steering-vector.js';
export { neutralLogLikelihood, utilityAccuracy } from './side-effects.js';
export type { SteeringMetric, UtilityItem } from './side-effects.js';
export { comparePlacement, sweepSteering } from './steering-sweep.js';
export type { PlacementSummary, SweepOptions, SweepPoint } from './steering-sweep.js';
export { loadSteeringVector, saveSteeringVector } from './vector-file.js';
export type { StoredSteeringVector, VectorProvenance } from './vector-file.js';
export { critiqueAndRevise, loadConstitution, toFineTuningJsonl } from './critique-and-revise.js';
export type { Constitution, CritiqueOptions, CritiqueRecord, Principle, RevisionStep } from './critique-and-revise.js';
