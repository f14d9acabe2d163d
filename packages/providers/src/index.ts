/**
 * @trustbench/providers: API models behind the Trust Bench `LanguageModel` contract.
 */
export { parseModelId } from './model-id.js';
export type { ParsedModelId, ProviderName } from './model-id.js';
