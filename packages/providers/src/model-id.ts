/**
 * Model ids name where a model lives: `openai:<model>`, `anthropic:<model>`, `google:<model>`,
 * `xai:<model>`, `openai-compatible:<baseURL>#<model>` or `local:<dir>`.
 */
import { ConfigError } from '@trustbench/core';

/** The providers Trust Bench can reach. */
export type ProviderName = 'openai' | 'anthropic' | 'google' | 'xai' | 'openai-compatible' | 'local';

/** A parsed model id. */
export type ParsedModelId =
  | { readonly provider: 'openai' | 'anthropic' | 'google' | 'xai'; readonly model: string }
  | { readonly provider: 'openai-compatible'; readonly baseURL: string; readonly model: string }
  | { readonly provider: 'local'; readonly path: string };

const SIMPLE = new Set(['openai', 'anthropic', 'google', 'xai']);

/**
 * Parses a model id.
 *
 * @throws {ConfigError} naming the id, what was expected and what was found.
 * @example
 * parseModelId('openai-compatible:http://127.0.0.1:8000/v1#qwen') // { provider: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen' }
 */
export function parseModelId(id: string): ParsedModelId {
  const colon = id.indexOf(':');
  const provider = colon > 0 ? id.slice(0, colon) : '';
  const rest = colon > 0 ? id.slice(colon + 1) : '';
  if (SIMPLE.has(provider) && rest.length > 0) return { provider: provider as 'openai', model: rest };
  if (provider === 'local' && rest.length > 0) return { provider: 'local', path: rest };
  if (provider === 'openai-compatible') {
    const hash = rest.lastIndexOf('#');
    const baseURL = hash > 0 ? rest.slice(0, hash) : '';
    const model = hash > 0 ? rest.slice(hash + 1) : '';
    if (!/^https?:\/\//.test(baseURL) || model.length === 0) {
      throw new ConfigError(`model id "${id}": expected openai-compatible:<http(s) base URL>#<model>, got base URL "${baseURL}" and model "${model}"`);
    }
    return { provider: 'openai-compatible', baseURL, model };
  }
  throw new ConfigError(
    `model id "${id}": expected <provider>:<model> with provider one of openai, anthropic, google, xai, openai-compatible, local; got provider "${provider}" and model "${rest}"`,
  );
}
