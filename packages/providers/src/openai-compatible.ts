/**
 * OpenAI-compatible chat and completions APIs: OpenAI, xAI, and self-hosted vLLM, SGLang, Ollama,
 * llama.cpp servers and `trustbench serve`. Log-probabilities come from chat `logprobs`; continuation
 * scoring only where it can be done honestly: `/completions` with `echo` + `logprobs` (opt in with
 * `completions: true` when the server supports it).
 */
import {
  CapabilityError, InputError, toMessages, type ContinuationRequest, type ContinuationScore, type GenerateOptions, type GenerateResult,
  type TokenLogprob,
} from '@trustbench/core';
import { createApiModel, field, isArray, isNumber, isString, type ApiModel, type ApiModelOptions } from './api-model.js';

/** Options of an OpenAI-compatible model. */
export interface OpenAICompatibleOptions extends ApiModelOptions {
  /** e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  readonly baseURL: string;
  readonly model: string;
  readonly apiKey?: string;
  /** The id reported by the model; default `openai-compatible:<baseURL>#<model>`. */
  readonly id?: string;
  /** The server offers `/completions` with `echo` and `logprobs` (vLLM, SGLang, trustbench serve): enables `scoreContinuations`. */
  readonly completions?: boolean;
  /** The server returns chat `logprobs` (OpenAI, vLLM, trustbench serve). Default true. */
  readonly logprobs?: boolean;
}

/**
 * Creates an OpenAI-compatible model.
 *
 * @example
 * const model = createOpenAICompatibleModel({ baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen', completions: true });
 * const { text } = await model.generate('Is the sky blue?', { maxTokens: 16 });
 */
export function createOpenAICompatibleModel(options: OpenAICompatibleOptions): ApiModel {
  const baseURL = options.baseURL.replace(/\/+$/, '');
  const id = options.id ?? `openai-compatible:${baseURL}#${options.model}`;
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  const { model, postJson } = createApiModel(
    {
      id,
      secrets: [options.apiKey],
      capabilities: { logprobs: options.logprobs ?? true, scoreContinuations: options.completions ?? false, tokenizer: false, forward: false, whiteBox: false },
      buildRequest: (prompt, o) => ({
        url: `${baseURL}/chat/completions`,
        headers,
        body: {
          model: options.model,
          messages: toMessages(prompt),
          max_tokens: o.maxTokens,
          temperature: o.temperature,
          top_p: o.topP,
          seed: o.seed,
          stop: o.stop && o.stop.length > 0 ? o.stop : undefined,
          logprobs: o.logprobs || undefined,
          top_logprobs: o.logprobs && o.topLogprobs ? o.topLogprobs : undefined,
        },
      }),
      parseReply: (json, o) => parseChat(json, o, id),
    },
    options,
  );
  if (!options.completions) return model;
  return {
    ...model,
    async scoreContinuations(requests: readonly ContinuationRequest[], opts: { readonly signal?: AbortSignal } = {}): Promise<ContinuationScore[]> {
      return Promise.all(
        requests.map(async ({ context, continuation }) => {
          if (typeof context !== 'string') {
            throw new InputError(`${id}: scoreContinuations over HTTP needs a string context (the server's chat template is not visible); got chat messages`);
          }
          // lm-eval-harness's boundary: trailing context whitespace belongs to the continuation.
          const ctx = context.replace(/\s+$/u, '');
          const cont = context.slice(ctx.length) + continuation;
          const json = await postJson(
            { url: `${baseURL}/completions`, headers, body: { model: options.model, prompt: ctx + cont, max_tokens: 0, echo: true, logprobs: 1, temperature: 0 } },
            0,
            opts.signal,
          );
          return scoreEcho(json, ctx.length, id);
        }),
      );
    },
  };
}

function parseChat(json: unknown, o: GenerateOptions, id: string): GenerateResult {
  const text = field(json, ['choices', 0, 'message', 'content'], id, (v): v is string | null => v === null || isString(v)) ?? '';
  const reason = field(json, ['choices', 0, 'finish_reason'], id, (v): v is string | null => v === null || isString(v));
  const usage = (json as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage;
  const content = (json as { choices?: { logprobs?: { content?: unknown } }[] }).choices?.[0]?.logprobs?.content;
  const logprobs: TokenLogprob[] | undefined =
    o.logprobs && Array.isArray(content)
      ? content.map((t: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }) => ({
          token: t.token,
          logprob: t.logprob,
          ...(t.top_logprobs ? { top: t.top_logprobs.map((x) => ({ token: x.token, logprob: x.logprob })) } : {}),
        }))
      : undefined;
  return {
    text,
    finishReason: reason === 'length' ? 'length' : 'stop',
    usage: { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 },
    ...(logprobs ? { logprobs } : {}),
  };
}

function scoreEcho(json: unknown, contextChars: number, id: string): ContinuationScore {
  const tokens = field(json, ['choices', 0, 'logprobs', 'tokens'], id, isArray) as string[];
  const lps = field(json, ['choices', 0, 'logprobs', 'token_logprobs'], id, isArray) as (number | null)[];
  const offsets = field(json, ['choices', 0, 'logprobs', 'text_offset'], id, isArray) as number[];
  const tops = (json as { choices: { logprobs: { top_logprobs?: (Record<string, number> | null)[] } }[] }).choices[0]?.logprobs.top_logprobs;
  let logprob = 0;
  let isGreedy = true;
  let tokenCount = 0;
  tokens.forEach((token, i) => {
    if ((offsets[i] as number) < contextChars) return;
    const lp = lps[i];
    if (!isNumber(lp)) throw new CapabilityError(`${id}: the server returned no log-probability for continuation token ${i}; it cannot score continuations`);
    logprob += lp;
    tokenCount++;
    const top = tops?.[i];
    if (top) {
      const best = Object.entries(top).reduce((a, b) => (b[1] > a[1] ? b : a));
      if (best[0] !== token) isGreedy = false;
    } else isGreedy = false;
  });
  return { logprob, isGreedy, tokenCount };
}
