/**
 * @trustbench/loop: profile, diagnose, fix, verify.
 */
export { failedGates, parseFailUnder } from './fail-under.js';
export type { FailUnderGate } from './fail-under.js';
