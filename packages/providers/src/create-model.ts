/**
 * One entry point from a model id to a `LanguageModel`.
 */
import { ConfigError, type LanguageModel } from '@trustbench/core';
import { createAnthropicModel } from './anthropic.js';
import { resolveApiKey } from './api-keys.js';
import type { ApiModelOptions } from './api-model.js';
import { createGeminiModel } from './gemini.js';
import { parseModelId } from './model-id.js';
import { createOpenAICompatibleModel } from './openai-compatible.js';

/** Options of `createModel`. */
export interface CreateModelOptions extends ApiModelOptions {
  /** Where keys come from; default `process.env`, then `.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly envFile?: string;
  /** For `openai-compatible:` ids: the server offers `/completions` with `echo` (enables `scoreContinuations`). */
  readonly completions?: boolean;
  /** Loads `local:<dir>` models (e.g. `loadModel` from `@trustbench/model`); providers itself stays free of the engine. */
  readonly loadLocal?: (dir: string) => Promise<LanguageModel>;
}

/**
 * Creates a model from its id: `openai:<model>`, `anthropic:<model>`, `google:<model>`, `xai:<model>`,
 * `openai-compatible:<baseURL>#<model>` or `local:<dir>`.
 *
 * @throws {ConfigError} for a malformed id, a missing key (naming the variable), or `local:` without `loadLocal`.
 * @example
 * const model = await createModel('openai-compatible:http://127.0.0.1:8000/v1#qwen', { cacheDir: '.trustbench/cache' });
 */
export async function createModel(id: string, options: CreateModelOptions = {}): Promise<LanguageModel> {
  const parsed = parseModelId(id);
  const keyOptions = { ...(options.env ? { env: options.env } : {}), ...(options.envFile ? { envFile: options.envFile } : {}) };
  switch (parsed.provider) {
    case 'local':
      if (!options.loadLocal) throw new ConfigError(`model id "${id}": local models need a loader; pass loadLocal (e.g. loadModel from @trustbench/model)`);
      return options.loadLocal(parsed.path);
    case 'openai':
    case 'xai': {
      const apiKey = resolveApiKey(parsed.provider, keyOptions) as string;
      const baseURL = parsed.provider === 'openai' ? 'https://api.openai.com/v1' : 'https://api.x.ai/v1';
      return createOpenAICompatibleModel({ ...options, id, baseURL, model: parsed.model, apiKey, completions: false });
    }
    case 'openai-compatible': {
      const apiKey = resolveApiKey('openai-compatible', { ...keyOptions, required: false });
      return createOpenAICompatibleModel({ ...options, id, baseURL: parsed.baseURL, model: parsed.model, ...(apiKey ? { apiKey } : {}), completions: options.completions ?? false });
    }
    case 'anthropic':
      return createAnthropicModel({ ...options, model: parsed.model, apiKey: resolveApiKey('anthropic', keyOptions) as string });
    case 'google':
      return createGeminiModel({ ...options, model: parsed.model, apiKey: resolveApiKey('google', keyOptions) as string });
  }
}
