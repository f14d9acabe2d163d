/**
 * Google's Gemini `generateContent` API, with log-probabilities (`responseLogprobs`) when asked.
 */
import { toMessages, type GenerateResult, type TokenLogprob } from '@trustbench/core';
import { createApiModel, field, isArray, type ApiModel, type ApiModelOptions } from './api-model.js';

/** Options of a Gemini model. */
export interface GeminiOptions extends ApiModelOptions {
  readonly model: string;
  readonly apiKey: string;
  /** Default `https://generativelanguage.googleapis.com`. */
  readonly baseURL?: string;
}

interface GeminiCandidate {
  content?: { parts?: { text?: string }[] };
  finishReason?: string;
  logprobsResult?: {
    chosenCandidates?: { token: string; logProbability: number }[];
    topCandidates?: { candidates?: { token: string; logProbability: number }[] }[];
  };
}

/**
 * Creates a Gemini model.
 *
 * @example
 * const model = createGeminiModel({ model: 'gemini-2.5-flash', apiKey: resolveApiKey('google')! });
 */
export function createGeminiModel(options: GeminiOptions): ApiModel {
  const baseURL = (options.baseURL ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
  const id = `google:${options.model}`;
  return createApiModel(
    {
      id,
      secrets: [options.apiKey],
      capabilities: { logprobs: true, scoreContinuations: false, tokenizer: false, forward: false, whiteBox: false },
      buildRequest: (prompt, o) => {
        const messages = toMessages(prompt);
        const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
        return {
          url: `${baseURL}/v1beta/models/${encodeURIComponent(options.model)}:generateContent`,
          headers: { 'x-goog-api-key': options.apiKey },
          body: {
            contents: messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
            ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}),
            generationConfig: {
              maxOutputTokens: o.maxTokens,
              temperature: o.temperature,
              topP: o.topP,
              topK: o.topK,
              seed: o.seed,
              stopSequences: o.stop && o.stop.length > 0 ? o.stop : undefined,
              responseLogprobs: o.logprobs || undefined,
              logprobs: o.logprobs && o.topLogprobs ? o.topLogprobs : undefined,
            },
          },
        };
      },
      parseReply: (json, o): GenerateResult => {
        const [candidate] = field(json, ['candidates'], id, isArray) as GeminiCandidate[];
        const usage = (json as { usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number } }).usageMetadata;
        const chosen = candidate?.logprobsResult?.chosenCandidates;
        const logprobs: TokenLogprob[] | undefined =
          o.logprobs && chosen
            ? chosen.map((c, i) => {
                const top = candidate?.logprobsResult?.topCandidates?.[i]?.candidates;
                return { token: c.token, logprob: c.logProbability, ...(top ? { top: top.map((t) => ({ token: t.token, logprob: t.logProbability })) } : {}) };
              })
            : undefined;
        return {
          text: (candidate?.content?.parts ?? []).map((p) => p.text ?? '').join(''),
          finishReason: candidate?.finishReason === 'MAX_TOKENS' ? 'length' : 'stop',
          usage: { promptTokens: usage?.promptTokenCount ?? 0, completionTokens: usage?.candidatesTokenCount ?? 0 },
          ...(logprobs ? { logprobs } : {}),
        };
      },
    },
    options,
  ).model;
}
