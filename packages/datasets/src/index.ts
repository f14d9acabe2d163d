/**
 * @trustbench/datasets: TrustLLM's six dimensions and the safety / ambiguity / reasoning sets.
 */
export { TRUSTLLM_DIMENSIONS } from './task.js';
export type { Dimension } from './task.js';
