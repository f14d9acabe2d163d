/**
 * @trustbench/providers: API models behind the Trust Bench `LanguageModel` contract, with a response
 * cache, concurrency limits, retries, and keys that never leave the request headers.
 */
export { parseModelId } from './model-id.js';
export type { ParsedModelId, ProviderName } from './model-id.js';
export { createModel } from './create-model.js';
export type { CreateModelOptions } from './create-model.js';
export { createOpenAICompatibleModel } from './openai-compatible.js';
export type { OpenAICompatibleOptions } from './openai-compatible.js';
export { createAnthropicModel } from './anthropic.js';
export type { AnthropicOptions } from './anthropic.js';
export { createGeminiModel } from './gemini.js';
export type { GeminiOptions } from './gemini.js';
export { ProviderError } from './api-model.js';
export type { ApiGenerateOptions, ApiModel, ApiModelOptions } from './api-model.js';
export { KEY_VARIABLES, parseDotEnv, redact, resolveApiKey } from './api-keys.js';
export { cacheKey, createResponseCache } from './response-cache.js';
export type { CacheStats, ResponseCache } from './response-cache.js';
export { fetchWithRetry, isRetryable, parseRetryAfter, RetriesExhaustedError } from './http/retry.js';
export type { RetryOptions } from './http/retry.js';
export { serveModel } from './serve/server.js';
export type { RunningServer, ServableModel, ServeOptions } from './serve/server.js';
export { createContinuousBatcher } from './serve/continuous-batcher.js';
export type { BatchableModel, BatchStats, ContinuousBatcher, ContinuousBatcherOptions } from './serve/continuous-batcher.js';
