/**
 * Anthropic's Messages API. No log-probabilities and no seed: the model declares neither, and sampled
 * runs are told apart in the cache by `repeatIndex`.
 */
import type { GenerateResult } from '@trustbench/core';
import { toMessages } from '@trustbench/core';
import { createApiModel, field, isArray, type ApiModel, type ApiModelOptions } from './api-model.js';

/** Options of an Anthropic model. */
export interface AnthropicOptions extends ApiModelOptions {
  readonly model: string;
  readonly apiKey: string;
  /** Default `https://api.anthropic.com`. */
  readonly baseURL?: string;
  /** `max_tokens` when a call gives none (the API requires it); default 1024. */
  readonly defaultMaxTokens?: number;
}

/**
 * Creates an Anthropic model.
 *
 * @example
 * const model = createAnthropicModel({ model: 'claude-sonnet-4-5', apiKey: resolveApiKey('anthropic')! });
 */
export function createAnthropicModel(options: AnthropicOptions): ApiModel {
  const baseURL = (options.baseURL ?? 'https://api.anthropic.com').replace(/\/+$/, '');
  const id = `anthropic:${options.model}`;
  return createApiModel(
    {
      id,
      secrets: [options.apiKey],
      capabilities: { logprobs: false, scoreContinuations: false, tokenizer: false, forward: false, whiteBox: false },
      buildRequest: (prompt, o) => {
        const messages = toMessages(prompt);
        const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
        return {
          url: `${baseURL}/v1/messages`,
          headers: { 'x-api-key': options.apiKey, 'anthropic-version': '2023-06-01' },
          body: {
            model: options.model,
            max_tokens: o.maxTokens ?? options.defaultMaxTokens ?? 1024,
            ...(system ? { system } : {}),
            messages: messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content })),
            temperature: o.temperature,
            top_p: o.topP,
            top_k: o.topK,
            stop_sequences: o.stop && o.stop.length > 0 ? o.stop : undefined,
          },
        };
      },
      parseReply: (json): GenerateResult => {
        const content = field(json, ['content'], id, isArray) as { type: string; text?: string }[];
        const reason = (json as { stop_reason?: string }).stop_reason;
        const usage = (json as { usage?: { input_tokens?: number; output_tokens?: number } }).usage;
        return {
          text: content.filter((c) => c.type === 'text').map((c) => c.text ?? '').join(''),
          finishReason: reason === 'max_tokens' ? 'length' : 'stop',
          usage: { promptTokens: usage?.input_tokens ?? 0, completionTokens: usage?.output_tokens ?? 0 },
        };
      },
    },
    options,
  ).model;
}
