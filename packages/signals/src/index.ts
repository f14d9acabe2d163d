/**
 * @trustbench/signals: white-box trust signals, split by attention type.
 */
export { tokenEntropy } from './token-entropy.js';
