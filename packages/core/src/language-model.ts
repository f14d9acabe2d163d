/**
 * The tiered model contract. Every model, local or behind an API, is a `LanguageModel` that can
 * `generate`; richer models declare optional capabilities (log-probabilities, continuation scoring,
 * a tokenizer, raw logits) in `capabilities`, and stages check them with `requireCapability`.
 */
import { CapabilityError } from './errors.js';
import type { Prompt } from './messages.js';
import type { StepDecoder } from './step-decoder.js';
import type { Tensor } from './tensor.js';
import type { Tokenizer } from './tokenizer.js';

/** What a model can do beyond `generate`. */
export interface ModelCapabilities {
  /** `generate` can return per-token log-probabilities. */
  readonly logprobs: boolean;
  /** `scoreContinuations` is available. */
  readonly scoreContinuations: boolean;
  /** `tokenizer` is available. */
  readonly tokenizer: boolean;
  /** `forward` (logits) is available. */
  readonly forward: boolean;
  /** The model is a `WhiteBoxModel` (hooks, caches, interventions). */
  readonly whiteBox: boolean;
}

/** Sampling and stopping options of `generate`. */
export interface GenerateOptions {
  /** Maximum number of new tokens. */
  readonly maxTokens?: number;
  /** 0 means greedy. */
  readonly temperature?: number;
  /** Nucleus sampling mass in (0, 1]. */
  readonly topP?: number;
  /** Keep only the k most likely tokens (0 or absent: no limit). */
  readonly topK?: number;
  /** Seed of the sampler: the same seed gives the same text. */
  readonly seed?: number;
  /** Strings that end generation (not included in the text). */
  readonly stop?: readonly string[];
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /** Return per-token log-probabilities (needs `capabilities.logprobs`). */
  readonly logprobs?: boolean;
  /** With `logprobs`, also return the k most likely alternatives per token. */
  readonly topLogprobs?: number;
  /** For chat prompts: the chat template's thinking switch. Default `false`. */
  readonly enableThinking?: boolean;
  /** Called with each new piece of text as it is produced. */
  readonly onText?: (delta: string) => void;
}

/** Why generation ended. */
export type FinishReason = 'stop' | 'length' | 'abort';

/** Log-probability of one generated token. */
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  /** The most likely alternatives, best first (when `topLogprobs` was asked). */
  readonly top?: readonly { readonly token: string; readonly logprob: number }[];
}

/** Token counts of a call. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** What `generate` returns. */
export interface GenerateResult {
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly usage: TokenUsage;
  /** Per-token log-probabilities, when asked and offered. */
  readonly logprobs?: readonly TokenLogprob[];
  /** Ids of the generated tokens, for models with a tokenizer. */
  readonly tokenIds?: readonly number[];
}

/** One request to `scoreContinuations`. */
export interface ContinuationRequest {
  /** The context; chat messages are rendered with the chat template and a generation prompt. */
  readonly context: Prompt;
  /** The text whose log-probability given the context is wanted. */
  readonly continuation: string;
}

/** The score of one continuation (lm-eval-harness's `loglikelihood`). */
export interface ContinuationScore {
  /** Sum of the log-probabilities of the continuation's tokens. */
  readonly logprob: number;
  /** True when every continuation token is the argmax at its position. */
  readonly isGreedy: boolean;
  /** Number of continuation tokens. */
  readonly tokenCount: number;
}

/** Any model: local, white-box, or behind an API. */
export interface LanguageModel {
  /** A stable id, e.g. `local:/models/qwen35-tiny` or `openai:gpt-4o-mini`. */
  readonly id: string;
  /** Weights revision or API model version, when known. */
  readonly revision?: string;
  readonly capabilities: ModelCapabilities;
  generate(prompt: Prompt, options?: GenerateOptions): Promise<GenerateResult>;
  /** Log-probabilities of given continuations; present iff `capabilities.scoreContinuations`. */
  scoreContinuations?(requests: readonly ContinuationRequest[], options?: { readonly signal?: AbortSignal }): Promise<ContinuationScore[]>;
  /** Present iff `capabilities.tokenizer`. */
  readonly tokenizer?: Tokenizer;
  /** Logits `[batch, pos, vocab]` of token ids; present iff `capabilities.forward`. */
  forward?(input: TokenInput, options?: { readonly signal?: AbortSignal }): Promise<Tensor>;
  /** A batched step decoder (continuous batching), for local engines that offer one. */
  createDecoder?(): StepDecoder;
}

/** Token ids: one sequence, or a batch of sequences of possibly different lengths. */
export type TokenInput = readonly number[] | readonly (readonly number[])[];

/** The optional members of `LanguageModel`, by capability. */
interface CapabilityMembers {
  readonly logprobs: object;
  readonly scoreContinuations: Required<Pick<LanguageModel, 'scoreContinuations'>>;
  readonly tokenizer: Required<Pick<LanguageModel, 'tokenizer'>>;
  readonly forward: Required<Pick<LanguageModel, 'forward'>>;
  readonly whiteBox: object;
}

const DESCRIPTIONS: Record<keyof ModelCapabilities, string> = {
  logprobs: 'a model that returns log-probabilities',
  scoreContinuations: 'a model that can score continuations (log-likelihood)',
  tokenizer: 'a model with a tokenizer',
  forward: 'a model that returns logits',
  whiteBox: 'a white-box model',
};

/**
 * Checks that a model has a capability, with an error that says which stage needed it.
 *
 * @param feature The stage or option that needs the capability, e.g. `"signals.attention"`.
 * @throws {CapabilityError} e.g. `signals.attention needs a white-box model; openai:gpt-4o-mini is black-box`.
 * @example
 * requireCapability(model, 'scoreContinuations', 'datasets.loglikelihood');
 * const scores = await model.scoreContinuations(requests);
 */
export function requireCapability<C extends keyof ModelCapabilities>(
  model: LanguageModel,
  capability: C,
  feature: string,
): asserts model is LanguageModel & CapabilityMembers[C] {
  const ok = model.capabilities[capability] && (capability === 'logprobs' || capability === 'whiteBox' || (model as unknown as Record<string, unknown>)[capability] !== undefined);
  if (ok) return;
  const what = capability === 'whiteBox' ? 'is black-box' : `does not offer ${capability}`;
  throw new CapabilityError(`${feature} needs ${DESCRIPTIONS[capability]}; ${model.id} ${what}`);
}
