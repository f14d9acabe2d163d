/**
 * @trustbench/metrics: pure, exact metric functions with their formulas documented.
 */
export { accuracy } from './accuracy.js';
