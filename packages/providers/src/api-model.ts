/**
 * The machinery every API model shares: a response cache keyed by the full request, a concurrency limit,
 * retries, and errors that never contain the API key. Provider files only say how to build a request and
 * how to read a reply.
 */
import { TrustBenchError, type GenerateOptions, type GenerateResult, type LanguageModel, type ModelCapabilities, type Prompt } from '@trustbench/core';
import pLimit from 'p-limit';
import { redact } from './api-keys.js';
import { fetchWithRetry, RetriesExhaustedError, type RetryOptions } from './http/retry.js';
import { cacheKey, createResponseCache, type CacheStats } from './response-cache.js';

/** An API call failed with a reply that retrying cannot fix (e.g. 400, 401, 404), or retries ran out. */
export class ProviderError extends TrustBenchError {
  constructor(message: string, readonly status: number | null) {
    super('provider_failed', message);
  }
}

/** Options every API model accepts. */
export interface ApiModelOptions {
  /** Folder of the response cache; `null` disables it (`--no-cache`). Default `null`. */
  readonly cacheDir?: string | null;
  /** Requests in flight at once; default 8. */
  readonly maxConcurrency?: number;
  readonly retry?: Omit<RetryOptions, 'signal'>;
}

/** `generate` options of API models: `repeatIndex` separates repeated samples of one request in the cache. */
export interface ApiGenerateOptions extends GenerateOptions {
  readonly repeatIndex?: number;
}

/** A built HTTP request. */
export interface ApiRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What a provider file supplies. */
export interface ApiModelSpec {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  /** Values that must never appear in an error, a log or a cache file. */
  readonly secrets: readonly (string | undefined)[];
  buildRequest(prompt: Prompt, options: GenerateOptions): ApiRequest;
  parseReply(json: unknown, options: GenerateOptions): GenerateResult;
}

/** An API model, with its cache statistics and a JSON POST it shares with extra capabilities. */
export interface ApiModel extends LanguageModel {
  readonly cacheStats: Readonly<CacheStats>;
  generate(prompt: Prompt, options?: ApiGenerateOptions): Promise<GenerateResult>;
}

/** A JSON POST through the model's cache, limiter and retries. */
export type PostJson = (request: ApiRequest, cacheRepeat: number, signal?: AbortSignal) => Promise<unknown>;

/**
 * Builds an API model from a provider spec.
 *
 * @example
 * const { model } = createApiModel(spec, { cacheDir: '.trustbench/cache', maxConcurrency: 16 });
 */
export function createApiModel(spec: ApiModelSpec, options: ApiModelOptions = {}): { model: ApiModel; postJson: PostJson } {
  const cache = createResponseCache(options.cacheDir ?? null);
  const limit = pLimit(options.maxConcurrency ?? 8);
  const postJson: PostJson = async (request, cacheRepeat, signal) => {
    const key = cacheKey({ url: request.url.replace(/([?&]key=)[^&]*/, '$1'), body: request.body }, cacheRepeat);
    const cached = await cache.get<unknown>(key);
    if (cached !== undefined) return cached;
    const json = await limit(async () => {
      let res: Response;
      try {
        res = await fetchWithRetry(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body) }, {
          ...options.retry,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (error instanceof RetriesExhaustedError) throw new ProviderError(`${spec.id}: ${redact(error.message, spec.secrets)}`, error.status);
        throw error;
      }
      const text = await res.text();
      if (!res.ok) {
        throw new ProviderError(`${spec.id}: ${new URL(request.url).pathname} answered HTTP ${res.status}: ${redact(text.slice(0, 500), spec.secrets)}`, res.status);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ProviderError(`${spec.id}: ${new URL(request.url).pathname} answered HTTP ${res.status} with a body that is not JSON: ${redact(text.slice(0, 200), spec.secrets)}`, res.status);
      }
    });
    await cache.set(key, json);
    return json;
  };
  const model: ApiModel = {
    id: spec.id,
    capabilities: spec.capabilities,
    cacheStats: cache.stats,
    async generate(prompt, opts = {}) {
      const request = spec.buildRequest(prompt, opts);
      const json = await postJson(request, opts.repeatIndex ?? 0, opts.signal);
      const result = spec.parseReply(json, opts);
      opts.onText?.(result.text);
      return result;
    },
  };
  return { model, postJson };
}

/** Reads a nested field of an API reply, or throws a `ProviderError` naming the path and what was found. */
export function field<T>(json: unknown, pathParts: readonly (string | number)[], modelId: string, check: (v: unknown) => v is T): T {
  let v: unknown = json;
  for (const p of pathParts) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  if (!check(v)) throw new ProviderError(`${modelId}: unexpected reply: ${pathParts.join('.')} is ${JSON.stringify(v)?.slice(0, 80) ?? 'undefined'}`, null);
  return v;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number';
export const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
