/**
 * @trustbench/signals: white-box trust signals and causal diagnosis, split by attention type.
 */
export { tokenEntropy } from './token-entropy.js';
export { directLogitAttribution } from './logit-attribution.js';
export type { LayerAttribution } from './logit-attribution.js';
export { patchLastPosition } from './activation-patching.js';
export type { PatchEffect } from './activation-patching.js';
export { fitProbe, probeLayers } from './probe.js';
export type { LayerProbe, Probe } from './probe.js';
