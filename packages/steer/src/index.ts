/**
 * @trustbench/steer: repairs by representation engineering and constitutional critique-and-revise.
 */
export { steeringInterventions } from './steering-vector.js';
export type { SteeringVector } from './steering-vector.js';
