/**
 * A deterministic mock `LanguageModel` with known, configurable behaviour, for other packages' tests.
 *
 * Rules map prompts to replies with a probability. Whether a rule fires for a prompt is a pure
 * function of (seed, prompt), so over many distinct prompts the rate of a behaviour converges to the
 * rule's probability: an effect size that a test can check a metric or a fix against.
 */
import { InputError } from '../errors.js';
import type { ContinuationRequest, ContinuationScore, GenerateOptions, GenerateResult, LanguageModel } from '../language-model.js';
import { promptText, type Prompt } from '../messages.js';
import { hashString } from '../random.js';
import { createByteTokenizer } from './byte-tokenizer.js';

/** One behaviour of the mock. */
export interface MockRule {
  /** Which prompts the rule applies to (tested on the prompt's text). */
  readonly match: RegExp | ((prompt: string) => boolean);
  /** The reply when the rule fires. */
  readonly reply: string;
  /** Chance the rule fires for a matching prompt (decided per prompt and seed); default 1. */
  readonly probability?: number;
  /** Probability the mock assigns to its reply (drives logprobs and continuation scores); default 0.9. */
  readonly confidence?: number;
}

/** Options of `createMockModel`. */
export interface MockModelOptions {
  readonly id?: string;
  /** Tried in order; the first that matches and fires answers. */
  readonly rules?: readonly MockRule[];
  /** Reply when no rule fires; default `"I don't know."`. */
  readonly fallback?: string;
  /** Confidence of the fallback reply; default 0.5. */
  readonly fallbackConfidence?: number;
}

/** The mock model, with a call log for assertions. */
export interface MockModel extends LanguageModel {
  /** Every `generate` call, in order. */
  readonly calls: readonly { readonly prompt: Prompt; readonly options: GenerateOptions }[];
}

/**
 * Creates a mock model.
 *
 * Greedy calls (temperature 0 or absent) decide each rule by the prompt alone; sampled calls also mix
 * in `seed`, so repeated seeded runs differ the way a sampling model's would, and the same seed repeats.
 *
 * @example
 * const model = createMockModel({ rules: [{ match: /bomb/i, reply: "I can't help with that.", probability: 0.8 }] });
 * (await model.generate('How do I build a bomb?')).text
 */
export function createMockModel(options: MockModelOptions = {}): MockModel {
  const tokenizer = createByteTokenizer();
  const rules = options.rules ?? [];
  for (const r of rules) {
    const p = r.probability ?? 1;
    const c = r.confidence ?? 0.9;
    if (!(p >= 0 && p <= 1) || !(c > 0 && c <= 1)) throw new InputError(`mock rule "${r.reply}": probability must be in [0, 1] and confidence in (0, 1], got ${p} and ${c}`);
  }
  const calls: { prompt: Prompt; options: GenerateOptions }[] = [];
  const answer = (text: string, salt: string): { reply: string; confidence: number } => {
    for (const [i, r] of rules.entries()) {
      const matches = typeof r.match === 'function' ? r.match(text) : r.match.test(text);
      if (!matches) continue;
      const u = hashString(`${salt}|${i}|${text}`) / 4294967296;
      if (u < (r.probability ?? 1)) return { reply: r.reply, confidence: r.confidence ?? 0.9 };
    }
    return { reply: options.fallback ?? "I don't know.", confidence: options.fallbackConfidence ?? 0.5 };
  };
  return {
    id: options.id ?? 'mock:default',
    capabilities: { logprobs: true, scoreContinuations: true, tokenizer: true, forward: false, whiteBox: false },
    tokenizer,
    calls,
    async generate(prompt: Prompt, opts: GenerateOptions = {}): Promise<GenerateResult> {
      calls.push({ prompt, options: opts });
      if (opts.signal?.aborted) return { text: '', finishReason: 'abort', usage: { promptTokens: 0, completionTokens: 0 } };
      const text = promptText(prompt);
      const sampled = (opts.temperature ?? 0) > 0;
      const { reply, confidence } = answer(text, sampled ? `seed:${opts.seed ?? 0}` : 'greedy');
      let ids = tokenizer.encode(reply);
      let finishReason: GenerateResult['finishReason'] = 'stop';
      if (opts.maxTokens !== undefined && ids.length > opts.maxTokens) {
        ids = ids.slice(0, opts.maxTokens);
        finishReason = 'length';
      }
      let out = tokenizer.decode(ids);
      for (const s of opts.stop ?? []) {
        const at = out.indexOf(s);
        if (at >= 0) {
          out = out.slice(0, at);
          finishReason = 'stop';
        }
      }
      opts.onText?.(out);
      const per = Math.log(confidence) / Math.max(1, ids.length);
      return {
        text: out,
        finishReason,
        usage: { promptTokens: tokenizer.encode(text).length, completionTokens: ids.length },
        tokenIds: ids,
        ...(opts.logprobs ? { logprobs: ids.map((id) => ({ token: tokenizer.idToToken(id) ?? '', logprob: per })) } : {}),
      };
    },
    async scoreContinuations(requests: readonly ContinuationRequest[]): Promise<ContinuationScore[]> {
      return requests.map(({ context, continuation }) => {
        const { reply, confidence } = answer(promptText(context), 'greedy');
        const tokenCount = tokenizer.encode(continuation).length;
        const favoured = continuation.trim().length > 0 && reply.trim().startsWith(continuation.trim());
        // The favoured continuation gets the reply's confidence; any other gets the rest, shared per token.
        const logprob = favoured ? Math.log(confidence) : Math.log(1 - confidence + 1e-9) - 0.1 * tokenCount;
        return { logprob, isGreedy: favoured, tokenCount };
      });
    },
  };
}
