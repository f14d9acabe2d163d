/**
 * Test helpers for code built on `@trustbench/core`: a deterministic mock model and a byte tokenizer.
 */
export { createMockModel } from './mock-model.js';
export type { MockModel, MockModelOptions, MockRule } from './mock-model.js';
export { createByteTokenizer } from './byte-tokenizer.js';
